"""The Markdown report in two renderers: CommonMark (markdown-it-py) and GFM (cmark-gfm).

Hostile ids and notes must stay text; web addresses in notes stay links; nothing shows a stray
backslash; right-to-left reports carry their direction.
"""

from __future__ import annotations

from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from audit import resources

from .outputs_data import answered_mini

HOSTILE_ID = "[click](https://evil.example) <img src=x onerror=alert(1)>"
NOTE = (
    "See our FAQ (https://shop.example/faq) and <https://shop.example/returns>.\\n\\n"
    "Second paragraph: Tea &amp; Co_s *terms*\\n# not a heading\\n1. not a list"
)
ANSWERS = f"""\
  A1: {{score: 0, note: "{NOTE}"}}
  A2: {{score: 3, note: "first line\\nsecond | line"}}
  B1: {{answer: "no", note: "<script>alert(1)</script>"}}
  www.evil.example: {{score: 1}}
"""
# Ids an audit file can no longer hold (the loader checks the id pattern): the Markdown still
# escapes them, in case an id ever arrives another way.
HOSTILE_IDS = [HOSTILE_ID, "x\n# Injected heading", "bob@evil.example", "a`b|c"]


def commonmark(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def gfm(text: str) -> str:
    # UNSAFE lets raw HTML through, so that any HTML we failed to escape would show here.
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


RENDERERS = {"commonmark": commonmark, "gfm": gfm}


class Page(HTMLParser):
    """What a reader sees: the elements, the links, the headings and the text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.headings: list[str] = []
        self.paragraphs: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._open.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p"):
            (self.headings if tag != "p" else self.paragraphs).append("")

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        for tag in reversed(self._open):
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.headings[-1] += data
                break
            if tag == "p":
                self.paragraphs[-1] += data
                break

    @property
    def all_text(self) -> str:
        return "".join(self.text)


@pytest.fixture(scope="module")
def markdown(tmp_path_factory) -> str:
    from typer.testing import CliRunner

    from audit.cli import app

    audit = answered_mini(tmp_path_factory.mktemp("md"), ANSWERS)
    result = CliRunner().invoke(app, ["report", str(audit), "-f", "md"])
    assert result.exit_code == 0, result.output
    return audit.with_suffix(".md").read_text(encoding="utf-8")


@pytest.mark.parametrize("renderer", RENDERERS)
def test_hostile_text_stays_text(markdown, renderer):
    page = Page(RENDERERS[renderer](markdown))
    assert "img" not in page.tags and "script" not in page.tags
    assert not [href for href in page.links if "evil" in href]
    assert "www.evil.example" in page.all_text  # an id of the id pattern, not a link in GFM
    assert page.tags.count("h1") == 1
    assert not [h for h in page.headings if "not a heading" in h]
    assert "<script>alert(1)</script>" in page.all_text


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("item_id", HOSTILE_IDS)
def test_every_id_is_escaped(renderer, item_id):
    from audit.render.markdown import ident

    line = f"- **{ident(item_id)}** question"
    page = Page(RENDERERS[renderer](f"# Report\n\n{line}\n\n## Next\n"))
    assert page.links == [] and "img" not in page.tags
    assert page.headings == ["Report", "Next"]
    assert " ".join(item_id.split()) in page.all_text  # shown as written


def test_an_audit_with_a_hostile_answer_id_is_refused(cli, tmp_path):
    audit = answered_mini(tmp_path, f'  "{HOSTILE_ID}": {{score: 2}}\n')
    result = cli("report", audit, "-f", "md")
    assert result.exit_code == 2 and "shop.yaml:7:3:" in result.stderr
    assert not audit.with_suffix(".md").exists()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_web_addresses_in_notes_are_links_without_backslashes(markdown, renderer):
    page = Page(RENDERERS[renderer](markdown))
    assert "https://shop.example/faq" in page.links
    assert "https://shop.example/returns" in page.links
    text = page.all_text
    assert "(https://shop.example/faq)" in text  # the brackets stay outside the link
    assert "\\\\" not in text  # no escape shows
    assert "Tea &amp; Co_s *terms*" in text  # &amp; written by the user stays literal


@pytest.mark.parametrize("renderer", RENDERERS)
def test_multi_paragraph_notes_are_kept(markdown, renderer):
    page = Page(RENDERERS[renderer](markdown))
    second = [p for p in page.paragraphs if p.startswith("Second paragraph")]
    assert second, "the note's second paragraph is not a paragraph of its own"
    assert "# not a heading" in second[0] and "1. not a list" in second[0]
    assert "first line" in page.all_text and "second | line" in page.all_text


def test_markdown_has_method_and_scale_and_no_task_boxes(markdown):
    assert "- [ ]" not in markdown
    page = Page(gfm(markdown))
    assert {"Method", "Answer scale"} <= set(page.headings)
    assert "Exceeds expectations" in page.all_text and "Σ(weight × score)" in page.all_text
    table_rows = page.tags.count("tr")
    assert table_rows >= 20  # scores, measures, findings and the scale are GFM tables


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_markdown_is_wrapped(cli, tmp_path, lang):
    name = f"demo-audit.{lang}.yaml"
    audit = tmp_path / name
    audit.write_bytes((resources.reports_dir() / "demo" / name).read_bytes())
    assert cli("report", audit, "-f", "md", "--lang", lang).exit_code == 0
    text = audit.with_suffix(".md").read_text(encoding="utf-8")
    assert text.startswith(f'<div dir="rtl" lang="{lang}">\n\n')
    assert text.rstrip().endswith("</div>")
    for render in RENDERERS.values():
        html = render(text)
        assert html.startswith(f'<div dir="rtl" lang="{lang}">')
        assert "<h1>" in html and "<table>" in html  # Markdown inside the block still renders


def test_polish_is_listed_apart_from_the_gaps(markdown):
    page = Page(gfm(markdown))
    assert "To polish" in page.headings
    polish = markdown.split("### To polish", 1)[1].split("##", 1)[0]
    assert "**A2**" in polish and "**A1**" not in polish  # A2 at level 3, A1 at level 0
    assert "level 2 or below" in markdown


def test_an_id_in_a_table_cell_keeps_the_table():
    """GFM ends a cell at a | even inside a code span: in tables it is escaped."""
    from audit.render.markdown import ident

    table = f"| id | q |\n|---|---|\n| {ident('a|b', True)} | question |\n"
    page = Page(gfm(table))
    assert page.tags.count("td") == 2 and "a|b" in page.all_text
