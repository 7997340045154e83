"""The action plan: one action per gap, placed in 30, 60 and 90 days by capacity. Pure.

The rules are the spec's: candidates in priority order (red flags, then quick wins, then the
other gaps, each in gap order); 30 days takes every red flag, even past capacity, then quick
wins up to capacity; 60 days the next candidates of low or medium effort; 90 days the next of
any effort; the rest is the backlog. Each action carries the bookkeeping stored under
`actions:` in the audit file, with defaults where it is unset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from audit.model import ACTION_STATUSES, Action, Audit, PlanSettings

PERIODS = ("30", "60", "90")
BACKLOG = "backlog"
DEFAULT_TARGET = 3
DEFAULT_CAPACITY = (5, 5, 5)


class GapLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def effort(self) -> str: ...


@dataclass(frozen=True)
class PlannedAction:
    """One action as the plan shows it: where it sits, what to do, and its bookkeeping."""

    id: str
    period: str  # "30", "60", "90" or "backlog"
    text: str
    level: int
    owner: str | None
    due: str | None  # ISO date; None in the backlog unless set
    target: int
    status: str
    kpi: str | None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("id")
        return out


@dataclass(frozen=True)
class Plan:
    periods: dict[str, list[str]]  # "30", "60", "90", "backlog" -> item ids in priority order
    actions: dict[str, PlannedAction]
    capacity: tuple[int, int, int]


def capacity_of(audit: Audit) -> tuple[int, int, int]:
    settings = audit.plan or PlanSettings()
    first, second, third = settings.capacity
    return first, second, third


def candidates(gaps: Sequence[GapLike], red_flags: Sequence[str], quick_wins: Sequence[str]):
    """Gaps in priority order: red flags, then quick wins, then the rest, each in gap order."""
    flags, quick = set(red_flags), set(quick_wins)
    first = [g for g in gaps if g.id in flags]
    second = [g for g in gaps if g.id in quick and g.id not in flags]
    rest = [g for g in gaps if g.id not in flags and g.id not in quick]
    return first + second + rest


def build(
    gaps: Sequence[GapLike],
    red_flags: Sequence[str],
    quick_wins: Sequence[str],
    audit: Audit,
    texts: dict[str, str],
    on: date,
) -> Plan:
    """Place each gap's action; `texts` is the recommendation for each gap's level, `on` the
    audit's date that default due dates count from."""
    capacity = capacity_of(audit)
    flags = set(red_flags)
    queue = candidates(gaps, red_flags, quick_wins)
    periods: dict[str, list[str]] = {p: [] for p in (*PERIODS, BACKLOG)}

    # 30 days: every red flag, then quick wins while there is room.
    quick = set(quick_wins)
    for gap in queue:
        if gap.id in flags:
            periods["30"].append(gap.id)
        elif gap.id in quick and len(periods["30"]) < capacity[0]:
            periods["30"].append(gap.id)
    placed = set(periods["30"])
    for period, limit, efforts in (
        ("60", capacity[1], ("low", "medium")),
        ("90", capacity[2], ("low", "medium", "high")),
    ):
        for gap in queue:
            if len(periods[period]) >= limit:
                break
            if gap.id not in placed and gap.effort in efforts:
                periods[period].append(gap.id)
                placed.add(gap.id)
    periods[BACKLOG] = [g.id for g in queue if g.id not in placed]

    levels = {g.id: g.level for g in gaps}
    actions: dict[str, PlannedAction] = {}
    for period, ids in periods.items():
        for item_id in ids:
            kept = audit.actions.get(item_id) or Action()
            default_due = None if period == BACKLOG else on + timedelta(days=int(period))
            due = kept.due or default_due
            actions[item_id] = PlannedAction(
                id=item_id,
                period=period,
                text=texts.get(item_id, ""),
                level=levels[item_id],
                owner=kept.owner,
                due=due.isoformat() if due else None,
                target=kept.target or DEFAULT_TARGET,
                status=kept.status,
                kpi=kept.kpi,
            )
    return Plan(periods, actions, capacity)


# --- editing the bookkeeping ---------------------------------------------------------


class PlanEditError(ValueError):
    """An edit that cannot be made; the message says why, ready for a person."""


def edit(
    audit: Audit,
    item_id: str,
    actions: Mapping[str, PlannedAction],
    *,
    owner: str | None = None,
    due: str | None = None,
    target: int | None = None,
    status: str | None = None,
    kpi: str | None = None,
) -> Audit:
    """A copy of the audit with one action's bookkeeping changed. An empty string clears."""
    if item_id not in actions:
        known = ", ".join(actions) or "none"
        raise PlanEditError(f"{item_id} is not an action of this plan (actions: {known})")
    current = audit.actions.get(item_id) or Action()
    changes: dict[str, Any] = {}
    if owner is not None:
        changes["owner"] = owner.strip() or None
    if kpi is not None:
        changes["kpi"] = kpi.strip() or None
    if due is not None:
        changes["due"] = _date(due) if due.strip() else None
    if target is not None:
        if not 1 <= target <= 4:
            raise PlanEditError(f"target must be a level from 1 to 4 (got {target})")
        changes["target"] = target
    if status is not None:
        if status not in ACTION_STATUSES:
            raise PlanEditError(
                f"status must be one of {', '.join(ACTION_STATUSES)} (got '{status}')"
            )
        changes["status"] = status
    updated = current.model_copy(update=changes)
    return audit.model_copy(update={"actions": {**audit.actions, item_id: updated}})


def with_capacity(audit: Audit, text: str) -> Audit:
    """A copy of the audit with `plan.capacity` set from `5,5,5`."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise PlanEditError(
            f"capacity is three whole numbers, one per period: 30,60,90 days (got '{text}')"
        )
    return audit.model_copy(update={"plan": PlanSettings(capacity=[int(p) for p in parts])})


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PlanEditError(f"due must be a date as YYYY-MM-DD (got '{text}')") from None
