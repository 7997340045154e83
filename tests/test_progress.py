"""compare, report --baseline and portfolio, against values computed by hand.

The checklist is tests/data/mini.yaml.

Segment b2c asks A1 (weight 2, critical, low effort), A2 (1, medium), B1 (4, inverted yes/no,
critical, high) and B2 (1, NPS metric, thresholds 0/20/40/60, low effort).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

# Answers in item order A1, A2, B1, B2.
OLD = "1\n2\ny\n25\n"  # levels 1, 2, 0, 2: overall (2*25 + 50 + 0 + 50) / 8 = 18.75
NEW = "4\n2\nn\n5\n"  # levels 4, 2, 4, 1: overall (200 + 50 + 400 + 25) / 8 = 84.375
STORE_B = "2\n2\nn\n65\n"  # levels 2, 2, 4, 4: (100 + 50 + 400 + 100) / 8 = 81.25
STORE_C = "0\n0\ny\n-10\n"  # all level 0: 0.0


def make(cli, checklist: Path, out: Path, store: str, answers: str, when: str) -> Path:
    result = cli("run", checklist, "--store", store, "--out", out, input=answers)
    assert result.exit_code == 0, result.output
    text = re.sub(r"(started|updated): .*", rf"\1: '{when}T10:00:00+00:00'", out.read_text())
    out.write_text(text)
    return out


@pytest.fixture
def pair(cli, tmp_path, mini) -> tuple[Path, Path]:
    old = make(cli, mini, tmp_path / "acme-old.yaml", "Acme", OLD, "2026-08-01")
    new = make(cli, mini, tmp_path / "acme-new.yaml", "Acme", NEW, "2026-11-01")
    return old, new


def test_compare_json_by_hand(cli, pair):
    old, new = pair
    result = cli("compare", new, old, "--json")  # any order: sorted by date
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["date"] for a in data["audits"]] == ["2026-08-01", "2026-11-01"]
    assert data["overall"] == {"scores": [18.75, 84.38], "change": 65.63, "items": 4}
    assert data["categories"]["c1"] == {"scores": [33.33, 83.33], "change": 50.0, "items": 2}
    assert data["categories"]["c2"] == {"scores": [10.0, 85.0], "change": 75.0, "items": 2}
    assert data["strategies"]["s2"]["scores"] == [16.67, 79.17]  # (50+0+50)/6, (50+400+25)/6
    assert data["improved"] == [
        {"id": "A1", "before": 1, "after": 4},
        {"id": "B1", "before": 0, "after": 4},
    ]
    assert data["regressed"] == [{"id": "B2", "before": 2, "after": 1}]
    assert data["red_flags"] == {  # gap order
        "resolved": ["B1", "A1"],
        "new": [],
        "open": [],
        "not_reassessed": [],
    }
    assert data["quick_wins_taken"] == ["A1"]
    assert data["items"] == {"shared": 5, "added": [], "removed": []}  # B3 too (b2b)
    statuses = {p["id"]: p["status"] for p in data["plan"]}
    assert statuses == {"A1": "closed", "B1": "closed", "B2": "worse", "A2": "unchanged"}


def test_compare_tables(cli, pair):
    result = cli("compare", *pair)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"Overall\W+18\.8\W+84\.4\W+\+65\.6", out)
    assert "Improved (2)" in out and "Regressed (1)" in out
    # each with its answers before and after, and its question
    assert re.search(r"Red flags resolved \(2\)\n\s+B1\s+yes → no\s+Do replies", out)
    assert re.search(r"\n\s+A1\s+1 → 4\s+Is A1 in place\?", out)
    assert re.search(r"Quick wins taken \(1\)\n\s+A1\s+1 → 4", out)


def test_compare_across_checklist_versions_uses_shared_items(cli, tmp_path, mini):
    """v1.3.0 drops B2 and adds C1: both are scored on the shared A1, A2, B1 (and B3, b2b)."""
    old = make(cli, mini, tmp_path / "old.yaml", "Acme", OLD, "2026-08-01")
    text = mini.read_text(encoding="utf-8").replace("version: 1.2.0", "version: 1.3.0")
    start = text.index("  - id: B2")
    end = text.index("  - id: B3")
    c1 = (
        "  - id: C1\n    category: c2\n    strategy: s2\n    question: Is C1 in place?\n"
        "    weight: 2\n    effort: low\n    recommendation: Do C1.\n"
    )
    newer = tmp_path / "mini-1.3.yaml"
    newer.write_text(text[:start] + c1 + text[end:], encoding="utf-8")
    new = make(cli, newer, tmp_path / "new.yaml", "Acme", "4\n2\nn\n3\n", "2026-11-01")
    result = cli("compare", old, new, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["items"] == {"shared": 4, "added": ["C1"], "removed": ["B2"]}
    # (2*25 + 50 + 0) / 7 and (200 + 50 + 400) / 7
    assert data["overall"]["scores"] == [14.29, 92.86]
    tables = cli("compare", old, new)
    out = " ".join(tables.stdout.split())
    assert "different versions of the checklist mini (1.2.0, 1.3.0)" in out
    assert "1 item added: C1. 1 item removed: B2." in out


def test_compare_needs_two_audits(cli, pair):
    result = cli("compare", pair[0])
    assert result.exit_code == 2
    assert "at least two" in result.output


def test_report_with_baseline_has_a_progress_part_in_every_format(cli, pair, tmp_path):
    old, new = pair
    result = cli("report", new, "--baseline", old)
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(new.with_suffix(".pdf")).pages)
    # The last occurrence of each heading is the part itself (the first is the contents).
    summary, progress, charts = (
        text.rindex("Executive summary"),
        text.rindex("Progress since 2026-08-01"),
        text.rindex("Scores at a glance"),
    )
    assert summary < progress < charts
    assert "risen by 65.6 points, from 18.8 to 84.4" in text
    assert "2 of the 4 items in the last action plan are closed" in " ".join(text.split())
    for fmt in ("md", "json", "csv"):
        assert cli("report", new, "--baseline", old, "-f", fmt).exit_code == 0
    md = new.with_suffix(".md").read_text(encoding="utf-8")
    assert "## Progress since 2026-08-01" in md and "| **Overall** | 18.8 | 84.4 | +65.6 |" in md
    data = json.loads(new.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["progress"]["overall"]["change"] == 65.63
    csv_text = new.with_suffix(".csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].endswith("baseline_level,level_change")
    assert any(line.startswith("A1,") and line.endswith(",1,3") for line in csv_text.splitlines())


@pytest.fixture
def folder(cli, tmp_path, mini) -> Path:
    root = tmp_path / "clients"
    (root / "acme").mkdir(parents=True)
    (root / "bravo").mkdir()
    make(cli, mini, root / "acme" / "2026-08.yaml", "Acme", OLD, "2026-08-01")
    make(cli, mini, root / "acme" / "2026-11.yaml", "ACME", NEW, "2026-11-01")  # same store
    make(cli, mini, root / "bravo" / "audit.yaml", "Bravo", STORE_B, "2026-10-01")
    make(cli, mini, root / "charlie.yaml", "Charlie", STORE_C, "2026-09-01")
    (root / "broken.yaml").write_text("cxaudit: 1\nanswers: [\n", encoding="utf-8")
    (root / "notes.yaml").write_text("todo: call Bravo\n", encoding="utf-8")
    return root


def test_portfolio_json_by_hand(cli, folder):
    result = cli("portfolio", folder, "--format", "json", "-o", folder / "p.json")
    assert result.exit_code == 0, result.output
    data = json.loads((folder / "p.json").read_text(encoding="utf-8"))
    assert data["audits_read"] == 4
    stores = data["stores"]
    assert [(s["store"], s["overall"]["score"], s["audits"]) for s in stores] == [
        ("ACME", 84.38, 2),
        ("Bravo", 81.25, 1),
        ("Charlie", 0.0, 1),
    ]
    assert stores[0]["change"] == 65.63
    # c1: Acme 83.33, Bravo 50.0, Charlie 0.0; c2: 85.0, 100.0, 0.0
    assert data["medians"] == {"c1": 50.0, "c2": 85.0}
    assert stores[0]["against_median"] == {"c1": 33.33, "c2": 0.0}
    assert stores[1]["against_median"] == {"c1": 0.0, "c2": 15.0}
    assert [(g["id"], g["failing"], g["assessed"]) for g in data["common_gaps"]] == [
        ("B2", 2, 3),
        ("A1", 1, 3),
        ("A2", 1, 3),
        ("B1", 1, 3),
    ]
    skipped = {Path(s["path"]).name for s in data["skipped"]}
    assert skipped == {"broken.yaml", "notes.yaml"}


def test_portfolio_table_lists_what_it_skipped(cli, folder):
    result = cli("portfolio", folder)
    assert result.exit_code == 0, result.output
    out = result.stdout.replace("\n", "")  # long paths wrap at 80 columns
    assert out.index("ACME") < out.index("Bravo") < out.index("Charlie")
    assert "Skipped 2 files that are not readable audits:" in out
    assert "broken.yaml:3:1: YAML syntax" in out  # the YAML error with its line
    assert "notes.yaml:1:1: not a cxaudit audit file" in out


@pytest.mark.parametrize("fmt", ["pdf", "html", "csv"])
def test_portfolio_reports(cli, folder, fmt):
    target = folder / f"portfolio.{fmt}"
    result = cli("portfolio", folder, "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "pdf":
        text = "\n".join(p.extract_text() for p in PdfReader(target).pages)
        assert "Portfolio" in text and "Bravo" in text and "Common gaps" in text
    elif fmt == "html":
        html = target.read_text(encoding="utf-8")
        # a bar per store (Acme, Bravo, Charlie) drawn inline as a gradient; nothing linked
        assert html.count('class="bar"') == 3 and "linear-gradient" in html and "<link" not in html
        assert not re.search(r'(src|href)="(https?|file):', html)
    else:
        rows = target.read_text(encoding="utf-8-sig").splitlines()
        assert rows[0].startswith("store,path,date,audits,overall,band,change,c1,c2")
        assert rows[1].startswith("ACME,") and ",84.38,exceeds,65.63," not in rows[1]
        assert ",84.38,meets,65.63," in rows[1]
