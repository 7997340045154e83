"""Checklists that build on another: extends, include/exclude, overrides, located errors."""

from __future__ import annotations

import shutil

import pytest

from audit import checklists

from .conftest import DATA, write


@pytest.fixture
def base(tmp_path):
    """The mini checklist as a base in tmp_path (tests extend it by path)."""
    target = tmp_path / "base.yaml"
    shutil.copy(DATA / "mini.yaml", target)
    return target


def test_exclude_drops_items_and_new_items_are_added(tmp_path, base):
    path = write(
        tmp_path,
        "mine.yaml",
        """
        extends: base.yaml
        id: mine
        exclude: [A2, B3]
        items:
          - id: N1
            category: c2
            strategy: s1
            question: Is N1 in place?
            recommendation: Put N1 in place.
        """,
    )
    cl = checklists.load(path).checklist
    assert [i.id for i in cl.items] == ["A1", "B1", "B2", "N1"]
    assert cl.id == "mine"
    assert cl.version == "1.2.0" and cl.title == "Mini checklist"  # inherited


def test_include_keeps_only_the_named_items_in_the_base_order(tmp_path, base):
    path = write(tmp_path, "q.yaml", "extends: base.yaml\nid: q\ninclude: [B2, A1]\n")
    assert [i.id for i in checklists.load(path).checklist.items] == ["A1", "B2"]


def test_an_override_replaces_only_the_fields_it_gives(tmp_path, base):
    path = write(
        tmp_path,
        "o.yaml",
        """
        extends: base.yaml
        id: o
        version: 2.0.0
        title: Overridden
        items:
          - id: A2
            weight: 5
            question: Is A2 in place everywhere?
        """,
    )
    cl = checklists.load(path).checklist
    original = checklists.load(base).checklist
    a2, before = cl.item("A2"), original.item("A2")
    assert a2.weight == 5 and a2.question == "Is A2 in place everywhere?"
    assert a2.strategy == before.strategy and a2.recommendation == before.recommendation
    assert (cl.version, cl.title) == ("2.0.0", "Overridden")
    assert [i.id for i in cl.items] == [i.id for i in original.items]  # same place


def test_an_error_in_the_extending_file_is_located_there(cli, tmp_path, base):
    path = write(
        tmp_path,
        "bad.yaml",
        """
        extends: base.yaml
        id: bad
        exclude: [A2, NOPE]
        items:
          - id: A1
            weight: 9
          - id: N1
            category: c9
            strategy: s1
            question: New?
        """,
    )
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    err = result.stderr
    assert f"{path}:3:15: exclude[1]: no item 'NOPE' in the base" in err
    assert f"{path}:6:13: items[0].weight: must be between 1 and 5 (got 9)" in err
    assert f"{path}:7:5: items[1]: missing required field 'recommendation'" in err
    assert f"{path}:8:15: items[1].category: 'c9' is not a category" in err
    assert "4 problems." in err
    assert "Traceback" not in result.output


def test_an_error_in_an_inherited_field_is_located_in_the_base(cli, tmp_path, base):
    base.write_text(base.read_text().replace("    weight: 4\n", "    weight: 7\n"))
    path = write(tmp_path, "ext.yaml", "extends: base.yaml\nid: ext\nexclude: [A1]\n")
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(base.read_text().splitlines(), 1) if "weight: 7" in text)
    assert f"{base}:{line}:13: items[1].weight: must be between 1 and 5 (got 7)" in result.stderr
    assert str(path) not in result.stderr.split("problem")[0]


def test_an_override_of_an_item_left_out_is_an_error(cli, tmp_path, base):
    text = "extends: base.yaml\nid: x\ninclude: [A1]\nitems:\n  - {id: B2, weight: 2}\n"
    path = write(tmp_path, "x.yaml", text)
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    assert f"{path}:5:10: items[0].id: 'B2' is in the base but left out" in result.stderr


def test_include_and_exclude_together_and_choice_without_base(cli, tmp_path, base):
    both = write(tmp_path, "both.yaml", "extends: base.yaml\ninclude: [A1]\nexclude: [A2]\n")
    result = cli("checklist", "validate", both)
    assert result.exit_code == 2
    assert f"{both}:3:1: give include or exclude, not both" in result.stderr
    text = base.read_text() + "include: [A1]\n"
    alone = write(tmp_path, "alone.yaml", text)
    result = cli("checklist", "validate", alone)
    assert result.exit_code == 2
    assert "`include` and `exclude` choose items of a base: add `extends`" in result.stderr


def test_a_cycle_is_a_located_error(cli, tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nid: a\n")
    b = write(tmp_path, "b.yaml", "# b builds on a\nextends: a.yaml\nid: b\n")
    result = cli("checklist", "validate", a)
    assert result.exit_code == 2
    assert f"{b}:2:10: extends: a cycle (a.yaml -> b.yaml -> a.yaml)" in result.stderr
    self_loop = write(tmp_path, "s.yaml", "extends: s.yaml\n")
    result = cli("checklist", "validate", self_loop)
    assert f"{self_loop}:1:10: extends: a cycle (s.yaml -> s.yaml)" in result.stderr


def test_an_unknown_base_is_a_located_error(cli, tmp_path):
    path = write(tmp_path, "u.yaml", "id: u\nextends: nowhere.yaml\n")
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    assert f"{path}:2:10: extends: no checklist 'nowhere.yaml'" in result.stderr


def test_a_chain_of_two_resolves_and_overrides_stack(tmp_path, base):
    write(tmp_path, "mid.yaml", "extends: base.yaml\nid: mid\nitems:\n  - {id: A1, weight: 4}\n")
    top = write(tmp_path, "top.yaml", "extends: mid.yaml\nid: top\nexclude: [B3]\n")
    loaded = checklists.load(top)
    assert loaded.checklist.item("A1").weight == 4
    assert loaded.checklist.item("B3") is None
    assert [p.name for p in loaded.sources] == ["top.yaml", "mid.yaml", "base.yaml"]


def test_the_hash_covers_the_base(tmp_path, base):
    path = write(tmp_path, "h.yaml", "extends: base.yaml\nid: h\ninclude: [A1, B1]\n")
    before = checklists.load(path).sha256
    assert checklists.load(path).sha256 == before  # stable
    base.write_text(base.read_text().replace("Put A1 in place.", "Put A1 in place now."))
    assert checklists.load(path).sha256 != before  # a change in the base is drift


def test_a_file_keeping_a_shipped_id_but_differing_is_warned(cli, tmp_path):
    path = write(tmp_path, "e.yaml", "extends: ecommerce\nexclude: [EXP-01]\n")
    result = cli("checklist", "validate", path)
    assert result.exit_code == 0
    assert f"warning: {path}:" in result.stderr
    warning = " ".join(result.stderr.split())
    assert "keeps the id 'ecommerce' of a shipped checklist but differs from it" in warning
    assert "items removed: EXP-01" in warning
    same = write(tmp_path, "same.yaml", "extends: ecommerce\n")
    result = cli("checklist", "validate", same)
    assert "keeps the id" not in result.stderr


def test_schema_accepts_an_extending_file():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(checklists.schema())
    ok = {"extends": "ecommerce", "id": "mine", "exclude": ["EXP-01"], "items": [{"id": "EXP-03"}]}
    assert list(validator.iter_errors(ok)) == []
    both = {**ok, "include": ["EXP-02"]}
    assert list(validator.iter_errors(both))
    partial_without_base = {"id": "x", "items": [{"id": "EXP-03"}]}
    assert list(validator.iter_errors(partial_without_base))
    typo = {**ok, "items": [{"id": "EXP-03", "wieght": 3}]}
    assert any("wieght" in e.message for e in validator.iter_errors(typo))
