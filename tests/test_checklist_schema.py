"""The checklist JSON Schema: what it can catch by itself (the metric rules), and what only
`cxaudit checklist validate` knows (ids that refer to the file's own categories)."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from .conftest import write

HEAD = """\
id: tiny
version: 1.0.0
title: Tiny
categories: [{id: c1, title: One}]
strategies: [{id: s1, title: One}]
items:
"""
METRIC = """\
  - id: M1
    category: c1
    strategy: s1
    type: metric
    question: What is your NPS?
    recommendation: Ask.
    unit: points
    thresholds: [0, 20, 40, 60]
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    from typer.testing import CliRunner

    from audit.cli import app

    result = CliRunner().invoke(app, ["checklist", "schema"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    jsonschema.Draft7Validator.check_schema(data)
    return data


def problems(schema, text: str) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [e.message for e in validator.iter_errors(yaml.safe_load(HEAD + text))]


def test_a_complete_metric_passes(schema):
    assert problems(schema, METRIC) == []


@pytest.mark.parametrize("missing", ["unit", "thresholds"])
def test_a_metric_needs_unit_and_thresholds(schema, missing):
    text = "".join(line for line in METRIC.splitlines(True) if not line.strip().startswith(missing))
    found = problems(schema, text)
    assert found and any(missing in p for p in found), found


def test_metric_fields_belong_to_metrics(schema):
    scale_with_unit = METRIC.replace("    type: metric\n", "")
    assert problems(schema, scale_with_unit)
    inverted_scale = METRIC.replace("    type: metric\n", "    inverted: true\n").replace(
        "    unit: points\n    thresholds: [0, 20, 40, 60]\n", ""
    )
    assert problems(schema, inverted_scale)
    assert (
        problems(
            schema, inverted_scale.replace("inverted: true", "inverted: true\n    type: yesno")
        )
        == []
    )


def test_three_thresholds_are_refused(schema):
    assert problems(schema, METRIC.replace("[0, 20, 40, 60]", "[0, 20, 40]"))


def test_validate_is_the_full_check(schema, cli, tmp_path):
    """An unknown category passes the schema (it cannot know the file's ids); validate fails."""
    text = METRIC.replace("category: c1", "category: nowhere")
    assert problems(schema, text) == []
    path = write(tmp_path, "tiny.yaml", HEAD + text)
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2 and "nowhere" in result.output
