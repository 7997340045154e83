"""`cxaudit measure`: compute the CX measures from an export and write them into the audit.

Everything is computed before anything is written: a bad export leaves the audit file
byte for byte as it was. The export is then copied into `<audit stem>.evidence/` and each
value goes into the metric items whose `measure` matches, as `measured` evidence.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from audit.answers import audits
from audit.answers.exports import (
    BUSINESS_MINUTES,
    DATE,
    MINUTES,
    Column,
    Export,
    open_export,
    utc,
)
from audit.answers.locking import Saver, audit_lock
from audit.answers.measures import NPS, Calendar, Durations, Mean, Share
from audit.checklists import units
from audit.errors import CxAuditError, UsageError
from audit.i18n import _
from audit.model import Answer, Evidence, Item, localize

MEASURES: dict[str, tuple[str, ...]] = {
    "surveys": ("nps", "csat", "ces"),
    "tickets": ("first-reply-time", "resolution-time", "first-contact-resolution"),
    "orders": ("on-time-delivery", "dispatch-time", "return-rate"),
}
REFERENCE = {"surveys": "date", "tickets": "created", "orders": "ordered"}
DURATION = {  # measure -> (start field, end field)
    "first-reply-time": ("created", "first_reply"),
    "resolution-time": ("created", "resolved"),
    "dispatch-time": ("ordered", "shipped"),
}
TIME_UNITS = ("minutes", "hours", "days", "business hours", "business days")
SMALL_SAMPLE = 30  # answers asked for when an item's guidance names no number


@dataclass
class Computed:
    measure: str
    business: bool  # durations in business hours
    accumulator: NPS | Mean | Share | Durations
    columns: list[Column]
    feed: Callable[[list[str], int, datetime | None], None]


@dataclass
class Written:
    item: str
    measure: str
    value: float
    unit: str
    n: int
    margin: float | None
    p90: float | None
    small: bool
    kept: float | str | None = None  # the value kept when --replace was not given


@dataclass
class Outcome:
    columns: list[Column] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # measures that could not be computed
    period: str | None = None
    rows: int = 0
    used: int = 0
    evidence: str | None = None
    notices: list[str] = field(default_factory=list)  # the audit was changed meanwhile: merged


def measure(
    audit_path: Path,
    kind: str,
    export_path: Path,
    maps: list[str],
    period: tuple[date, date] | None,
    replace: bool,
    calendar: Calendar,
) -> Outcome:
    """Measure an export into the audit, holding the audit's lock (see locking.py)."""
    with audit_lock(audit_path):
        saver = Saver.open(audit_path)
        return _measure(saver, audit_path, kind, export_path, maps, period, replace, calendar)


def _measure(
    saver: Saver,
    audit_path: Path,
    kind: str,
    export_path: Path,
    maps: list[str],
    period: tuple[date, date] | None,
    replace: bool,
    calendar: Calendar,
) -> Outcome:
    audit = saver.audit
    loaded = audits.checklist_of(audit, audit_path)
    checklist = loaded.checklist
    lang = checklist.default_language
    targets = [
        item
        for item in checklist.items_for(audit.store.segment)
        if item.type == "metric" and item.measure in MEASURES[kind]
    ]
    if not targets:
        raise CxAuditError(
            _("{checklist}: no metric item names a measure of {kind} ({measures})").format(
                checklist=checklist.id, kind=kind, measures=", ".join(MEASURES[kind])
            ),
            tip=_("give the metric item `measure: {example}` in the checklist").format(
                example=MEASURES[kind][0]
            ),
        )
    export = open_export(export_path, kind, maps)
    outcome = Outcome()
    computed: dict[tuple[str, bool], Computed] = {}
    for item in targets:
        assert item.measure is not None
        business = _business(item)
        key = (item.measure, business)
        if key in computed or any(m == item.measure for m in outcome.skipped):
            continue
        task = _task(export, item, business, calendar)
        if isinstance(task, str):
            outcome.skipped.append(task)
        else:
            computed[key] = task
    if not computed:
        raise CxAuditError(
            _("{path}: nothing to measure:").format(path=export_path)
            + "\n"
            + "\n".join(f"  {why}" for why in outcome.skipped),
            tip=_('name the columns with --map "Column header=field"'),
        )
    ref = export.column(REFERENCE[kind], (DATE,))
    if period is not None and ref is None:
        raise UsageError(
            _("--period needs a {field} column, and {path} has none").format(
                field=REFERENCE[kind], path=export_path
            )
        )
    seen = _Range()
    order_col = export.column("order")
    last_order = None
    for line, row in export.rows():
        outcome.rows += 1
        if order_col is not None:  # one order over several line-item rows is counted once
            number = export.value(row, line, order_col)
            if number and number == last_order:
                continue
            last_order = number
        when = export.date(row, line, ref)
        if when is not None:
            if period is not None and not period[0] <= when.date() <= period[1]:
                continue
            seen.add(when.date())
        elif period is not None:
            continue
        outcome.used += 1
        for task in computed.values():
            task.feed(row, line, when)
    if outcome.rows == 0:
        raise CxAuditError(_("{path}: no rows under the header").format(path=export_path))
    if outcome.used == 0:
        raise CxAuditError(
            _("{path}: no rows in the period {period}").format(
                path=export_path, period=_period_text(period)
            )
        )
    outcome.period = _period_text(period) if period else seen.text()
    used = {c for task in computed.values() for c in task.columns}
    if ref is not None:
        used.add(ref)  # dates the rows: the period
    outcome.columns = sorted(used, key=lambda c: c.index)
    values = _values(targets, computed, lang, outcome)
    for item, written in values:
        current = audit.answers.get(item.id)
        if current is not None and not replace:
            written.kept = (
                current.value if current.value is not None else _("N/A") if current.na else ""
            )
        outcome.written.append(written)
    fresh = [(item, w) for item, w in values if w.kept is None]
    if not fresh:
        return outcome
    outcome.evidence = _copy(export, audit_path)
    for item, written in fresh:
        notes = []
        if written.small:
            notes.append(
                _("small sample: n={n} (fewer than {k})").format(
                    n=written.n, k=_minimum(item, lang)
                )
            )
        notes.append(
            _("columns: {columns}").format(
                columns=", ".join(c.header for c in computed[_key(item)].columns)
            )
        )
        audit.answers[item.id] = Answer(
            value=written.value,
            evidence=[
                Evidence(
                    kind="measured",
                    ref=outcome.evidence,
                    sha256=export.sha256,
                    date=audits.now().date(),
                    n=written.n,
                    period=outcome.period,
                    p90=written.p90,
                    margin=written.margin,
                    note="; ".join(notes),
                )
            ],
        )
    audit.updated = audits.now()
    outcome.notices = saver.save(audit)
    return outcome


def _key(item: Item) -> tuple[str, bool]:
    assert item.measure is not None
    return item.measure, _business(item)


def _business(item: Item) -> bool:
    return units.known(item.unit) in ("business hours", "business days")


def _minimum(item: Item, lang: str) -> int:
    """The sample the item's guidance asks for (`at least 30 responses`), else 30."""
    guidance = localize(item.guidance, lang, lang)
    match = re.search(
        r"(\d+)\s*(?:or more\s+)?(?:responses|answers|respondents|replies|surveys|tickets|orders)",
        guidance,
    )
    return int(match.group(1)) if match else SMALL_SAMPLE


def _task(export: Export, item: Item, business: bool, calendar: Calendar) -> Computed | str:
    """How to compute the item's measure from this export, or why it cannot be."""
    m = item.measure
    assert m is not None
    need = _("{measure} (for {item}): needs a {field} column")
    if m == "nps":
        col = export.column("nps")
        if col is None:
            return need.format(measure=m, item=item.id, field="nps")
        nps = NPS()

        def feed_nps(row: list[str], line: int, when: datetime | None) -> None:
            score = export.number(row, line, col)
            if score is None:
                return
            if not 0 <= score <= 10 or score != int(score):
                raise export.problem(
                    line, col, _("{n:g} is not an NPS answer (0 to 10)").format(n=score)
                )
            nps.add(score)

        return Computed(m, False, nps, [col], feed_nps)
    if m in ("csat", "ces"):
        col = export.column(m)
        if col is None:
            return need.format(measure=m, item=item.id, field=m)
        mean = Mean()
        bounds = item.range

        def feed_mean(row: list[str], line: int, when: datetime | None) -> None:
            score = export.number(row, line, col)
            if score is None:
                return
            if bounds is not None and not bounds[0] <= score <= bounds[1]:
                raise export.problem(
                    line,
                    col,
                    _("{n:g} is outside the item's scale, {low:g} to {high:g}").format(
                        n=score, low=bounds[0], high=bounds[1]
                    ),
                )
            mean.add(score)

        return Computed(m, False, mean, [col], feed_mean)
    if m in DURATION:
        unit = units.known(item.unit)
        if unit not in TIME_UNITS:
            return _("{measure} (for {item}): the item's unit is not a time unit ({units})").format(
                measure=m, item=item.id, units=", ".join(TIME_UNITS)
            )
        return _duration(export, item, m, business, calendar)
    if m == "first-contact-resolution":
        replies = export.column("replies")
        resolved = export.column("resolved")
        if replies is None or resolved is None:
            missing = "replies" if replies is None else "resolved"
            return need.format(measure=m, item=item.id, field=missing)
        share = Share()

        def feed_fcr(row: list[str], line: int, when: datetime | None) -> None:
            if not export.value(row, line, resolved):
                return
            count = export.number(row, line, replies)
            if count is not None:
                share.add(count == 1)

        return Computed(m, False, share, [replies, resolved], feed_fcr)
    if m == "on-time-delivery":
        delivered = export.column("delivered", (DATE,))
        promised = export.column("promised", (DATE,))
        if delivered is None or promised is None:
            missing = "delivered" if delivered is None else "promised"
            return need.format(measure=m, item=item.id, field=missing)
        share = Share()

        def feed_on_time(row: list[str], line: int, when: datetime | None) -> None:
            got = export.date(row, line, delivered)
            due = export.date(row, line, promised)
            if got is not None and due is not None:
                share.add(got.date() <= due.date())

        return Computed(m, False, share, [delivered, promised], feed_on_time)
    # return-rate
    returned = export.column("returned")
    if returned is None:
        return need.format(measure=m, item=item.id, field="returned")
    share = Share()

    def feed_returns(row: list[str], line: int, when: datetime | None) -> None:
        share.add(export.flag(row, line, returned))

    return Computed(m, False, share, [returned], feed_returns)


def _duration(
    export: Export, item: Item, m: str, business: bool, calendar: Calendar
) -> Computed | str:
    start_field, end_field = DURATION[m]
    start = export.column(start_field, (DATE,))
    kinds = (BUSINESS_MINUTES, DATE) if business else (DATE, MINUTES)
    end = next((c for k in kinds if (c := export.column(end_field, (k,))) is not None), None)
    if end is None:
        return _("{measure} (for {item}): needs a {field} column").format(
            measure=m, item=item.id, field=end_field
        )
    durations = Durations()
    if end.kind in (MINUTES, BUSINESS_MINUTES):

        def feed_minutes(row: list[str], line: int, when: datetime | None) -> None:
            minutes = export.number(row, line, end)
            if minutes is None:
                return
            if minutes < 0:
                raise export.problem(line, end, _("a duration cannot be negative"))
            durations.add(minutes / 60)

        return Computed(m, business, durations, [end], feed_minutes)
    if start is None:
        return _("{measure} (for {item}): needs a {field} column").format(
            measure=m, item=item.id, field=start_field
        )

    def feed_dates(row: list[str], line: int, when: datetime | None) -> None:
        began = export.date(row, line, start)
        ended = export.date(row, line, end)
        if began is None or ended is None:
            return
        if (began.tzinfo is None) == (ended.tzinfo is None):
            seconds = (ended - began).total_seconds()
        else:
            seconds = (utc(ended) - utc(began)).total_seconds()
        if seconds < 0:
            raise export.problem(
                line,
                end,
                _("{end} comes before {start} ({when})").format(
                    end=end_field, start=start_field, when=began.isoformat(sep=" ")
                ),
            )
        durations.add(calendar.hours_between(began, ended) if business else seconds / 3600)

    return Computed(m, business, durations, [start, end], feed_dates)


def _values(
    targets: list[Item], computed: dict[tuple[str, bool], Computed], lang: str, outcome: Outcome
) -> list[tuple[Item, Written]]:
    out = []
    for item in targets:
        task = computed.get(_key(item))
        if task is None:
            continue
        acc = task.accumulator
        if acc.n == 0:
            outcome.skipped.append(
                _("{measure} (for {item}): no row gives it").format(
                    measure=task.measure, item=item.id
                )
            )
            continue
        value, margin = acc.value, acc.margin
        p90 = acc.p90 if isinstance(acc, Durations) else None
        unit = units.known(item.unit) or localize(item.unit, lang, lang)
        if isinstance(acc, Durations):
            base = "business hours" if task.business else "hours"
            value = units.convert(value, base, unit) or 0.0
            p90 = units.convert(p90 or 0.0, base, unit)
        if item.range is not None and not item.range[0] <= value <= item.range[1]:
            outcome.skipped.append(
                _(
                    "{measure} (for {item}): {value:g} is outside the item's range,"
                    " {low:g} to {high:g}"
                ).format(
                    measure=task.measure,
                    item=item.id,
                    value=round(value, 2),
                    low=item.range[0],
                    high=item.range[1],
                )
            )
            continue
        written = Written(
            item=item.id,
            measure=task.measure,
            value=round(value, 2),
            unit=unit,
            n=acc.n,
            margin=None if margin is None else round(margin, 2),
            p90=None if p90 is None else round(p90, 2),
            small=acc.n < _minimum(item, lang),
        )
        out.append((item, written))
    return out


class _Range:
    def __init__(self) -> None:
        self.low: date | None = None
        self.high: date | None = None

    def add(self, day: date) -> None:
        if self.low is None or day < self.low:
            self.low = day
        if self.high is None or day > self.high:
            self.high = day

    def text(self) -> str | None:
        if self.low is None or self.high is None:
            return None
        return f"{self.low.isoformat()}..{self.high.isoformat()}"


def _period_text(period: tuple[date, date] | None) -> str:
    return "" if period is None else f"{period[0].isoformat()}..{period[1].isoformat()}"


def _copy(export: Export, audit_path: Path) -> str:
    """Copy the export into `<audit stem>.evidence/` (once per content); its relative ref."""
    folder = audit_path.parent / f"{audit_path.stem}.evidence"
    folder.mkdir(exist_ok=True)
    name = Path(export.path.name)
    target = folder / name
    n = 1
    while target.exists():
        if _sha256(target) == export.sha256:
            return f"{folder.name}/{target.name}"
        n += 1
        target = folder / f"{name.stem}-{n}{name.suffix}"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        shutil.copyfile(export.path, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return f"{folder.name}/{target.name}"


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
