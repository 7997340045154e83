"""The report as tables of typed cells, for the CSV and the xlsx renderers.

A cell is a str (user or checklist text), an int or float (a number a spreadsheet can sum), a
date, or None (empty). Each column has a stable key (the CSV header, for scripts) and a label in
the report's language (the xlsx header, for people).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from audit.i18n import _
from audit.render.document import ItemView, Report

Cell = str | int | float | date | None


@dataclass
class Sheet:
    name: str  # the part: items, categories, strategies, plan, measures
    title: str  # the part's name in the report's language
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [key for key, _label in self.columns]


PERIODS = ("30", "60", "90", "backlog")


def finding(item: ItemView) -> str:
    """Where the item stands: red flag, gap (level 2 or below), polish (3) or strength (4)."""
    if item.level is None:
        return ""
    if item.red_flag:
        return "red flag"
    return "gap" if item.level <= 2 else ("polish" if item.level == 3 else "strength")


def answer(item: ItemView) -> Cell:
    """The answer as given; a metric's as its number, so that it stays a number."""
    if item.status == "na":
        return "N/A"
    if item.status == "unanswered":
        return None
    if item.kind == "metric" and item.value is not None:
        return item.value
    return item.answer


def periods(report: Report) -> dict[str, str]:
    """Each planned item's period: 30, 60, 90 or backlog."""
    actions = report.result.get("actions") or {}
    if actions:
        return {item_id: a["period"] for item_id, a in actions.items()}
    plan = report.result.get("plan") or {}
    return {item_id: period for period in PERIODS for item_id in plan.get(period, [])}


def _date(text: Any) -> Cell:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return str(text)


EVIDENCE_FIELDS = ("kind", "ref", "sha256", "date", "n", "period", "p90", "note")


def evidence_records(item: ItemView) -> list[dict[str, Any]]:
    """The answer's evidence as recorded in the audit: kind, ref, sha256, date, n, period...

    Read from the item's records; where a view carries only what the report shows, from that
    (without sha256).
    """
    records = getattr(item, "evidence_records", None)
    if records is None:
        records = [vars(e) for e in getattr(item, "evidence", None) or []]
    return [{key: record.get(key) for key in EVIDENCE_FIELDS} for record in records]


def evidence(item: ItemView) -> list[dict[str, Any]]:
    """The answer's evidence; an answer given without any counts as reported (the spec)."""
    found = evidence_records(item)
    if not found and item.status == "answered":
        return [{"kind": "reported"}]
    return found


def _joined(values: list[Any]) -> str | None:
    texts = [str(v) for v in values if v not in (None, "")]
    return "; ".join(texts) or None


ACTION_COLUMNS = [
    ("owner", "Owner"),
    ("due", "Due"),
    ("target", "Target level"),
    ("status", "Status"),
    ("kpi", "KPI"),
]


def _action(report: Report, item_id: str) -> list[Cell]:
    action = (report.result.get("actions") or {}).get(item_id)
    if not action:
        return [None] * len(ACTION_COLUMNS)
    return [
        action.get("owner"),
        _date(action.get("due")),
        action.get("target"),
        action.get("status"),
        action.get("kpi"),
    ]


def items(report: Report) -> Sheet:
    columns = [
        ("id", _("Item")),
        ("category", _("Expectation type")),
        ("strategies", _("Strategies")),
        ("question", _("Question")),
        ("answer", _("Answer")),
        ("level", _("Level")),
        ("score", _("Score")),
        ("weight", _("Weight")),
        ("impact", _("Impact")),
        ("note", _("Note")),
        ("value", _("Value")),
        ("unit", _("Unit")),
        ("finding", _("Finding")),
        ("plan", _("Plan")),
        *((key, _(label)) for key, label in ACTION_COLUMNS),
        ("evidence_kind", _("Evidence")),
        ("evidence_ref", _("Evidence reference")),
        ("evidence_sha256", "sha256"),
    ]
    before: dict[str, int | None] = {}
    if report.progress:
        columns += [("baseline_level", _("Baseline level")), ("level_change", _("Change"))]
        before = {k: pair[0] for k, pair in report.progress.data["levels"].items()}
    sheet = Sheet("items", _("Items"), columns)
    planned = periods(report)
    for i in report.items:
        found = evidence(i)
        row: list[Cell] = [
            i.id,
            i.category,
            "; ".join(i.strategies),
            i.question,
            answer(i),
            i.level,
            i.score,
            i.weight,
            i.impact,
            i.note or None,
            i.value,
            i.unit or None,
            finding(i) or None,
            planned.get(i.id),
            *_action(report, i.id),
            _joined([e.get("kind") for e in found]),
            _joined([e.get("ref") for e in found]),
            _joined([e.get("sha256") for e in found]),
        ]
        if report.progress:
            old = before.get(i.id)
            row += [old, None if old is None or i.level is None else i.level - old]
        sheet.rows.append(row)
    return sheet


def groups(report: Report, name: str) -> Sheet:
    title = _("Expectation types") if name == "categories" else _("Strategies")
    views = report.categories if name == "categories" else report.strategies
    sheet = Sheet(
        name,
        title,
        [
            ("id", "id"),
            ("title", _("Title")),
            ("score", _("Score")),
            ("band", _("Band")),
            ("answered", _("Answered")),
            ("na", _("N/A")),
            ("unanswered", _("Open")),
        ],
    )
    for g in views:
        sheet.rows.append([g.id, g.title, g.score, g.band, g.answered, g.na, g.unanswered])
    return sheet


def plan(report: Report) -> Sheet:
    sheet = Sheet(
        "plan",
        _("Action plan"),
        [
            ("period", _("Plan")),
            ("id", _("Item")),
            ("question", _("Question")),
            ("action", _("Recommendation")),
            ("level", _("Level")),
            ("impact", _("Impact")),
            ("effort", _("Effort")),
            *((key, _(label)) for key, label in ACTION_COLUMNS),
        ],
    )
    by_id = {i.id: i for i in report.items}
    actions = report.result.get("actions") or {}
    for item_id, period in periods(report).items():
        i = by_id.get(item_id)
        if i is None:
            continue
        text = (actions.get(item_id) or {}).get("text") or i.recommendation
        sheet.rows.append(
            [period, i.id, i.question, text, i.level, i.impact, i.effort, *_action(report, i.id)]
        )
    sheet.rows.sort(key=lambda row: PERIODS.index(str(row[0])))
    return sheet


def measures(report: Report) -> Sheet:
    sheet = Sheet(
        "measures",
        _("Customer experience measures"),
        [
            ("id", _("Item")),
            ("question", _("Measure")),
            ("value", _("Value")),
            ("unit", _("Unit")),
            ("level", _("Level")),
            ("better", _("Better")),
            *((f"threshold_{n}", _("Level {n} threshold").format(n=n)) for n in range(1, 5)),
            ("n", _("Sample size")),
            ("period", _("Period")),
            ("evidence_kind", _("Evidence")),
        ],
    )
    for m in report.measures:
        found = evidence(m)
        thresholds: list[Cell] = [*m.thresholds]
        thresholds += [None] * (4 - len(thresholds))
        sheet.rows.append(
            [
                m.id,
                m.question,
                m.value,
                m.unit or None,
                m.level,
                m.better,
                *thresholds,
                next((e["n"] for e in found if e.get("n") is not None), None),
                next((e["period"] for e in found if e.get("period")), None),
                _joined([e.get("kind") for e in found]),
            ]
        )
    return sheet


def all_sheets(report: Report) -> list[Sheet]:
    return [
        items(report),
        groups(report, "categories"),
        groups(report, "strategies"),
        plan(report),
        measures(report),
    ]
