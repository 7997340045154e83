"""Checklist drift and `--checklist PATH` (SPEC, Scoring and Command line).

The mini checklist (tests/data/mini.yaml) scores OLD, levels A1 1, A2 2, B1 0, B2 2, at
(2*25 + 50 + 0 + 50) / 8 = 18.75.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from audit import checklists, resources

OLD = "1\n2\ny\n25\n"


def run(cli, checklist: Path, out: Path, answers: str = OLD, *extra):
    result = cli("run", checklist, "--store", "Acme", "--out", out, *extra, input=answers)
    assert result.exit_code == 0, result.output
    return out


def edit_mini(mini: Path) -> None:
    """A1's weight 2 -> 5 and B2 deleted, version unchanged."""
    text = mini.read_text(encoding="utf-8").replace("    weight: 2\n", "    weight: 5\n", 1)
    start, end = text.index("  - id: B2"), text.index("  - id: B3")
    mini.write_text(text[:start] + text[end:], encoding="utf-8")


def test_an_unchanged_checklist_has_no_drift(cli, tmp_path, mini):
    audit = run(cli, mini, tmp_path / "a.yaml")
    result = cli("score", audit, "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["checklist_drift"] is None


def test_a_checklist_edited_after_the_audit_is_named(cli, tmp_path, mini):
    audit = run(cli, mini, tmp_path / "a.yaml")
    recorded = yaml.safe_load(audit.read_text())["checklist"]["sha256"]
    assert json.loads(cli("score", audit, "--json").stdout)["overall"]["score"] == 18.75
    edit_mini(mini)
    result = cli("score", audit, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # A1 weighs 5, B2 is gone (its answer kept as an orphan): (5*25 + 50 + 0) / 10
    assert data["overall"]["score"] == 17.5
    assert data["orphans"] == ["B2"]
    drift = data["checklist_drift"]
    assert drift["recorded"] == {"version": "1.2.0", "sha256": recorded}
    assert drift["current"]["version"] == "1.2.0" and drift["current"]["sha256"] != recorded
    assert drift["named"] is False  # a private checklist keeps no released copies
    err = " ".join(result.stderr.split())
    assert f"mini 1.2.0 (sha256 {recorded[:12]}) recorded, 1.2.0" in err
    assert "the recorded version is not available" in err
    # compare and report warn too; the tables of score as well.
    assert "checklist changed" in cli("score", audit).stderr
    assert "checklist changed" in cli("report", audit, "-f", "md").stderr
    twin = tmp_path / "b.yaml"
    shutil.copy(audit, twin)
    assert "checklist changed" in cli("compare", audit, twin).stderr


def released_copy(tmp_path: Path) -> tuple[Path, dict]:
    """A private copy of the released ecommerce 1.0.0 (its id and version kept)."""
    released = resources.released_checklist("ecommerce", "1.0.0")
    assert released is not None
    target = tmp_path / "lists" / "ecommerce.yaml"
    target.parent.mkdir()
    shutil.copy(released, target)
    return target, yaml.safe_load(released.read_text(encoding="utf-8"))


def test_drift_from_a_released_version_names_items_changed_and_removed(cli, tmp_path):
    checklist, data = released_copy(tmp_path)
    audit = run(cli, checklist, tmp_path / "a.yaml", "3\n2\n")
    first, second = data["items"][0], data["items"][1]
    first["weight"] = 1 if first.get("weight") != 1 else 5
    del data["items"][1]
    checklist.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = cli("score", audit, "--json")
    assert result.exit_code == 0, result.output
    drift = json.loads(result.stdout)["checklist_drift"]
    assert drift["named"] is True
    assert drift["removed"] == [second["id"]]
    assert drift["added"] == []
    assert drift["changed"] == [{"id": first["id"], "fields": ["weight"]}]
    err = " ".join(result.stderr.split())
    assert f"items removed: {second['id']}" in err
    assert f"items changed: {first['id']} (weight)" in err
    assert "history/ecommerce-1.0.0.yaml" in err  # where to score on the recorded version
    # Scored on the released copy, there is no drift and the removed answer counts again.
    again = cli(
        "score", audit, "--json", "--checklist", resources.released_checklist("ecommerce", "1.0.0")
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["checklist_drift"] is None
    assert second["id"] not in json.loads(again.stdout)["orphans"]


def test_only_versions_are_compared_without_a_recorded_sha256(cli, tmp_path, mini):
    audit = run(cli, mini, tmp_path / "a.yaml")
    text = audit.read_text()
    data = yaml.safe_load(text)
    data["checklist"].pop("sha256")
    audit.write_text(yaml.safe_dump(data, sort_keys=False))
    assert json.loads(cli("score", audit, "--json").stdout)["checklist_drift"] is None
    data["checklist"]["version"] = "1.1.0"
    audit.write_text(yaml.safe_dump(data, sort_keys=False))
    result = cli("score", audit, "--json")
    drift = json.loads(result.stdout)["checklist_drift"]
    assert (drift["recorded"], drift["current"]["version"]) == (
        {"version": "1.1.0", "sha256": None},
        "1.2.0",
    )
    assert "mini 1.1.0 recorded, 1.2.0" in " ".join(result.stderr.split())


def test_resuming_an_audit_names_the_drift_then_records_the_new_checklist(cli, tmp_path, mini):
    audit = run(cli, mini, tmp_path / "a.yaml", "1\n2\n")
    before = yaml.safe_load(audit.read_text())["checklist"]["sha256"]
    edit_mini(mini)
    result = cli("run", "--out", audit, input="n\n")
    assert result.exit_code == 0, result.output
    assert "checklist changed" in result.stderr
    after = yaml.safe_load(audit.read_text())["checklist"]["sha256"]
    assert after != before
    assert cli("score", audit).stderr == ""  # now it answers the edited checklist


def test_a_moved_audit_is_pointed_at_its_checklist(cli, tmp_path, mini):
    lists = tmp_path / "lists"
    lists.mkdir()
    checklist = lists / "mini.yaml"
    shutil.move(mini, checklist)
    audit = run(cli, checklist, tmp_path / "a.yaml", "1\n2\n")
    assert yaml.safe_load(audit.read_text())["checklist"]["path"] == "lists/mini.yaml"
    moved = tmp_path / "archive" / "2026"
    moved.mkdir(parents=True)
    audit = Path(shutil.move(audit, moved / "a.yaml"))
    lost = cli("score", audit)
    assert lost.exit_code == 2 and "is not there any more" in lost.stderr
    found = cli("score", audit, "--json", "--checklist", checklist)
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["checklist_drift"] is None and found.stderr == ""
    # Same for report and compare; the audit file is not changed by them.
    assert cli("report", audit, "-f", "md", "--checklist", checklist).exit_code == 0
    twin = moved / "b.yaml"
    shutil.copy(audit, twin)
    assert cli("compare", audit, twin, "--checklist", checklist).exit_code == 0
    assert cli("score", audit).exit_code == 2
    # run records it, relative to the audit, and answers on.
    resumed = cli("run", "--out", audit, "--checklist", checklist, input="y\n25\n")
    assert resumed.exit_code == 0, resumed.output
    recorded = yaml.safe_load(audit.read_text())["checklist"]
    assert recorded["path"] == "../../lists/mini.yaml"
    assert json.loads(cli("score", audit, "--json").stdout)["overall"]["score"] == 18.75


def test_a_new_audit_takes_its_checklist_from_the_option(cli, tmp_path, mini):
    out = tmp_path / "audits" / "a.yaml"
    out.parent.mkdir()
    result = cli("run", "--checklist", mini, "--store", "Acme", "--out", out, input=OLD)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text())["checklist"]["path"] == "../mini.yaml"
    both = cli(
        "run", "ecommerce", "--checklist", mini, "--store", "Acme", "--out", tmp_path / "b.yaml"
    )
    assert both.exit_code == 2 and "give the checklist once" in both.stderr


def test_checklist_of_another_id_is_refused(cli, tmp_path, mini):
    audit = run(cli, mini, tmp_path / "a.yaml")
    result = cli("score", audit, "--checklist", resources.shipped_checklists()["quick"])
    assert result.exit_code == 2
    assert "is the checklist 'quick'" in result.stderr and "made on 'mini'" in result.stderr
    before = audit.read_text()
    refused = cli("run", "--out", audit, "--checklist", resources.shipped_checklists()["quick"])
    assert refused.exit_code == 2 and audit.read_text() == before


# --- released copies of the shipped checklists -------------------------------------------------


SHIPPED = sorted(resources.shipped_checklists())


@pytest.mark.parametrize("checklist_id", SHIPPED)
def test_a_shipped_checklist_matches_its_released_copy_of_the_same_version(checklist_id):
    """The current file may change only with a new version."""
    current = checklists.load(checklist_id).checklist
    released = resources.released_checklist(checklist_id, current.version)
    if released is None:
        pytest.skip(f"no released copy of {checklist_id} {current.version} (see the next test)")
    dump = {"warnings": False}  # per-segment weights make pydantic warn, not differ
    assert checklists.load(released).checklist.model_dump(**dump) == current.model_dump(**dump), (
        f"{checklist_id}.yaml differs from its released {current.version}: bump its version"
    )


@pytest.mark.parametrize("checklist_id", SHIPPED)
def test_every_shipped_version_has_its_released_copy(checklist_id):
    """Without a copy of the current version, the test above would pass on an edit made
    without a version bump, and audits made on this version could not have their drift named
    once it is replaced. A copy of 1.0.0 alone would not keep either promise."""
    version = checklists.load(checklist_id).checklist.version
    assert resources.released_checklist(checklist_id, version) is not None, (
        f"checklists/history/{checklist_id}-{version}.yaml is missing: copy the released "
        f"{checklist_id}.yaml there"
    )


def test_released_copies_load_and_are_named_by_id_and_version():
    copies = resources.released_checklists()
    assert {p.name for p in copies} >= {"ecommerce-1.0.0.yaml", "quick-1.0.0.yaml"}
    for path in copies:
        cl = checklists.load(path).checklist
        assert path.name == f"{cl.id}-{cl.version}.yaml"


def test_validate_warns_about_a_changed_file_with_a_shipped_id(cli, tmp_path):
    checklist, data = released_copy(tmp_path)
    faithful = cli("checklist", "validate", checklist)
    assert faithful.exit_code == 0 and "keeps the id" not in faithful.stderr
    removed = data["items"].pop(2)["id"]
    checklist.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = cli("checklist", "validate", checklist)
    assert result.exit_code == 0, result.output  # a warning, not an error
    err = " ".join(result.stderr.split())
    assert "keeps the id 'ecommerce' of a shipped checklist but differs from it" in err
    assert f"items removed: {removed}" in err and "an id of its own" in err
