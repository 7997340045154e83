"""The judgement a plan rests on, through the CLI: gaps, polish, red flags, quick wins, the
capped 30/60/90-day plan, its bookkeeping and its files. Every expected value is computed by
hand in the comments."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

# Nine gaps and one level-3 item. Impact = weight * (4 - level) / 4:
#   R1, R2, R3  critical, w5, level 0, high effort -> 5.0 (red flags)
#   Q1  w4 level 1 low -> 3.0      M1  w3 level 0 medium -> 3.0     H1  w4 level 1 high -> 3.0
#   M2  w4 level 2 medium -> 2.0   Q2  w2 level 2 low -> 1.0        H2  w1 level 0 high -> 1.0
#   P1  level 3: polish, not a gap.   S1 level 4: a strength.
# Gap order (impact, then critical, then lower effort, then id):
#   R1 R2 R3 Q1 M1 H1 M2 Q2 H2
ITEMS = [
    ("R1", 5, "high", True, 0),
    ("R2", 5, "high", True, 0),
    ("R3", 5, "high", True, 0),
    ("Q1", 4, "low", False, 1),
    ("M1", 3, "medium", False, 0),
    ("H1", 4, "high", False, 1),
    ("M2", 4, "medium", False, 2),
    ("Q2", 2, "low", False, 2),
    ("H2", 1, "high", False, 0),
    ("P1", 2, "low", False, 3),
    ("S1", 3, "low", False, 4),
]


def _checklist(tmp_path: Path) -> Path:
    items = []
    for item_id, weight, effort, critical, _level in ITEMS:
        items.append(
            {
                "id": item_id,
                "category": "c1",
                "strategy": "s1",
                "question": f"Is {item_id} in place?",
                "weight": weight,
                "effort": effort,
                "critical": critical,
                "recommendation": f"Fix {item_id}.",
                "recommendation_by_level": {0: f"Start {item_id} from nothing."},
            }
        )
    doc = {
        "id": "plan-test",
        "version": "1.0.0",
        "title": "Plan test",
        "categories": [{"id": "c1", "title": "One"}],
        "strategies": [{"id": "s1", "title": "Strategy"}],
        "items": items,
    }
    path = tmp_path / "plan-test.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _audit(tmp_path: Path, extra: str = "") -> Path:
    _checklist(tmp_path)
    answers = "\n".join(f"  {i}: {{score: {lvl}}}" for i, _w, _e, _c, lvl in ITEMS)
    return _write_audit(tmp_path, answers, extra)


def _write_audit(tmp_path: Path, answers: str, extra: str) -> Path:
    text = (
        "cxaudit: 1\n"
        "checklist: {id: plan-test, version: 1.0.0, path: plan-test.yaml}\n"
        "store: {name: Shop, segment: b2c}\n"
        "started: 2026-11-20T09:00:00+00:00\n"
        "updated: 2026-11-23T10:00:00+00:00\n"
        f"answers:\n{answers}\n{extra}"
    )
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _json(cli, path: Path) -> dict:
    result = cli("score", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_gaps_are_level_two_or_below_and_level_three_is_polish(cli, tmp_path):
    data = _json(cli, _audit(tmp_path))
    assert [g["id"] for g in data["gaps"]] == ["R1", "R2", "R3", "Q1", "M1", "H1", "M2", "Q2", "H2"]
    assert [g["impact"] for g in data["gaps"]][:4] == [5.0, 5.0, 5.0, 3.0]
    assert data["polish"] == ["P1"]
    assert data["strengths"] == ["S1"]
    assert data["red_flags"] == ["R1", "R2", "R3"]
    assert data["quick_wins"] == ["Q1", "Q2"]  # P1 is low effort but at level 3


def test_default_capacity_plan(cli, tmp_path):
    data = _json(cli, _audit(tmp_path))
    # Candidates: R1 R2 R3 (red flags), Q1 Q2 (quick wins), M1 H1 M2 H2.
    # 30: the red flags, then quick wins up to 5. 60: low/medium up to 5. 90: any effort.
    assert data["plan"] == {
        "30": ["R1", "R2", "R3", "Q1", "Q2"],
        "60": ["M1", "M2"],
        "90": ["H1", "H2"],
        "backlog": [],
    }
    assert data["over_capacity"] == 0
    r1 = data["actions"]["R1"]
    assert r1["text"] == "Start R1 from nothing."  # the level-0 advice
    assert data["actions"]["Q1"]["text"] == "Fix Q1."  # no level-1 advice: the general one
    # Default due dates: the audit's date (2026-11-23) plus 30, 60 and 90 days.
    assert r1["due"] == "2026-12-23"
    assert data["actions"]["M1"]["due"] == "2027-01-22"
    assert data["actions"]["H1"]["due"] == "2027-02-21"
    assert (r1["owner"], r1["target"], r1["status"], r1["kpi"]) == (None, 3, "open", None)


def test_more_red_flags_than_capacity(cli, tmp_path):
    data = _json(cli, _audit(tmp_path, "plan: {capacity: [2, 2, 2]}\n"))
    # 30 days holds all three red flags (one over capacity) and no quick win; the quick wins
    # go first in 60 days; 90 takes the next two of any effort; the rest is the backlog.
    assert data["plan"] == {
        "30": ["R1", "R2", "R3"],
        "60": ["Q1", "Q2"],
        "90": ["M1", "H1"],
        "backlog": ["M2", "H2"],
    }
    assert data["over_capacity"] == 1
    assert data["capacity"] == [2, 2, 2]
    assert data["actions"]["M2"]["due"] is None  # the backlog has no default date
    shown = cli("plan", tmp_path / "shop.yaml")
    assert shown.exit_code == 0
    assert "over capacity by 1" in shown.stdout
    assert "Backlog (2)" in shown.stdout


def test_edit_an_action_and_keep_it(cli, tmp_path):
    path = _audit(tmp_path)
    result = cli(
        "plan", path, "M1", "--owner", "Dana", "--due", "2027-01-15", "--target", "4",
        "--status", "doing", "--kpi", "complaints per 100 orders < 2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = yaml.safe_load(path.read_text())["actions"]["M1"]
    assert stored == {
        "owner": "Dana",
        "due": "2027-01-15",
        "target": 4,
        "status": "doing",
        "kpi": "complaints per 100 orders < 2",
    }
    action = _json(cli, path)["actions"]["M1"]
    assert (action["owner"], action["due"], action["target"], action["status"]) == (
        "Dana",
        "2027-01-15",
        4,
        "doing",
    )
    # An empty owner clears it again.
    assert cli("plan", path, "M1", "--owner", "").exit_code == 0
    assert "owner" not in yaml.safe_load(path.read_text())["actions"]["M1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ZZ-99", "--owner", "Dana"], "ZZ-99 is not an action of this plan"),
        (["P1", "--owner", "Dana"], "P1 is not an action of this plan"),  # polish, not a gap
        (["M1", "--due", "2027-02-30"], "due must be a date as YYYY-MM-DD"),
        (["M1", "--status", "finished"], "status must be one of open, doing, done, dropped"),
        (["M1", "--target", "7"], "target must be a level from 1 to 4"),
        (["--capacity", "5,5"], "capacity is three whole numbers"),
        (["--owner", "Dana"], "name the action to edit"),
    ],
)
def test_bad_edits_leave_the_file_unchanged(cli, tmp_path, args, message):
    path = _audit(tmp_path)
    before = path.read_bytes()
    result = cli("plan", path, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_capacity_is_stored(cli, tmp_path):
    path = _audit(tmp_path)
    assert cli("plan", path, "--capacity", "1,0,3").exit_code == 0
    assert yaml.safe_load(path.read_text())["plan"] == {"capacity": [1, 0, 3]}
    assert _json(cli, path)["plan"]["60"] == []


def test_plan_as_csv_and_ics(cli, tmp_path):
    from icalendar import Calendar

    path = _audit(tmp_path)
    cli("plan", path, "R1", "--owner", '=HYPERLINK("x")', "--status", "done")
    result = cli("plan", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "shop-plan.csv").read_text("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["R1", "R2", "R3", "Q1", "Q2", "M1", "M2", "H1", "H2"]
    assert rows[0]["owner"] == '\'=HYPERLINK("x")'  # never a live formula
    assert (rows[0]["period"], rows[0]["due"], rows[0]["impact"]) == ("30", "2026-12-23", "5.0")

    out = tmp_path / "plan.ics"
    assert cli("plan", path, "--format", "ics", "-o", out).exit_code == 0
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    # Every action with a due date that is not done: R1 is done, the backlog is empty here.
    assert len(events) == 8
    first = events[0]
    assert str(first["summary"]).startswith("R2: Start R2 from nothing.")
    assert first.decoded("dtstart").isoformat() == "2026-12-23"


def test_a_perfect_store_has_no_plan(cli, tmp_path):
    _checklist(tmp_path)
    answers = "\n".join(f"  {i}: {{score: 4}}" for i, *_rest in ITEMS)
    path = _write_audit(tmp_path, answers, "")
    data = _json(cli, path)
    assert data["gaps"] == [] and data["polish"] == []
    assert data["plan"] == {"30": [], "60": [], "90": [], "backlog": []}
    assert "No gaps" in cli("plan", path).stdout


def test_version(cli):
    from audit import __version__

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cxaudit {__version__}"


def test_an_edit_takes_the_audits_lock(cli, tmp_path):
    from audit.answers.locking import audit_lock

    path = _audit(tmp_path)
    before = path.read_bytes()
    with audit_lock(path):  # a walkthrough (or a measure) has the audit
        result = cli("plan", path, "M1", "--owner", "Dana")
        assert cli("plan", path).exit_code == 0  # reading the plan needs no lock
    assert result.exit_code == 2
    assert "being changed by another cxaudit" in " ".join(result.stderr.split())
    assert path.read_bytes() == before
