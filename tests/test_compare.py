"""Like-for-like comparison (SPEC, Scoring), against values computed by hand.

The checklist is tests/data/mini.yaml. For b2c it asks A1 (c1, s1, weight 2, critical, low
effort), A2 (c1, s1+s2, weight b2c 1 / b2b 3), B1 (c2, s2, weight 4, critical, inverted yes/no),
B2 (c2, s2, weight 1, NPS metric with thresholds 0/20/40/60, low effort); for b2b also B3
(c2, s1, weight 3, hours, better lower, thresholds 72/48/24/8).

OLD has levels A1 1, A2 2, B1 0, B2 2: overall (2*25 + 50 + 0 + 50) / 8 = 18.75; its red
flags are B1 and A1; its plan holds all four gaps.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from audit import resources

OLD = {"A1": {"score": 1}, "A2": {"score": 2}, "B1": {"answer": "yes"}, "B2": {"value": 25}}


def audit_file(
    folder: Path,
    name: str,
    answers: dict,
    when: str,
    checklist: Path,
    segment: str = "b2c",
    **extra,
) -> Path:
    """An audit file written as `run` writes one (the checklist by path, no sha256)."""
    cl = yaml.safe_load(checklist.read_text(encoding="utf-8"))
    data = {
        "cxaudit": 1,
        "checklist": {
            "id": cl["id"],
            "version": cl["version"],
            "path": str(checklist.resolve()),
        },
        "store": {"name": "Acme", "segment": segment},
        "started": f"{when}T09:00:00+00:00",
        "updated": f"{when}T10:00:00+00:00",
        "answers": answers,
        **extra,
    }
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def compare_json(cli, *paths) -> dict:
    result = cli("compare", *paths, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_partial_follow_up_is_compared_on_the_items_answered_in_both(cli, tmp_path, mini):
    old = audit_file(
        tmp_path,
        "old.yaml",
        OLD,
        "2026-08-01",
        mini,
        actions={"A1": {"owner": "Dana", "status": "doing"}, "A2": {"status": "done"}},
    )
    new = audit_file(tmp_path, "new.yaml", {"A2": {"score": 3}}, "2026-11-01", mini)
    data = compare_json(cli, new, old)
    # Only A2 is answered in both: 50 -> 75, not 18.75 -> 75.
    assert data["like_for_like"] == {"items": 1, "ids": ["A2"]}
    assert data["overall"] == {"scores": [50.0, 75.0], "change": 25.0, "items": 1}
    assert data["categories"]["c1"] == {"scores": [50.0, 75.0], "change": 25.0, "items": 1}
    assert data["categories"]["c2"] == {"scores": [None, None], "change": None, "items": 0}
    # Each audit's own score and completion beside it.
    own = [
        (a["overall"]["score"], a["completion"]["percent"], a["provisional"])
        for a in data["audits"]
    ]
    assert own == [(18.75, 100.0, False), (75.0, 25.0, True)]
    assert data["statuses"] == {
        "improved": ["A2"],
        "worse": [],
        "unchanged": [],
        "not re-assessed": ["A1", "B1", "B2"],
        "new": [],
    }
    # Red flags nobody answered are not resolved.
    assert data["red_flags"] == {
        "resolved": [],
        "new": [],
        "open": [],
        "not_reassessed": ["B1", "A1"],
    }
    plan = {p["id"]: (p["change"], p["status"], p["action"]["status"]) for p in data["plan"]}
    assert plan == {
        "B1": ("not re-assessed", "not re-assessed", "open"),
        "A1": ("not re-assessed", "not re-assessed", "doing"),
        "B2": ("not re-assessed", "not re-assessed", "open"),
        "A2": ("improved", "closed", "done"),  # level 3 reaches the default target
    }
    assert next(p for p in data["plan"] if p["id"] == "A1")["action"]["owner"] == "Dana"
    assert [w["kind"] for w in data["warnings"]] == ["incomplete"]
    assert "25% complete (1 of 4 items" in data["warnings"][0]["text"]


def test_partial_follow_up_terminal(cli, tmp_path, mini):
    old = audit_file(tmp_path, "old.yaml", OLD, "2026-08-01", mini)
    new = audit_file(tmp_path, "new.yaml", {"A2": {"score": 3}}, "2026-11-01", mini)
    result = cli("compare", old, new)
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Like for like: the 1 item answered in both audits" in out
    assert "Overall │ 50.0 │ 75.0 │ +25.0" in out
    assert "provisional" in out and "Red flags resolved: none" in out
    # each flag on a line of its own, with the answers before and after and its question
    assert "Red flags not re-assessed (2) B1 yes → – Do replies take days? A1 1 → – Is A1" in out


def test_a_red_flag_is_resolved_only_at_level_2_or_above(cli, tmp_path, mini):
    old = audit_file(tmp_path, "old.yaml", OLD, "2026-08-01", mini)
    # A1 1 -> 2 (resolved), B1 0 -> N/A (not re-assessed), B2 25 -> 5: level 1, not critical.
    answers = {"A1": {"score": 2}, "A2": {"score": 2}, "B1": {"na": True}, "B2": {"value": 5}}
    new = audit_file(tmp_path, "new.yaml", answers, "2026-11-01", mini)
    data = compare_json(cli, old, new)
    assert data["red_flags"]["resolved"] == ["A1"]
    assert data["red_flags"]["not_reassessed"] == ["B1"]
    assert data["statuses"]["not re-assessed"] == ["B1"]
    assert data["statuses"]["worse"] == ["B2"]
    assert data["statuses"]["unchanged"] == ["A2"]
    # A1, A2, B2 in both: (2*25 + 50 + 50) / 4 = 37.5 -> (2*50 + 50 + 25) / 4 = 43.75
    assert data["overall"]["scores"] == [37.5, 43.75] and data["overall"]["items"] == 3
    assert data["warnings"] == []  # N/A counts as answered: both audits are complete


def test_different_segments_are_weighted_alike_and_warned(cli, tmp_path, mini):
    old = audit_file(tmp_path, "old.yaml", OLD, "2026-08-01", mini)
    answers = {
        "A1": {"score": 4},
        "A2": {"score": 2},
        "B1": {"answer": "no"},
        "B2": {"value": 5},
        "B3": {"value": 10},
    }
    new = audit_file(tmp_path, "new.yaml", answers, "2026-11-01", mini, segment="b2b")
    data = compare_json(cli, old, new)
    # A1, A2, B1, B2 with the b2b weights 2, 3, 4, 1:
    # before (2*25 + 3*50 + 0 + 50) / 10 = 25.0; after (200 + 150 + 400 + 25) / 10 = 77.5
    assert data["overall"] == {"scores": [25.0, 77.5], "change": 52.5, "items": 4}
    assert data["statuses"]["new"] == ["B3"]  # b2b only: 10 hours is level 3
    assert [a["segment"] for a in data["audits"]] == ["b2c", "b2b"]
    assert [w["kind"] for w in data["warnings"]] == ["segments"]
    assert "different segments (b2c, b2b)" in data["warnings"][0]["text"]


def _variant(mini: Path, target: Path, **replace: str) -> Path:
    text = mini.read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new)
    target.write_text(text, encoding="utf-8")
    return target


def test_different_checklist_versions_name_items_added_and_removed(cli, tmp_path, mini):
    """1.3.0 drops B2 and adds C1."""
    old = audit_file(tmp_path, "old.yaml", OLD, "2026-08-01", mini)
    text = mini.read_text(encoding="utf-8").replace("version: 1.2.0", "version: 1.3.0")
    c1 = (
        "  - id: C1\n    category: c2\n    strategy: s2\n    question: Is C1 in place?\n"
        "    weight: 2\n    effort: low\n    recommendation: Do C1.\n"
    )
    text = text[: text.index("  - id: B2")] + c1 + text[text.index("  - id: B3") :]
    newer = tmp_path / "mini-1.3.yaml"
    newer.write_text(text, encoding="utf-8")
    answers = {"A1": {"score": 4}, "A2": {"score": 2}, "B1": {"answer": "no"}, "C1": {"score": 3}}
    new = audit_file(tmp_path, "new.yaml", answers, "2026-11-01", newer)
    data = compare_json(cli, old, new)
    assert data["items"] == {"shared": 4, "added": ["C1"], "removed": ["B2"]}
    # A1, A2, B1: (2*25 + 50 + 0) / 7 = 14.29 -> (200 + 50 + 400) / 7 = 92.86
    assert data["overall"]["scores"] == [14.29, 92.86]
    assert data["statuses"]["new"] == ["C1"]
    assert data["statuses"]["not re-assessed"] == ["B2"]
    (warning,) = data["warnings"]
    assert warning["kind"] == "checklists"
    assert warning["text"] == (
        "The audits use different versions of the checklist mini (1.2.0, 1.3.0). "
        "1 item added: C1. 1 item removed: B2."
    )


def test_different_checklist_ids_compare_on_the_shared_items(cli, tmp_path, mini):
    """Another id, and category c2 renamed c3: no KeyError, a warning."""
    old = audit_file(tmp_path, "old.yaml", OLD, "2026-08-01", mini)
    other = _variant(
        mini,
        tmp_path / "other.yaml",
        **{"id:_mini": "id: other", "id:_c2": "id: c3", "category:_c2": "category: c3"},
    )
    answers = {"A1": {"score": 3}, "A2": {"score": 2}, "B1": {"answer": "no"}, "B2": {"value": 45}}
    new = audit_file(tmp_path, "new.yaml", answers, "2026-11-01", other)
    data = compare_json(cli, old, new)
    assert set(data["categories"]) == {"c1", "c3"}
    # 18.75 -> (2*75 + 50 + 400 + 75) / 8 = 84.375
    assert data["overall"]["scores"] == [18.75, 84.38]
    # B1, B2: (0 + 50) / 5 -> (400 + 75) / 5
    assert data["categories"]["c3"]["scores"] == [10.0, 95.0]
    kinds = [w["kind"] for w in data["warnings"]]
    assert kinds == ["checklists"]
    assert "different checklists (mini, other)" in data["warnings"][0]["text"]
    table = cli("compare", old, new)
    assert table.exit_code == 0, table.output
    assert "different checklists" in " ".join(table.stdout.split())


def test_three_audits_are_compared_on_the_items_answered_in_all(cli, tmp_path, mini):
    old = audit_file(tmp_path, "old.yaml", OLD, "2026-05-01", mini)
    mid = audit_file(
        tmp_path, "mid.yaml", {"A1": {"score": 3}, "A2": {"score": 2}}, "2026-08-01", mini
    )
    answers = {"A1": {"score": 4}, "A2": {"score": 2}, "B1": {"answer": "no"}, "B2": {"value": 5}}
    new = audit_file(tmp_path, "new.yaml", answers, "2026-11-01", mini)
    data = compare_json(cli, new, old, mid)
    # A1 and A2 (weights 2, 1): (50 + 50) / 3, (150 + 50) / 3, (200 + 50) / 3
    assert data["overall"] == {"scores": [33.33, 66.67, 83.33], "change": 50.0, "items": 2}
    assert data["statuses"]["improved"] == ["A1", "B1"]  # first against last
    assert data["statuses"]["worse"] == ["B2"]
    assert [w["kind"] for w in data["warnings"]] == ["incomplete"]  # the middle one, 50%


def test_the_demo_with_10_answers_kept_does_not_rise(cli, tmp_path):
    """The issue's case: a follow-up of the demo keeping 10 answers rose by +21.9."""
    demo = resources.reports_dir() / "demo" / "demo-audit.yaml"
    before = tmp_path / "demo-audit.yaml"
    shutil.copy(demo, before)
    data = yaml.safe_load(demo.read_text(encoding="utf-8"))
    kept = dict(list(data["answers"].items())[:10])
    data.update(
        answers=kept, started="2027-02-01T09:00:00+00:00", updated="2027-02-01T10:00:00+00:00"
    )
    after = tmp_path / "follow-up.yaml"
    after.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = compare_json(cli, before, after)
    assert out["like_for_like"]["items"] == 10
    assert out["overall"]["change"] == 0.0
    first_flags = cli("score", before, "--json")
    flags = json.loads(first_flags.stdout)["red_flags"]
    assert flags  # the demo has red flags (AVD-03, DYN-01, STA-03 in 1.0.0)
    assert out["red_flags"]["resolved"] == []
    assert out["red_flags"]["not_reassessed"] == flags
    assert out["audits"][1]["provisional"] is True


# --- portfolio ---------------------------------------------------------------------------------

FULL = {"A1": {"score": 2}, "A2": {"score": 2}, "B1": {"answer": "no"}, "B2": {"value": 65}}


def test_portfolio_ranks_provisional_audits_after_complete_ones(cli, tmp_path, mini):
    root = tmp_path / "clients"
    root.mkdir()
    # Bravo: complete, (2*50 + 50 + 400 + 100) / 8 = 81.25. Zulu: 1 of 4 items, 100.0.
    audit_file(root, "bravo.yaml", FULL, "2026-10-01", mini)
    audit_file(root, "zulu.yaml", {"A1": {"score": 4}}, "2026-10-02", mini)
    for name, when, answers in (
        ("acme-1.yaml", "2026-08-01", OLD),
        ("acme-2.yaml", "2026-11-01", {"A2": {"score": 3}}),
    ):
        path = audit_file(root, name, answers, when, mini)
        path.write_text(path.read_text().replace("name: Acme", "name: Acme Tea"))
    for path, store in ((root / "bravo.yaml", "Bravo"), (root / "zulu.yaml", "Zulu")):
        path.write_text(path.read_text().replace("name: Acme", f"name: {store}"))
    shutil.copy(mini, root / "mini.yaml")  # a checklist kept beside the audits
    result = cli("portfolio", root, "-f", "json", "-o", tmp_path / "p.json")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    rows = [
        (s["store"], s["overall"]["score"], s["completion"]["percent"], s["provisional"])
        for s in data["stores"]
    ]
    assert rows == [
        ("Bravo", 81.25, 100.0, False),
        ("Zulu", 100.0, 25.0, True),
        ("Acme Tea", 75.0, 25.0, True),
    ]
    acme = data["stores"][2]
    # Like for like: A2 alone, 50 -> 75; not 18.75 -> 75.
    assert (acme["change"], acme["change_items"]) == (25.0, 1)
    assert acme["segment"] == "b2c" and acme["audits"] == 2
    assert data["skipped"] == [] and data["checklists"] == ["mini.yaml"]
    assert data["folder"] == "clients" and acme["path"] == "acme-2.yaml"
    table = cli("portfolio", root)
    out = " ".join(table.stdout.split())
    assert "3 stores, 4 audits read" in out
    assert out.index("Bravo") < out.index("Zulu") < out.index("Acme Tea")
    assert "provisional" in out and "not a cxaudit audit file" not in out
    assert "Checklists in the folder (not audits): mini.yaml" in out


def test_portfolio_reports_say_1_store_and_keep_local_paths_out(cli, tmp_path, mini):
    root = tmp_path / "one"
    root.mkdir()
    audit_file(root, "solo.yaml", {**FULL, "B2": {"value": 5}}, "2026-10-01", mini)  # B2 fails
    (root / "broken.yaml").write_text("cxaudit: 1\nanswers: [\n", encoding="utf-8")
    assert "1 store, 1 audit read" in " ".join(cli("portfolio", root).stdout.split())
    for fmt in ("html", "csv", "json"):
        target = tmp_path / f"p.{fmt}"
        result = cli("portfolio", root, "-f", fmt, "-o", target)
        assert result.exit_code == 0, result.output
        text = target.read_text(encoding="utf-8-sig")
        assert str(tmp_path) not in text, fmt
        assert "broken.yaml" in text or fmt == "csv"
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "1 store, 1 audit read" in html and "1 of 1 store<" in html
    assert "80% complete" in html
    rows = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].endswith("segment,completion,provisional,change_items")
    assert rows[1].endswith(",b2c,100.0,no,0") and rows[1].startswith("Acme,solo.yaml,")


def test_an_audit_on_an_earlier_release_is_scored_on_that_release(cli, tmp_path):
    """Old audits still score: an audit made on ecommerce 1.0.0 keeps its own completion when
    compared with one on the current version, and the versions' differences are named."""
    from audit import checklists, resources

    released = resources.released_checklist("ecommerce", "1.0.0")
    assert released is not None
    old_items = checklists.load(released).checklist.items_for("b2c")
    current = checklists.load("ecommerce").checklist
    paths = []
    for name, version, items, when in (
        ("old.yaml", "1.0.0", old_items, "2026-08-01"),
        ("new.yaml", current.version, current.items_for("b2c"), "2026-11-01"),
    ):
        data = {
            "cxaudit": 1,
            "checklist": {"id": "ecommerce", "version": version},
            "store": {"name": "Shop", "segment": "b2c"},
            "started": f"{when}T09:00:00+00:00",
            "updated": f"{when}T10:00:00+00:00",
            "answers": {i.id: {"na": True} if i.type != "scale" else {"score": 3} for i in items},
        }
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    result = cli("compare", *paths, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = json.dumps(data)
    assert "provisional" not in " ".join(w.get("kind", "") for w in data.get("warnings", []))
    assert "1.0.0" in text and "items added" not in result.stderr  # no drift: its own release
    shown = " ".join(cli("compare", *paths).output.split())
    assert "100%" in shown and "provisional" not in shown
    assert "different versions of the checklist ecommerce (1.0.0, 2.0.0)" in shown
