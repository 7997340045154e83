"""Arabic, Hebrew and Traditional Chinese: the checklists, the tool's words, the reports."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from pdfcheck import font_names, fonts_by_character
from pypdf import PdfReader

from audit import checklists, i18n
from audit.model import localize

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "audit" / "locale"
LANGUAGES = ["ar", "he", "zh-Hant"]
# The Unicode blocks of each script, and the faces report.css names for them.
SCRIPTS = {
    "ar": (re.compile(r"[\u0600-\u06ff]"), ("Noto-Naskh-Arabic", "Noto-Sans-Arabic")),
    "he": (re.compile(r"[\u0590-\u05ff]"), ("Noto-Sans-Hebrew",)),
    "zh-Hant": (re.compile(r"[\u4e00-\u9fff]"), ("Noto-Sans-CJK-TC",)),
}


def words(lang: str) -> gettext.GNUTranslations:
    return gettext.translation("cxaudit", LOCALE, [lang.replace("-", "_")])


def translated(lang: str, message: str) -> str:
    text = words(lang).gettext(message)
    assert text != message, f"{message!r} is not translated into {lang}"
    return text


def plain(text: str) -> str:
    """Extracted PDF text, comparable with the source: joined forms undone, spaces folded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def demos(tmp_path_factory) -> dict[str, tuple[Path, Path, str]]:
    """The demo in each language, rendered once: (audit, pdf, extracted text)."""
    from typer.testing import CliRunner

    from audit.cli import app

    out = tmp_path_factory.mktemp("demos")
    rendered = {}
    for lang in LANGUAGES:
        result = CliRunner().invoke(app, ["demo", "--lang", lang, "--out-dir", str(out)])
        assert result.exit_code == 0, result.output
        pdf = out / f"demo-audit.{lang}.pdf"
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
        rendered[lang] = (out / f"demo-audit.{lang}.yaml", pdf, plain(text))
    i18n.use("en")
    return rendered


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_has_translated_headings_and_item_text(demos, lang):
    _, pdf, text = demos[lang]
    for heading in ("Executive summary", "Scores at a glance", "Action plan", "Appendix"):
        assert plain(translated(lang, heading)) in text, heading
    checklist = yaml.safe_load((ROOT / "checklists" / "ecommerce.yaml").read_text(encoding="utf-8"))
    exp01 = next(i for i in checklist["items"] if i["id"] == "EXP-04")
    question = localize(exp01["question"], lang, "en")
    assert question != localize(exp01["question"], "en", "en")
    assert plain(question)[:25] in text
    pages = len(PdfReader(pdf).pages)
    footer = plain(translated(lang, "page {n} of {total}").format(n=1, total=pages))
    if i18n.direction(lang) == "ltr":
        assert footer in text
    else:  # the footer's runs come out in visual order: check its words
        last_page = plain(PdfReader(pdf).pages[-1].extract_text())
        last = plain(translated(lang, "page {n} of {total}").format(n=pages, total=pages))
        assert all(word in last_page for word in last.split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_letter_is_drawn_in_a_face_that_has_it(demos, lang):
    """No empty boxes: each letter of the script comes from the face named for it."""
    _, pdf, _ = demos[lang]
    pattern, faces = SCRIPTS[lang]
    drawn = fonts_by_character(pdf)
    letters = {c: fonts for c, fonts in drawn.items() if pattern.match(c)}
    assert len(letters) > 20
    strays = {
        c: fonts
        for c, fonts in letters.items()
        if not any(face in font for font in fonts for face in faces)
    }
    assert not strays
    assert any(face in name for name in font_names(pdf) for face in faces)


@pytest.mark.parametrize(
    "lang, direction", [("ar", "rtl"), ("he", "rtl"), ("zh-Hant", "ltr"), ("en", "ltr")]
)
def test_html_report_sets_language_and_direction(cli, tmp_path, lang, direction):
    from audit.demo import demo_audit

    audit = tmp_path / "a.yaml"
    audit.write_bytes(demo_audit(lang).read_bytes())
    result = cli("report", audit, "--format", "html", "--lang", lang)
    assert result.exit_code == 0, result.output
    html = audit.with_suffix(".html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{direction}">' in html


def test_zh_hant_pdf_embeds_subsets_not_whole_fonts(demos):
    """Noto Sans CJK is 16 MB a face; the report embeds only the glyphs it uses."""
    _, pdf, _ = demos["zh-Hant"]
    assert pdf.stat().st_size < 2_000_000


def test_catalogues_are_complete_and_keep_their_placeholders():
    from babel.messages.pofile import read_po

    placeholder = re.compile(r"\{[^}\s]*\}|%\([a-z_]+\)s")
    for lang in ("ar", "he", "zh_Hant"):
        with open(LOCALE / lang / "LC_MESSAGES" / "cxaudit.po", "rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings), f"{lang}: untranslated {ids[0]!r}"
            assert not message.fuzzy, f"{lang}: fuzzy {ids[0]!r}"
            wanted = set(placeholder.findall(ids[-1]))
            for string in strings:
                got = set(placeholder.findall(string))
                assert got <= wanted and (len(ids) > 1 or got == wanted), (lang, ids[0], string)


def test_compiled_catalogues_match_their_po_files():
    """The .mo files ship; `make translations` rebuilds them from the .po files."""
    from babel.messages.pofile import read_po

    for lang in ("ar", "he", "zh_Hant"):
        folder = LOCALE / lang / "LC_MESSAGES"
        with open(folder / "cxaudit.po", "rb") as f:
            catalog = read_po(f)
        with open(folder / "cxaudit.mo", "rb") as f:
            compiled = gettext.GNUTranslations(f)
        for message in catalog:
            if message.id and not isinstance(message.id, tuple):
                assert compiled.gettext(message.id) == message.string, (lang, message.id)


def test_shipped_checklists_have_every_text_in_four_languages(cli):
    for name in ("ecommerce", "quick"):
        result = cli("checklist", "validate", ROOT / "checklists" / f"{name}.yaml")
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output
        loaded = checklists.load(name).checklist  # quick inherits its languages from ecommerce
        assert loaded.languages == ["en", "ar", "he", "zh-Hant"]


def test_a_text_lacking_a_declared_language_is_a_located_warning(cli, tmp_path, mini):
    text = mini.read_text(encoding="utf-8")
    assert "languages: [en]\n" in text
    text = text.replace("languages: [en]\n", "languages: [en, he]\n", 1)
    mini.write_text(text, encoding="utf-8")
    result = cli("checklist", "validate", mini)
    assert result.exit_code == 0
    assert re.search(r"mini\.yaml:\d+:\d+: text has no language mapping \(en, he\)", result.output)


def _cxaudit(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "audit", *args],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **env},
        cwd=ROOT,
        **kwargs,
    )


def test_language_comes_from_flag_then_audit_then_locale(tmp_path):
    from audit.demo import demo_audit

    audit = tmp_path / "he.yaml"
    audit.write_bytes(demo_audit("he").read_bytes())  # store.language: he
    hebrew, chinese = (
        translated("he", "Expectation type"),
        translated("zh-Hant", "Expectation type"),
    )
    by_audit = _cxaudit("score", str(audit), env={"LANG": "zh_TW.UTF-8"})
    assert hebrew in by_audit.stdout
    by_flag = _cxaudit("score", str(audit), "--lang", "en", env={"LANG": "zh_TW.UTF-8"})
    assert "Expectation type" in by_flag.stdout
    english_audit = tmp_path / "en.yaml"
    english_audit.write_text(
        audit.read_text(encoding="utf-8").replace("language: he", "language: null"),
        encoding="utf-8",
    )
    by_locale = _cxaudit("score", str(english_audit), env={"LANG": "zh_TW.UTF-8"})
    assert chinese in by_locale.stdout, by_locale.stdout + by_locale.stderr


def test_help_is_in_the_locales_language():
    result = _cxaudit("--help", env={"LANG": "he_IL.UTF-8", "COLUMNS": "100"})
    assert result.returncode == 0
    assert translated("he", "Commands") in result.stdout
    assert (
        translated("he", "Render an audit as a PDF report (or HTML, Markdown, JSON, CSV).")[:20]
        in result.stdout
    )


def test_errors_are_in_the_chosen_language(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = _cxaudit("score", str(missing), "--lang", "ar", env={})
    assert result.returncode == 2
    expected = translated("ar", "{path}: no such audit file").format(path=missing)
    assert expected in result.stderr


@pytest.mark.parametrize("mode", ["reorder", "terminal"])
def test_walkthrough_shows_hebrew_readably_on_a_terminal(tmp_path, mode):
    """Reordered for terminals that do not do it; left alone for those that do (VTE, Konsole)."""
    pexpect = pytest.importorskip("pexpect")
    title = checklists.load("quick").checklist.categories[0].title["he"]
    shown = title[::-1] if mode == "reorder" else title  # Hebrew letters do not join
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "audit",
            "run",
            "quick",
            "--lang",
            "he",
            "--store",
            "חנות",
            "--segment",
            "b2c",
            "--auditor",
            "x",
            "--out",
            str(tmp_path / "he.yaml"),
        ],
        env={**os.environ, "CXAUDIT_BIDI": mode, "COLUMNS": "100", "LINES": "40"},
        encoding="utf-8",
        timeout=20,
        cwd=str(ROOT),
    )
    child.expect_exact(shown)
    prompt = translated("he", "answer")
    child.expect_exact((prompt[::-1] if mode == "reorder" else prompt) + ">")
    child.sendline("q")
    child.expect(pexpect.EOF)


def test_reordered_lines_keep_brackets_facing_their_text():
    """Terminals without bidi get visual order; brackets must still open towards their text."""
    from audit.terminal.bidi import visual_lines

    assert visual_lines("0-4 [הערה] · na", 80) == ["na · [הרעה] 0-4"]
    assert visual_lines("מדד NPS (Net Promoter Score) של 40", 80) == [
        "40 לש NPS (Net Promoter Score) דדמ"
    ]
    long = " ".join(["מילה"] * 30)
    lines = visual_lines(long, 40)
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert lines[0] == " ".join(["הלימ"] * len(lines[0].split()))  # first words, first line
