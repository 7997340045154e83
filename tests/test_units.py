"""Metric answers with units and ranges, typed through `cxaudit run` with piped input."""

from __future__ import annotations

import json

import pytest
import yaml

from .conftest import write


def metric_checklist(tmp_path, unit, bounds):
    unit_yaml = json.dumps(unit, ensure_ascii=False)  # JSON is YAML: a text or a mapping
    return write(
        tmp_path,
        "metric.yaml",
        f"""
        id: metric
        version: 1.0.0
        title: One metric
        languages: [en]
        categories: [{{id: c1, title: One}}]
        strategies: [{{id: s1, title: One}}]
        items:
          - id: M1
            category: c1
            strategy: s1
            type: metric
            unit: {unit_yaml}
            thresholds: [0, 1, 2, 3]
            range: {json.dumps(bounds)}
            question: How much?
            recommendation: More.
        """,
    )


def answer(cli, tmp_path, unit, bounds, line):
    checklist = metric_checklist(tmp_path, unit, bounds)
    out = tmp_path / "audit.yaml"
    result = cli("run", checklist, "--store", "Acme", "--out", out, input=line + "\n")
    stored = yaml.safe_load(out.read_text())["answers"] if out.exists() else {}
    return result, stored.get("M1")


@pytest.mark.parametrize(
    ("unit", "bounds", "line", "stored"),
    [
        ("hours", [0, 720], "90 min", {"value": 1.5, "given": "90 min"}),
        ("hours", [0, 720], "2 days", {"value": 48, "given": "2 days"}),
        ("hours", [0, 720], "1.5h", {"value": 1.5, "given": "1.5h"}),
        ("hours", [0, 720], "48", {"value": 48}),
        (
            "hours",
            [0, 720],
            "3.5 hours median",
            {"value": 3.5, "given": "3.5 hours", "note": "median"},
        ),
        ("hours", [0, 720], "12 slow on Mondays", {"value": 12, "note": "slow on Mondays"}),
        ("hours", [0, 720], "1,5 h", {"value": 1.5, "given": "1,5 h"}),
        ("minutes", [0, 10000], "2 hrs", {"value": 120, "given": "2 hrs"}),
        ("days", [0, 30], "36 hours", {"value": 1.5, "given": "36 hours"}),
        ("business hours", [0, 200], "2 business days", {"value": 16, "given": "2 business days"}),
        ("business hours", [0, 200], "90 min", {"value": 1.5, "given": "90 min"}),
        ("business days", [0, 30], "4 working hours", {"value": 0.5, "given": "4 working hours"}),
        ("points", [-100, 100], "-20", {"value": -20}),
        ("points", [-100, 100], "42 points", {"value": 42, "given": "42 points"}),
        ("percent", [0, 100], "93%", {"value": 93, "given": "93%"}),
        ("score", [1, 10], "8.4 score", {"value": 8.4, "given": "8.4 score"}),
        # translated unit words, and an item whose unit is a translated mapping
        ({"en": "hours", "ar": "ساعات"}, [0, 720], "2 days", {"value": 48, "given": "2 days"}),
        ("hours", [0, 720], "2 ساعات", {"value": 2, "given": "2 ساعات"}),
        ("hours", [0, 720], "3 ימים", {"value": 72, "given": "3 ימים"}),
        ("hours", [0, 720], "2天", {"value": 48, "given": "2天"}),
        ("hours", [0, 720], "30 分鐘", {"value": 0.5, "given": "30 分鐘"}),
        # a unit outside the known set is shown as written and never converts
        ("NPS points (-100 to 100)", [-100, 100], "42 points", {"value": 42, "given": "42 points"}),
        ("orders a day", None, "1234567", {"value": 1234567}),
        # no range: any number
        ("points", None, "-5000", {"value": -5000}),
    ],
)
def test_a_metric_answer_is_converted_to_the_items_unit(cli, tmp_path, unit, bounds, line, stored):
    result, got = answer(cli, tmp_path, unit, bounds, line)
    assert result.exit_code == 0, result.output
    assert got == stored


@pytest.mark.parametrize(
    ("unit", "bounds", "line", "message"),
    [
        (
            "hours",
            [0, 720],
            "93%",
            "percent does not convert to hours; use minutes, hours, days",
        ),
        (
            "business hours",
            [0, 200],
            "2 days",
            "days does not convert to business hours; use minutes, hours, business hours,"
            " business days",
        ),
        ("hours", [0, 720], "1 business day", "business day does not convert to hours"),
        ("percent", [0, 100], "5 points", "points does not convert to percent; use percent"),
        ("points", [-100, 100], "150", "150 is outside this item's range, -100 to 100"),
        ("score", [1, 10], "0", "0 is outside this item's range, 1 to 10"),
        ("hours", [0, 24], "2 days", "2 days = 48 hours is outside this item's range, 0 to 24"),
        (
            "average effort, 1 to 7",
            [1, 7],
            "4 h",
            "this item is measured in average effort, 1 to 7: give the number alone",
        ),
        ("hours", None, "1" * 400, "is too long: a number has at most 15 digits"),
        ("hours", None, "1e400", "answer with a number"),
        ("hours", None, "inf", "answer with a number"),
        ("hours", None, "nan", "answer with a number"),
        ("hours", None, "12abc", "answer with a number"),
    ],
)
def test_a_metric_answer_that_cannot_be_taken_is_reported_and_skipped(
    cli, tmp_path, unit, bounds, line, message
):
    result, got = answer(cli, tmp_path, unit, bounds, line)
    assert result.exit_code == 2
    assert "M1: " in result.stderr and "is not an answer" in result.stderr
    assert message in result.stderr
    assert got is None


def test_a_refused_line_does_not_shift_the_answers_that_follow(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    result = cli("run", mini, "--store", "Acme", "--out", out, input="3\n2\ny\n150\n")
    assert result.exit_code == 2
    assert "B2: '150' is not an answer: 150 is outside this item's range, -100 to 100" in (
        result.stderr
    )
    answers = yaml.safe_load(out.read_text())["answers"]
    assert set(answers) == {"A1", "A2", "B1"}
    # the item is asked again on the next run, and a good answer is taken
    result = cli("run", "--out", out, input="2 days\n")
    assert result.exit_code == 2  # B2 is in NPS points: days do not convert
    result = cli("run", "--out", out, input="35 points\n")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text())["answers"]["B2"] == {"value": 35, "given": "35 points"}


def test_checklist_validate_warns_about_a_metric_without_range(cli, tmp_path):
    path = metric_checklist(tmp_path, "hours", None)
    result = cli("checklist", "validate", path)
    assert result.exit_code == 0
    assert f"warning: {path}:" in result.stderr
    assert "M1: a metric without `range` accepts any number" in result.stderr
    with_range = metric_checklist(tmp_path, "hours", [0, 100])
    assert "range" not in cli("checklist", "validate", with_range).stderr


def test_a_known_unit_is_shown_in_the_reports_language_and_any_other_as_written():
    from audit import i18n
    from audit.checklists import units

    i18n.use("ar")
    assert units.label("percent", "percent") == "بالمئة"
    assert units.label({"en": "hours", "ar": "ساعات"}, "ساعات") == "ساعات"
    assert units.label("NPS points (-100 to 100)", "نقاط NPS") == "نقاط NPS"
    i18n.use("en")
    assert units.label("business hours", "business hours") == "business hours"
