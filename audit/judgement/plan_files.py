"""The action plan as files: CSV for a spreadsheet, ICS for a calendar. Pure: returns bytes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from audit.i18n import _
from audit.judgement.plan import BACKLOG, PlannedAction
from audit.judgement.scoring import Result
from audit.model import Audit, Checklist, localize

CSV_COLUMNS = (
    "period",
    "id",
    "question",
    "level",
    "target",
    "action",
    "owner",
    "due",
    "status",
    "kpi",
    "effort",
    "impact",
)


def rows(checklist: Checklist, result: Result, lang: str) -> list[dict[str, object]]:
    """One row per action, in plan order (30, 60, 90 days, then the backlog)."""
    impacts = {g.id: g for g in result.gaps}
    out: list[dict[str, object]] = []
    for period, ids in result.plan.items():
        for item_id in ids:
            action = result.actions[item_id]
            item = checklist.item(item_id)
            gap = impacts[item_id]
            question = localize(item.question, lang, checklist.default_language) if item else ""
            out.append(
                {
                    "period": period,
                    "id": item_id,
                    "question": question,
                    "level": action.level,
                    "target": action.target,
                    "action": action.text,
                    "owner": action.owner or "",
                    "due": action.due or "",
                    "status": action.status,
                    "kpi": action.kpi or "",
                    "effort": gap.effort,
                    "impact": round(gap.impact, 2),
                }
            )
    return out


def to_csv(checklist: Checklist, result: Result, lang: str) -> bytes:
    from audit.render.csv_out import guard  # the report's cell guard: text never a formula

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(checklist, result, lang):
        writer.writerow({k: guard(v) if isinstance(v, str) else v for k, v in row.items()})
    # The BOM makes Excel read the file as UTF-8 (Arabic, Hebrew and Chinese texts).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_ics(audit: Audit, checklist: Checklist, result: Result, lang: str, uid_base: str) -> bytes:
    """One all-day event per action that has a due date and is still open or under way."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//cxaudit//action plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Action plan: {store}").format(store=audit.store.name))
    stamp = datetime.now(UTC).replace(microsecond=0)
    for period, ids in result.plan.items():
        for item_id in ids:
            action = result.actions[item_id]
            if not action.due or action.status in ("done", "dropped"):
                continue
            cal.add_component(
                _event(Event(), action, period, checklist, lang, f"{uid_base}-{item_id}", stamp)
            )
    return cal.to_ical()


def _event(event, action: PlannedAction, period, checklist: Checklist, lang, uid, stamp):
    item = checklist.item(action.id)
    question = localize(item.question, lang, checklist.default_language) if item else ""
    due = date.fromisoformat(action.due or "")
    event.add("uid", f"{uid}@cxaudit")
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", f"{action.id}: {action.text}")
    lines = [question]
    if period != BACKLOG:
        lines.append(_("Plan: {n} days").format(n=period))
    lines.append(
        _("Target level {target}; status {status}").format(
            target=action.target, status=action.status
        )
    )
    if action.owner:
        lines.append(_("Owner: {owner}").format(owner=action.owner))
    if action.kpi:
        lines.append(_("KPI: {kpi}").format(kpi=action.kpi))
    event.add("description", "\n".join(lines))
    return event
