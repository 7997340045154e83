"""`cxaudit report`: the PDF read back as text, every other format parsed, hostile input blocked."""

from __future__ import annotations

import csv
import io
import json
import socket
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from .conftest import DATA, PARTS, write


def pdf_text(path) -> tuple[str, int, PdfReader]:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), reader


@pytest.fixture(scope="module")
def mini_audit(tmp_path_factory):
    """The mini checklist answered: A1 at level 0 (a red flag), notes, a measure."""
    from typer.testing import CliRunner

    from audit.cli import app

    folder = tmp_path_factory.mktemp("report")
    checklist = folder / "mini.yaml"
    checklist.write_text((DATA / "mini.yaml").read_text())
    audit = folder / "shop.yaml"
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(checklist),
            "--store",
            "Corner Shop",
            "--auditor",
            "Dana Levi",
            "--out",
            str(audit),
        ],
        input="0 no stock data anywhere\n4 excellent\ny slow on weekends\n25\n",
    )
    assert result.exit_code == 0, result.output
    return audit


@pytest.fixture(scope="module")
def mini_pdf(mini_audit):
    from typer.testing import CliRunner

    from audit.cli import app

    result = CliRunner().invoke(app, ["report", str(mini_audit)])
    assert result.exit_code == 0, result.output
    return mini_audit.with_suffix(".pdf")


def test_pdf_has_every_part_in_order(mini_pdf):
    _, pages, reader = pdf_text(mini_pdf)
    body = "\n".join(page.extract_text() for page in reader.pages[1:])  # after the cover's contents
    positions = [body.find(part) for part in PARTS]
    assert all(p >= 0 for p in positions), dict(zip(PARTS, positions, strict=True))
    assert positions == sorted(positions)
    assert 5 <= pages <= 20


def test_pdf_cover_and_footer(mini_pdf):
    text, pages, reader = pdf_text(mini_pdf)
    first = reader.pages[0].extract_text()
    for expected in (
        "Corner Shop",
        "B2C",
        "Dana Levi",
        "Mini checklist, version 1.2.0",
        "OVERALL SCORE",
        "18.8",
        "falls short",
        f"page 1 of {pages}",
    ):
        assert expected in first, expected
    assert first.index("1. Executive summary") < first.index("2. Scores at a glance")
    assert f"page {pages} of {pages}" in reader.pages[-1].extract_text()
    assert reader.outline, "headings become PDF bookmarks"


def test_pdf_carries_notes_recommendations_plan_and_measures(mini_pdf):
    text, _, _ = pdf_text(mini_pdf)
    assert "no stock data anywhere" in text  # notes the user typed
    assert "slow on weekends" in text
    assert "Start A1 today." in text  # recommendation_by_level at level 0 replaces...
    assert "Put A1 in place." not in text  # ...the general recommendation
    assert "Answer within a day." in text
    assert "Next 30 days" in text  # periods with no action are left out, never "nothing"
    assert "Nothing for this period" not in text
    flat = " ".join(text.split())
    assert "25 NPS points" in flat and "≥0 · ≥20 · ≥40 · ≥60" in flat  # measure, its thresholds
    assert "42% of companies do not survey their customers." in text and "HubSpot 2022" in text
    assert "Corner Shop scores" in text  # the reading, written from the scores


def test_incomplete_audit_says_so_on_the_first_page(cli, tmp_path, mini):
    audit = tmp_path / "half.yaml"
    cli("run", mini, "--store", "Half Done", "--out", audit, input="3\n")
    result = cli("report", audit)
    assert result.exit_code == 0, result.output
    _, _, reader = pdf_text(audit.with_suffix(".pdf"))
    first = reader.pages[0].extract_text()
    assert "Incomplete audit: 3 of 4 items are unanswered." in first
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "not assessed" in text  # category two has no answer: never drawn as zero


@pytest.fixture(scope="module")
def outputs(mini_audit):
    from audit.render import reporting

    return {
        fmt: reporting.render(mini_audit, fmt).read_bytes() for fmt in ("html", "md", "json", "csv")
    }


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith(("#", "data:")):
                self.refs.append((tag, value))


def test_html_is_self_contained(outputs):
    parser = _Refs()
    parser.feed(outputs["html"].decode())
    assert parser.refs == []
    assert "style" in parser.tags and "svg" in parser.tags
    assert "Executive summary" in outputs["html"].decode()


def test_markdown_json_and_csv(outputs, mini_audit):
    md = outputs["md"].decode()
    assert md.startswith("# Customer expectations audit: Corner Shop")
    assert "## Action plan" in md and "no stock data anywhere" in md
    data = json.loads(outputs["json"])
    assert data["overall"] == {"score": 18.75, "band": "falls short"}  # (0*2 + 100 + 0*4 + 50) / 8
    assert data["red_flags"] == ["B1", "A1"]
    assert {i["id"] for i in data["items"]} == {"A1", "A2", "B1", "B2"}
    assert data["store"]["name"] == "Corner Shop"
    rows = list(csv.reader(io.StringIO(outputs["csv"].decode("utf-8-sig"))))
    assert rows[0][:10] == [  # the first columns; more follow (value, unit, finding, plan...)
        "id",
        "category",
        "strategies",
        "question",
        "answer",
        "level",
        "score",
        "weight",
        "impact",
        "note",
    ]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["A1"][5:10] == ["0", "0", "2", "2", "no stock data anywhere"]
    assert by_id["A2"][2] == "Strategy one; Strategy two"


def test_format_follows_the_output_suffix(cli, mini_audit, tmp_path):
    target = tmp_path / "out.md"
    result = cli("report", mini_audit, "-o", target)
    assert result.exit_code == 0
    assert target.read_text().startswith("# Customer expectations audit")


def test_report_refuses_to_write_over_the_audit(cli, mini_audit):
    before = mini_audit.read_bytes()
    result = cli("report", mini_audit, "-o", mini_audit, "--format", "md")
    assert result.exit_code == 2
    assert "will not write the report over the audit file" in result.stderr
    assert mini_audit.read_bytes() == before


HOSTILE = (
    '<link rel="attachment" href="file:///etc/passwd"><img src="http://127.0.0.1:{port}/x.png">'
)


@pytest.fixture
def listener():
    """A local port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    yield sock
    sock.close()


def _connected(sock) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


def test_markup_in_answers_and_checklists_renders_as_text(cli, tmp_path, mini, listener):
    port = listener.getsockname()[1]
    hostile = HOSTILE.format(port=port)
    evil = write(
        tmp_path,
        "evil.yaml",
        mini.read_text().replace(
            "question: Is A1 in place?", f"question: 'Is A1 in place? {hostile}'"
        ),
    )
    audit = tmp_path / "evil-audit.yaml"
    cli("run", evil, "--store", "<script>alert(1)</script>", "--out", audit, input=f"1 {hostile}\n")
    assert cli("report", audit).exit_code == 0
    reader = PdfReader(str(audit.with_suffix(".pdf")))
    assert not reader.attachments
    assert not _connected(listener)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "<script>alert(1)</script>" in text  # shown, as text
    assert 'rel="attachment"' in text
    assert cli("report", audit, "--format", "html").exit_code == 0
    html = audit.with_suffix(".html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<link rel="attachment"' not in html


def test_fetcher_blocks_local_files_and_network_even_in_raw_html(listener):
    from audit.render.pdf import html_to_pdf

    port = listener.getsockname()[1]
    blocked: list[str] = []
    raw = (
        f'<html><head><link rel="stylesheet" href="report.css"></head><body>'
        f'<a rel="attachment" href="file:///etc/passwd">x</a>'
        f'<a rel="attachment" href="../../../../../../etc/passwd">y</a>'
        f'<img src="http://127.0.0.1:{port}/x.png"><img src="file:///etc/hostname">'
        f'<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        f"<p>hello</p></body></html>"
    )
    pdf = html_to_pdf(raw, blocked)
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert not _connected(listener)
    assert any("/etc/passwd" in url for url in blocked)
    assert any(url.startswith("http://127.0.0.1") for url in blocked)
    assert not any(url.endswith("report.css") for url in blocked)  # our own files are served


def test_many_audits_render_in_parallel_and_a_broken_one_is_reported(cli, tmp_path, mini):
    good = []
    for n in range(3):
        audit = tmp_path / f"shop{n}.yaml"
        cli("run", mini, "--store", f"Shop {n}", "--out", audit, input=f"{n}\n3\nn\n50\n")
        good.append(audit)
    broken = write(tmp_path, "broken.yaml", "cxaudit: 1\nstore: [\n")
    result = cli("report", *good, broken, "--format", "md", "--jobs", "2")
    assert result.exit_code == 2
    assert "3 of 4 reports written." in result.stdout
    assert f"{broken}:" in result.stderr
    for audit in good:
        assert audit.with_suffix(".md").exists()


@pytest.mark.parametrize(
    ("score", "before"), [(90, 40), (30, 55), (0, None), (100, 100), (None, None), (62.5, 0)]
)
def test_bar_stops_run_from_0_to_100_in_order(score, before):
    """The bar is one gradient of hard stops: its positions never go back (a mark inside the
    fill splits it), it spans the whole track, and a right-to-left bar grows from the right."""
    import re

    from audit.render import charts

    html = charts.bar(score, "meets" if score is not None else None, before)
    stops = [float(x) for x in re.findall(r"([\d.]+)%", html)]
    assert stops[0] == 0.0 and stops[-1] == 100.0 and stops == sorted(stops)
    assert ("#1f2a44" in html) == (before is not None)  # the earlier score's tick
    assert "to right" in html and "to left" in charts.bar(score, None, before, rtl=True)
