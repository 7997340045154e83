"""The report's second edition: the story page, each finding once, pages that are full,
a short report for a store that meets everything, evidence, right-to-left isolation."""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "reports" / "demo"


def pages_text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def render(cli, audit: Path, *args: str) -> Path:
    result = cli("report", audit, *args)
    assert result.exit_code == 0, result.output
    suffix = ".html" if "html" in args else ".pdf"
    return audit.with_suffix(suffix)


def checklist():
    from audit import checklists

    return checklists.load("ecommerce").checklist


def best(item) -> dict:
    if item.type == "yesno":
        return {"answer": "no" if item.inverted else "yes"}
    if item.type == "metric":
        return {"value": item.thresholds[3]}
    return {"score": 4}


def write_audit(path: Path, name: str, answers: dict, segment: str = "b2c", lang: str = "en"):
    cl = checklist()
    data = {
        "cxaudit": 1,
        "checklist": {"id": "ecommerce", "version": cl.version},
        "store": {"name": name, "segment": segment, "language": lang},
        "started": "2026-11-20T10:00:00+00:00",
        "updated": "2026-11-20T11:00:00+00:00",
        "answers": answers,
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from audit.cli import app

    out = tmp_path_factory.mktemp("demo2")
    result = CliRunner().invoke(app, ["demo", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out / "demo-audit.pdf"


# --- pages ----------------------------------------------------------------------------


def fill(page) -> float:
    """How far down the page text reaches, as a share of the text area (footer left out)."""
    lowest = [842.0]

    def visit(text, cm, tm, _font, _size) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's origin on the page, in points
        if text.strip() and 70 < y < 800:  # above the footer's margin box
            lowest[0] = min(lowest[0], y)

    page.extract_text(visitor_text=visit)
    top, bottom = 842 - 57, 62  # A4 less the 20 mm top and 22 mm bottom margins
    return (top - lowest[0]) / (top - bottom)


def test_demo_is_at_most_18_pages_with_no_near_empty_page(demo_pdf):
    reader = PdfReader(demo_pdf)
    assert len(reader.pages) <= 18
    for n, page in enumerate(reader.pages[:-1], 1):
        assert fill(page) >= 1 / 3, f"page {n} is {fill(page):.0%} full"


def id_mentions(pdf: Path, ids: set[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each id is printed: in all, and as an id tag (the report's monospace face)."""
    tagged: dict[str, int] = dict.fromkeys(ids, 0)

    def visit(text, _cm, _tm, font, _size) -> None:
        if font and "Mono" in str(font.get("/BaseFont", "")):  # "STA-03", "3 · STA-03"
            for token in re.findall(r"[A-Z]+-\d+", text):
                if token in tagged:
                    tagged[token] += 1

    pages = PdfReader(pdf).pages
    for page in pages:
        page.extract_text(visitor_text=visit)
    text = "\n".join(page.extract_text() for page in pages)
    every = {i: len(re.findall(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)) for i in ids}
    return every, tagged


def test_the_gap_list_puts_red_flags_first_then_gaps_by_impact(demo_pdf, cli):
    """The judgement lists gaps by impact; the report's gap list moves the red flags ahead."""
    import json

    scored = json.loads(cli("score", DEMO / "demo-audit.yaml", "--json").stdout)
    flags = scored["red_flags"]
    others = [g["id"] for g in scored["gaps"] if g["id"] not in flags]
    # the demo has a bigger gap than any of its red flags
    assert flags and scored["gaps"][0]["id"] not in flags
    text = " ".join(pages_text(demo_pdf))
    for rank, item in enumerate([*flags, *others[:3]], 1):
        assert f"{rank} · {item}" in text


def test_each_item_is_mentioned_at_most_three_times(demo_pdf):
    items = checklist().items
    ids = {i.id for i in items}
    every, tagged = id_mentions(demo_pdf, ids)
    # The checklist's prose ("the recommend question from MET-02") and the auditor's notes
    # ("see AVD-07") may point at another item: every id that neither names is printed at
    # most three times in all, and the report itself tags no id more than three times.
    prose = re.sub(r"(?m)^- id: \S+$", "", (ROOT / "checklists" / "ecommerce.yaml").read_text())
    notes = " ".join(
        a.get("note", "")
        for a in yaml.safe_load((DEMO / "demo-audit.yaml").read_text())["answers"].values()
    )
    cited = {i for i in ids if re.search(rf"(?<![\w-]){i}(?![\w-])", prose + " " + notes)}
    assert not {i: n for i, n in tagged.items() if n > 3 and i not in cited}
    assert not {i: n for i, n in every.items() if n > 3 and i not in cited}
    assert 1 <= tagged["AVD-07"] <= 4 and tagged["STA-03"] >= 2


def test_story_page_tells_the_auditors_findings_with_their_first_action(demo_pdf):
    story = pages_text(demo_pdf)[1]
    assert "Executive summary" in story
    # STA-03's note, in the auditor's words, and its recommendation at level 1
    assert "61 customers with delayed parcels were not told" in story
    assert "write two message templates now" in story
    assert evidence_line(DEMO / "demo-audit.yaml") in story  # how the answers were evidenced
    # practices to avoid answered "no" are not strengths
    strengths = story[story.index("Top strengths") :]
    assert "Do you make customers repeat" not in strengths


def evidence_line(audit_path: Path) -> str:
    """ "N of M answers with evidence", N and M counted by the scoring core."""
    from audit.answers import audits
    from audit.judgement import scoring

    loaded, audit = audits.load_with_checklist(audit_path)
    result = scoring.score(loaded.checklist, audit)
    backed = sum(n for kind, n in result.evidence.items() if kind != "reported")
    return f"{backed} of {result.completion.answered} answers with evidence"


def test_demo_cover_says_how_answers_were_evidenced(demo_pdf):
    cover = " ".join(pages_text(demo_pdf)[0].split())
    assert evidence_line(DEMO / "demo-audit.yaml") + ": " in cover
    assert re.search(r"answers with evidence: \d+ observed, \d+ test orders or contacts", cover)


def test_story_is_built_from_this_audits_notes(cli, tmp_path):
    cl = checklist()
    answers = {i.id: best(i) for i in cl.items_for("b2c")}
    answers["STA-03"] = {"score": 0, "note": "Seventy-seven parcels vanished in the flood of May"}
    answers["SIT-03"] = {"score": 1, "note": "The basket reminder went to 3 customers only"}
    pdf = render(cli, write_audit(tmp_path / "flood.yaml", "Flood Tea", answers))
    story = pages_text(pdf)[1]
    assert "Seventy-seven parcels vanished in the flood of May" in story
    assert "The basket reminder went to 3 customers only" in story
    assert "Unverified" not in story


def test_a_store_that_meets_everything_gets_a_short_report(cli, tmp_path):
    answers = {i.id: best(i) for i in checklist().items_for("b2c")}
    pdf = render(cli, write_audit(tmp_path / "perfect.yaml", "Perfect Parcel", answers))
    pages = pages_text(pdf)
    text = "\n".join(pages)
    assert len(pages) <= 8
    assert "exceeds customers' expectations" in pages[1]
    for empty in ("Top 0 gaps", "Nothing for this period", "Action plan", "need more than a small"):
        assert empty not in text, empty
    # all answers at the top, no note, no evidence: flagged, and said on the cover
    assert "Unverified" in pages[1]
    assert f"None of the {len(answers)} answers has evidence attached" in pages[0]


def test_a_half_answered_poor_store_says_what_was_not_assessed(cli, tmp_path):
    items = checklist().items_for("b2b")
    answers = {i.id: {"score": 1} for i in items if i.type == "scale" and i.category == "explicit"}
    pdf = render(cli, write_audit(tmp_path / "poor.yaml", "Brick Supplies", answers, "b2b"))
    pages = pages_text(pdf)
    story = pages[1]
    assert "items are unanswered: every score covers the answered items only" in story
    assert "Not assessed at all:" in story and "Digital expectations" in story
    assert "Keep communicating" in story  # strategies with no answered item too
    # no projection from 15 answers, and no strengths part that has nothing to show
    assert "Closing the five largest gaps" not in story
    text = " ".join(pages)
    assert "Every item answered is at the top level" not in text
    assert "Strengths" not in text and "No item exceeds expectations yet" not in text
    # measures without a value: one line of ids, the questions once (in the appendix)
    assert "Not measured: MET-" in text and "not measured" not in text


def test_hebrew_demo_statuses_in_hebrew_and_thresholds_right_to_left(cli, tmp_path):
    result = cli("demo", "--lang", "he", "--out-dir", tmp_path)
    assert result.exit_code == 0, result.output
    text = " ".join(pages_text(tmp_path / "demo-audit.he.pdf"))
    assert "בביצוע" in text[::-1] or "בביצוע" in text  # "doing", in whichever order pypdf reads
    assert not re.search(r"\bdoing\b", text)
    # thresholds: each one left to right (a mirrored ≥ reads ≤), the list in the report's
    # direction so that level 1 comes first for a right-to-left reader, wrapped or not
    html = cli("report", tmp_path / "demo-audit.he.yaml", "-f", "html", "-o", tmp_path / "he.html")
    assert html.exit_code == 0, html.output
    cells = re.findall(
        r'<td class="thresholds">(.*?)</td>', (tmp_path / "he.html").read_text(encoding="utf-8")
    )
    assert cells and all(
        re.fullmatch(r'(<span dir="ltr">[≤≥][\d.]+</span>(&nbsp;· )?){4}', c)
        for c in (c.strip() for c in cells)
    ), cells[:2]


# --- evidence ----------------------------------------------------------------------------


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#5b4632").save(out, "PNG")
    return out.getvalue()


def evidence_audit(tmp_path: Path, ref: str, data: bytes) -> Path:
    audit = tmp_path / "shop.yaml"
    folder = tmp_path / "shop.evidence"
    folder.mkdir()
    (folder / "EXP-05-aaaa.png").write_bytes(data)
    answers = {
        "EXP-05": {
            "score": 1,
            "note": "Delivery costs hidden until the basket",
            "evidence": [
                {"kind": "observed", "ref": ref, "sha256": hashlib.sha256(data).hexdigest()},
                {"kind": "observed", "ref": "https://shop.example/p/tea"},
            ],
        }
    }
    return write_audit(audit, "Evidence Shop", answers)


def test_gap_card_shows_a_thumbnail_made_from_the_evidence_folder(cli, tmp_path):
    data = png_bytes()
    audit = evidence_audit(tmp_path, "shop.evidence/EXP-05-aaaa.png", data)
    pdf = render(cli, audit)
    images = [img for page in PdfReader(pdf).pages for img in page.images]
    assert images, "the screenshot's thumbnail is in the PDF"
    text = "\n".join(pages_text(pdf))
    assert "EXP-05-aaaa.png" in text and "https://shop.example/p/tea" in text
    html = render(cli, audit, "-f", "html").read_text(encoding="utf-8")
    assert re.search(r'src="data:image/(png|jpeg);base64,', html)
    assert str(tmp_path) not in html  # no local path in the report


def test_a_hostile_ref_is_a_warning_and_never_embedded(cli, tmp_path):
    outside = tmp_path / "secret.png"
    data = png_bytes()
    outside.write_bytes(data)
    audit = evidence_audit(tmp_path, "shop.evidence/../secret.png", data)
    html = render(cli, audit, "-f", "html").read_text(encoding="utf-8")
    assert "data:image" not in html
    assert "not shown" in html
    assert "a path with &#39;..&#39;" in html or "a path with '..'" in html
    pdf = render(cli, audit)
    assert not [img for page in PdfReader(pdf).pages for img in page.images]
    assert base64.b64encode(data).decode()[:40] not in html


# --- right to left and user text -------------------------------------------------------


def test_user_text_is_isolated_so_it_cannot_reverse_the_tools_sentence(cli, tmp_path):
    answers = {"EXP-05": {"score": 1, "note": "hidden costs"}}
    # A bidi override is taken out when the audit is read; right-to-left text is isolated.
    audit = write_audit(tmp_path / "rlo.yaml", "Tea \u202eevil \u05ea\u05d4", answers)
    html = render(cli, audit, "-f", "html").read_text(encoding="utf-8")
    assert "\u202e" not in html
    assert "<bdi>Tea evil \u05ea\u05d4</bdi> scores" in html
    pdf = render(cli, audit)
    story = pages_text(pdf)[1]
    assert "scores" in story and "serocs" not in story


def test_arabic_report_isolates_latin_runs_and_uses_arabic_quotes(cli, tmp_path):
    answers = {
        "EXP-05": {"score": 1, "note": "يعمل 3-D Secure مع HubSpot و“الدفع” في المتجر"},
    }
    audit = write_audit(tmp_path / "ar.yaml", "متجر الشاي", answers, lang="ar")
    html = render(cli, audit, "-f", "html", "--lang", "ar").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<span dir="ltr" class="latin">3-D Secure</span>' in html
    assert '<span dir="ltr" class="latin">HubSpot</span>' in html
    assert "«الدفع»" in html and "“الدفع”" not in html
    assert "<bdi>متجر الشاي</bdi>" in html


# --- code structure --------------------------------------------------------------------


def test_no_two_modules_import_each_other():
    """document.py and reading.py once imported each other; views.py holds what both need."""
    imports: dict[str, set[str]] = {}
    for path in (ROOT / "audit").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        imports[module.removesuffix(".__init__")] = names
    pairs = [
        (a, b) for a in imports for b in imports if a < b and b in imports[a] and a in imports[b]
    ]
    assert not pairs, pairs


def test_the_demos_earlier_audit_cites_nothing_dated_after_it():
    earlier = yaml.safe_load((DEMO / "demo-audit-2026-08.yaml").read_text(encoding="utf-8"))
    later = yaml.safe_load((DEMO / "demo-audit.yaml").read_text(encoding="utf-8"))
    assert str(earlier["updated"]) < str(later["started"])
    notes = " ".join(a.get("note", "") for a in earlier["answers"].values())
    for month in ("Sept", "Oct", "Nov", "Dec 2026", "Q3", "strike"):
        assert month not in notes, month
    for audit in (earlier, later):
        day = str(audit["updated"])[:10]
        for answer in audit["answers"].values():
            for e in answer.get("evidence", []):
                assert str(e.get("date", day)) <= day
                assert str(e.get("period", day)).split("..")[-1] <= day


def test_the_demo_ships_its_evidence_and_the_report_shows_it(demo_pdf):
    folder = demo_pdf.with_name("demo-audit.evidence")
    shipped = sorted(p.name for p in (DEMO / "demo-audit.evidence").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == shipped
    assert sum(name.endswith(".png") for name in shipped) >= 2
    assert sum(len(page.images) for page in PdfReader(demo_pdf).pages) >= 3


def test_checklist_drift_is_a_caveat_on_the_story_page(cli, tmp_path):
    audit = write_audit(tmp_path / "old.yaml", "Drift Shop", {"EXP-05": {"score": 1}})
    data = yaml.safe_load(audit.read_text())
    data["checklist"] = {"id": "ecommerce", "version": "0.9.0", "sha256": "ab" + "0" * 62}
    audit.write_text(yaml.safe_dump(data, sort_keys=False))
    pages = pages_text(render(cli, audit))
    assert "The checklist changed after this audit was answered" in pages[1]
    assert "the items that changed are unknown" in pages[-1]


def test_a_measured_finding_without_a_note_says_what_it_measures(cli, tmp_path):
    cl = checklist()
    answers = {i.id: best(i) for i in cl.items_for("b2c")}
    metric = next(i for i in cl.items_for("b2c") if i.type == "metric" and i.critical)
    worst = metric.thresholds[0] + (1 if metric.better == "lower" else -1)
    answers[metric.id] = {"value": max(metric.range[0], min(metric.range[1], worst))}
    html = render(cli, write_audit(tmp_path / "m.yaml", "Metric Shop", answers), "-f", "html")
    story = html.read_text(encoding="utf-8").split('id="summary"')[1].split("</section>")[0]
    question = cl.item(metric.id).question
    assert (question if isinstance(question, str) else question["en"])[:40] in story
