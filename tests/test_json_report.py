"""The JSON report: whole numbers as integers, and a published JSON Schema it validates against."""

from __future__ import annotations

import json

import jsonschema
import pytest

from audit import resources

from .outputs_data import answered_mini


def floats_that_are_whole(value, path="$"):
    if isinstance(value, float) and value.is_integer():
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from floats_that_are_whole(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from floats_that_are_whole(item, f"{path}[{n}]")


@pytest.fixture(scope="module")
def schema():
    from typer.testing import CliRunner

    from audit.cli import app

    result = CliRunner().invoke(app, ["report", "--schema"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.Draft7Validator.check_schema(data)
    return data


def test_per_segment_weights_are_integers_like_the_others(cli, tmp_path, schema):
    audit = answered_mini(tmp_path)  # b2b: A2's weight is {b2c: 1, b2b: 3}
    assert cli("report", audit, "-f", "json").exit_code == 0
    text = audit.with_suffix(".json").read_text(encoding="utf-8")
    data = json.loads(text)
    weights = {i["id"]: i["weight"] for i in data["items"]}
    assert weights == {"A1": 2, "A2": 3, "B1": 4, "B2": 1, "B3": 3}
    assert '"weight": 3,' in text and "3.0" not in text
    assert list(floats_that_are_whole(data)) == []
    assert data["overall"]["score"] == 28.85
    assert data["polish"] == ["A2"]
    assert data["actions"]["B3"] == {
        "period": "60",
        "text": "Resolve within a day.",
        "level": 2,
        "owner": None,
        "due": "2027-01-22",
        "target": 3,
        "status": "open",
        "kpi": None,
    }
    b3 = next(i for i in data["items"] if i["id"] == "B3")
    assert [(e["kind"], e["ref"], e["sha256"], e["n"]) for e in b3["evidence"]] == [
        ("measured", "tickets.csv", "ab12", 40)
    ]
    jsonschema.validate(data, schema)


def test_score_json_has_integer_weights_too(cli, tmp_path):
    result = cli("score", answered_mini(tmp_path), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(floats_that_are_whole(data)) == []
    weights = {g["id"]: g["weight"] for g in data["gaps"]}
    assert weights["B3"] == 3 and isinstance(weights["B3"], int)


def test_demo_report_with_baseline_validates(cli, tmp_path, schema):
    demo = resources.reports_dir() / "demo"
    for name in ("demo-audit.yaml", "demo-audit-2026-08.yaml"):
        (tmp_path / name).write_bytes((demo / name).read_bytes())
    audit = tmp_path / "demo-audit.yaml"
    result = cli("report", audit, "-f", "json", "--baseline", tmp_path / "demo-audit-2026-08.yaml")
    assert result.exit_code == 0, result.output
    data = json.loads(audit.with_suffix(".json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["progress"]["trend"]
    assert list(floats_that_are_whole(data)) == []


def test_schema_catches_a_wrong_type(cli, tmp_path, schema):
    audit = answered_mini(tmp_path)
    assert cli("report", audit, "-f", "json").exit_code == 0
    data = json.loads(audit.with_suffix(".json").read_text(encoding="utf-8"))
    data["items"][0]["level"] = "three"
    with pytest.raises(jsonschema.ValidationError, match="three"):
        jsonschema.validate(data, schema)
    del data["items"][0]
    data["completion"].pop("answered")
    with pytest.raises(jsonschema.ValidationError, match="answered"):
        jsonschema.validate(data, schema)


def test_report_help_names_the_schema_and_xlsx(cli):
    result = cli("report", "--help")
    assert "--schema" in result.stdout and "xlsx" in result.stdout


def test_json_never_holds_infinity_or_nan():
    """Input caps refuse such numbers (test_hostile); the writer holds the line on its own."""
    from audit.jsontypes import dumps

    text = dumps({"value": float("inf"), "other": float("nan"), "whole": 4.0, "part": 2.5})
    assert json.loads(text) == {"value": None, "other": None, "whole": 4, "part": 2.5}
    assert '"whole": 4,' in text
