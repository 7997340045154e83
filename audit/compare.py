"""Audits of one store over time, compared on the items their checklists share. Pure: no printing.

When two audits used different versions of a checklist, each is scored again on the items
both versions have, so that a change in score is a change in the store, not in the checklist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import audits, scoring
from audit.checklists import Loaded
from audit.errors import UsageError
from audit.i18n import _
from audit.model import Audit, Checklist
from audit.scoring import Result


@dataclass
class Snapshot:
    """One audit, scored on the shared items."""

    path: Path
    audit: Audit
    loaded: Loaded
    result: Result

    @property
    def date(self) -> str:
        return self.audit.updated.date().isoformat()


@dataclass(frozen=True)
class ItemChange:
    id: str
    before: int | None  # level; None when N/A or unanswered
    after: int | None


@dataclass
class Comparison:
    snapshots: list[Snapshot]
    shared: list[str]
    added: list[str]  # in the newest checklist, not the oldest
    removed: list[str]  # in the oldest checklist, not the newest
    improved: list[ItemChange] = field(default_factory=list)
    regressed: list[ItemChange] = field(default_factory=list)
    flags_resolved: list[str] = field(default_factory=list)
    flags_new: list[str] = field(default_factory=list)
    flags_open: list[str] = field(default_factory=list)
    quick_wins_taken: list[str] = field(default_factory=list)
    plan: list[PlanStatus] = field(default_factory=list)

    @property
    def first(self) -> Snapshot:
        return self.snapshots[0]

    @property
    def last(self) -> Snapshot:
        return self.snapshots[-1]

    def change(self, pick) -> float | None:
        """Last minus first of a score picked from each result (None if either is missing)."""
        before, after = pick(self.first.result), pick(self.last.result)
        return None if before is None or after is None else round(after - before, 2)

    def to_json(self) -> dict[str, Any]:
        def series(pick) -> dict[str, Any]:
            return {"scores": [pick(s.result) for s in self.snapshots], "change": self.change(pick)}

        first = self.first.result
        return {
            "audits": [
                {
                    "path": str(s.path),
                    "store": s.audit.store.name,
                    "date": s.date,
                    "checklist": {
                        "id": s.loaded.checklist.id,
                        "version": s.loaded.checklist.version,
                    },
                    "overall": {"score": s.result.overall.score, "band": s.result.overall.band},
                }
                for s in self.snapshots
            ],
            "items": {"shared": len(self.shared), "added": self.added, "removed": self.removed},
            "overall": series(lambda r: r.overall.score),
            "categories": {
                cid: series(lambda r, c=cid: r.categories[c].score) for cid in first.categories
            },
            "strategies": {
                sid: series(lambda r, s=sid: r.strategies[s].score) for sid in first.strategies
            },
            "improved": [_change_json(c) for c in self.improved],
            "regressed": [_change_json(c) for c in self.regressed],
            "red_flags": {
                "resolved": self.flags_resolved,
                "new": self.flags_new,
                "open": self.flags_open,
            },
            "quick_wins_taken": self.quick_wins_taken,
            "plan": [
                {
                    "id": p.id,
                    "horizon": p.horizon,
                    "status": p.status,
                    "before": p.before,
                    "after": p.after,
                }
                for p in self.plan
            ],
            "levels": {
                item_id: [_level(s.result, item_id) for s in self.snapshots]
                for item_id in self.shared
            },
        }


@dataclass(frozen=True)
class PlanStatus:
    """An item of the earlier audit's action plan, and where it stands now."""

    id: str
    horizon: str  # "30", "60" or "90"
    before: int
    after: int | None
    status: str  # "closed", "improved", "unchanged", "worse" or "not answered"


def _change_json(change: ItemChange) -> dict[str, Any]:
    return {"id": change.id, "before": change.before, "after": change.after}


def restricted(checklist: Checklist, ids: set[str]) -> Checklist:
    """The checklist with only the given items (categories and strategies unchanged)."""
    return checklist.model_copy(update={"items": [i for i in checklist.items if i.id in ids]})


def load(paths: list[Path], by_date: bool = True) -> list[tuple[Path, Loaded, Audit]]:
    """Read every audit with its checklist: oldest first (by when it was last answered),
    or in the order given."""
    loaded = [(path, *audits.load_with_checklist(path)) for path in paths]
    return sorted(loaded, key=lambda entry: entry[2].updated) if by_date else loaded


def compare(entries: list[tuple[Path, Loaded, Audit]]) -> Comparison:
    """Compare audits, oldest first, on the items all their checklists share."""
    ids = {loaded.checklist.id for _, loaded, _ in entries}
    if len(ids) > 1:  # their categories and strategies differ too: nothing to set side by side
        raise UsageError(
            _("{paths} are audits on different checklists ({ids}): they cannot be compared").format(
                paths=", ".join(str(path) for path, _l, _a in entries), ids=", ".join(sorted(ids))
            ),
            tip=_("compare audits made on the same checklist"),
        )
    id_sets = [{item.id for item in loaded.checklist.items} for _, loaded, _ in entries]
    shared_ids = set.intersection(*id_sets)
    first_ids, last_ids = id_sets[0], id_sets[-1]
    snapshots = []
    for path, loaded, audit in entries:
        checklist = loaded.checklist
        if any(ids != id_sets[0] for ids in id_sets):
            checklist = restricted(checklist, shared_ids)
        snapshots.append(Snapshot(path, audit, loaded, scoring.score(checklist, audit)))
    order = [item.id for item in entries[-1][1].checklist.items if item.id in shared_ids]
    comparison = Comparison(
        snapshots, order, sorted(last_ids - first_ids), sorted(first_ids - last_ids)
    )
    _item_changes(comparison)
    return comparison


def _level(result: Result, item_id: str) -> int | None:
    scored = result.items.get(item_id)
    return scored.level if scored else None


def _item_changes(c: Comparison) -> None:
    before, after = c.first.result, c.last.result

    for item_id in c.shared:
        old, new = _level(before, item_id), _level(after, item_id)
        if old is not None and new is not None and old != new:
            (c.improved if new > old else c.regressed).append(ItemChange(item_id, old, new))
    c.flags_resolved = [i for i in before.red_flags if i not in after.red_flags and i in c.shared]
    c.flags_new = [i for i in after.red_flags if i not in before.red_flags]
    c.flags_open = [i for i in after.red_flags if i in before.red_flags]
    improved = {change.id for change in c.improved}
    c.quick_wins_taken = [i for i in before.quick_wins if i in improved]
    for horizon, ids in before.plan.items():
        for item_id in ids:
            if item_id not in c.shared:
                continue
            old, new = _level(before, item_id), _level(after, item_id)
            assert old is not None
            c.plan.append(PlanStatus(item_id, horizon, old, new, _status(old, new)))


def _status(old: int, new: int | None) -> str:
    if new is None:
        return "not answered"
    if new == 4:
        return "closed"
    return "improved" if new > old else ("worse" if new < old else "unchanged")
