"""Checklists: the shipped content, the schema, and every loader error, through the CLI."""

from __future__ import annotations

import collections
import json

import pytest

from audit import checklists, resources

from .conftest import write

EXPECTATION_TYPES = [
    "explicit",
    "implicit",
    "technological",
    "static-performance",
    "dynamic-performance",
    "digital",
    "interpersonal",
    "situational",
]
STRATEGIES = [
    "prioritise-service",
    "be-where-customers-are",
    "listen-to-feedback",
    "be-honest",
    "keep-communicating",
    "prioritise-logistics",
]


@pytest.mark.parametrize("name", ["ecommerce", "quick"])
def test_shipped_checklists_validate_without_warnings(cli, name):
    path = resources.shipped_checklists()[name]
    result = cli("checklist", "validate", path)
    assert result.exit_code == 0, result.output
    assert f"ok: {path}: {name} " in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("name", ["ecommerce", "quick"])
def test_shipped_checklists_use_the_eight_types_and_six_strategies(name):
    cl = checklists.load(name).checklist
    assert [c.id for c in cl.categories] == EXPECTATION_TYPES
    assert [s.id for s in cl.strategies] == STRATEGIES


def test_ecommerce_covers_every_category_and_strategy_six_times():
    cl = checklists.load("ecommerce").checklist
    assert len(cl.items) >= 64
    per_category = collections.Counter(item.category for item in cl.items)
    per_strategy = collections.Counter(s for item in cl.items for s in item.strategy)
    assert min(per_category[c] for c in EXPECTATION_TYPES) >= 6, per_category
    assert min(per_strategy[s] for s in STRATEGIES) >= 6, per_strategy


def test_ecommerce_has_practices_to_avoid_measures_and_sourced_benchmarks():
    cl = checklists.load("ecommerce").checklist
    avoid = [i for i in cl.items if "practice to avoid" in str(i.guidance)]
    metrics = [i for i in cl.items if i.type == "metric"]
    assert len(avoid) >= 5  # slow replies, misunderstanding, pending, mechanical, rude
    assert len(metrics) >= 12
    units = " ".join(str(i.unit) + str(i.question) for i in metrics).lower()
    for measure in ("nps", "satisf", "effort", "resol", "first-reply"):
        assert measure in units
    benchmarks = [b for i in cl.items for b in i.benchmark]
    assert len(benchmarks) >= 15
    assert all(b.source for b in benchmarks)
    sources = " ".join(str(b.source) for b in benchmarks)
    for survey in ("DHL", "HubSpot", "BigCommerce", "MyCustomer", "Customer expectations"):
        assert survey in sources
    # The DHL survey splits B2C and B2B: both segments get their own figures.
    assert {seg for b in benchmarks for seg in (b.segments or [])} == {"b2c", "b2b"}
    # Where the survey shows a difference, weights differ by segment.
    assert any(not isinstance(i.weight, int | float) for i in cl.items)


@pytest.mark.parametrize("name", ["ecommerce", "quick"])
def test_every_item_has_guidance_recommendation_and_effort(name):
    for item in checklists.load(name).checklist.items:
        assert len(str(item.guidance)) > 80, item.id
        assert len(str(item.recommendation)) > 40, item.id


def test_quick_has_two_items_per_category():
    cl = checklists.load("quick").checklist
    assert len(cl.items) == 16
    assert set(collections.Counter(i.category for i in cl.items).values()) == {2}
    assert {s for i in cl.items for s in i.strategy} == set(STRATEGIES)


def test_quick_is_a_selection_of_ecommerce_with_identical_items():
    import yaml

    raw = yaml.safe_load(resources.shipped_checklists()["quick"].read_text(encoding="utf-8"))
    assert raw["extends"] == "ecommerce" and "items" not in raw
    assert len(raw["include"]) == 16
    quick = checklists.load("quick").checklist
    full = checklists.load("ecommerce").checklist
    for item in quick.items:
        assert item == full.item(item.id), item.id
    assert [c.id for c in quick.categories] == [c.id for c in full.categories]
    assert quick.scale == full.scale
    # its own id, title and description, in the four languages
    assert (quick.id, full.id) == ("quick", "ecommerce")
    assert quick.title != full.title and set(quick.title) == set(full.languages)
    assert set(quick.description) == set(full.languages)
    # secure payment and privacy are part of the quick scan
    questions = " ".join(str(i.question).lower() for i in quick.items)
    assert "payment" in questions and "privacy" in questions


@pytest.mark.parametrize("name", ["ecommerce", "quick"])
def test_shipped_checklists_carry_the_schema_modeline(name):
    first = resources.shipped_checklists()[name].read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=checklist.schema.json"


def test_shipped_schema_file_is_current(cli):
    result = cli("checklist", "schema")
    assert result.exit_code == 0
    shipped = (resources.checklists_dir() / "checklist.schema.json").read_text()
    assert result.stdout == shipped, "run `make schema`"
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "Item" in schema["definitions"]
    assert schema["additionalProperties"] is False


def test_schema_accepts_shipped_checklists_and_rejects_typos():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = checklists.schema()
    validator = jsonschema.Draft7Validator(schema)
    for name in ("quick", "ecommerce"):
        data = yaml.safe_load(resources.shipped_checklists()[name].read_text())
        assert list(validator.iter_errors(data)) == [], name
    data["items"][0]["wieght"] = 3
    assert any("wieght" in e.message for e in validator.iter_errors(data))


BROKEN = """
id: broken
version: 1.0
title: Broken
title: Twice
categories:
  - {id: digital, title: Digital}
strategies:
  - {id: be-honest, title: Honest}
items:
  - id: X-1
    category: digtal
    strategy: [be-honest, nope]
    question: Q?
    recommendation: R
    wieght: 3
  - id: X-1
    category: digital
    strategy: be-honest
    question: Q?
    recommendation: R
    weight: 9
    effort: huge
  - id: X-3
    category: digital
    strategy: be-honest
    type: metric
    unit: points
    question: Q?
    recommendation: R
    thresholds: [1, 2, 3]
"""


def test_validate_reports_every_problem_with_file_line_and_column(cli, tmp_path):
    path = write(tmp_path, "broken.yaml", BROKEN)
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    err = result.stderr
    expected = [
        f"{path}:2:10: version: must be text; YAML read 1.0 as a number: put it in quotes",
        f"{path}:4:1: duplicate key 'title' (first at line 3)",
        f"{path}:11:15: items[0].category: 'digtal' is not a category of this checklist",
        f"{path}:12:27: items[0].strategy: 'nope' is not a strategy of this checklist",
        f"{path}:15:5: items[0]: unknown field 'wieght' (did you mean 'weight'?)",
        f"{path}:16:9: items[1].id: duplicate item id 'X-1'",
        f"{path}:21:13: items[1].weight: must be between 1 and 5 (got 9)",
        f"{path}:22:13: items[1].effort:",
        f"{path}:30:17: items[2].thresholds: needs at least 4 entries (got 3)",
    ]
    for line in expected:
        assert line in err, f"missing: {line}\n--- got:\n{err}"
    assert "9 problems. Fix them and run `cxaudit checklist validate" in err
    assert "Traceback" not in result.output


def test_yaml_syntax_error_is_located(cli, tmp_path):
    path = write(tmp_path, "syntax.yaml", "id: x\nitems:\n  - id: [unclosed\n")
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    assert f"{path}:4:1: YAML syntax:" in result.stderr


def test_metric_thresholds_must_run_the_right_way(cli, tmp_path, mini):
    text = mini.read_text().replace("thresholds: [72, 48, 24, 8]", "thresholds: [8, 24, 48, 72]")
    path = write(tmp_path, "m.yaml", text)
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    assert "with `better: lower` thresholds must fall" in result.stderr


def test_validate_many_files_reports_each(cli, tmp_path, mini):
    broken = write(tmp_path, "b.yaml", "id: b\n")
    result = cli("checklist", "validate", mini, broken)
    assert result.exit_code == 2
    assert f"ok: {mini}: mini 1.2.0, 5 items" in result.stdout
    assert f"{broken}:1:1: missing required field 'version'" in result.stderr


def test_missing_language_is_a_warning_with_location(cli, tmp_path, mini):
    text = (
        mini.read_text()
        .replace("languages: [en]", "languages: [en, ar]")
        .replace("title: Mini checklist", "title: {en: Mini checklist, ar: قائمة صغيرة}")
    )
    path = write(tmp_path, "two.yaml", text)
    result = cli("checklist", "validate", path)
    assert result.exit_code == 0
    assert "warnings" in result.stdout
    assert f"warning: {path}:" in result.stderr
    assert "text has no language mapping (en, ar)" in result.stderr


def test_unknown_checklist_id_is_a_clear_error(cli):
    result = cli("checklist", "show", "nosuch")
    assert result.exit_code == 2
    assert "no checklist 'nosuch'" in result.stderr
    assert "ecommerce" in result.stderr


def test_list_and_show(cli):
    listed = cli("checklist", "list")
    assert listed.exit_code == 0
    assert "ecommerce" in listed.stdout and "quick" in listed.stdout
    shown = cli("checklist", "show", "quick")
    assert shown.exit_code == 0
    assert "DIG-04" in shown.stdout
    assert "Digital expectations" in shown.stdout
