"""Audits of one store over time, compared like for like. Pure: no printing.

Used by `compare`, `report --baseline` and `portfolio`. The rules (SPEC, Scoring):

- An item is `improved`, `worse` or `unchanged` only when it is answered (or N/A) in both the
  first and the last audit; answered before and not now is `not re-assessed` (never resolved,
  never improved); answered now only is `new`. An item N/A in one audit and at a level in the
  other has no level to compare: N/A then a level is `new`, a level then N/A `not re-assessed`.
- A red flag of the first audit is `resolved` only when the item is answered now at level 2 or
  above; at level 0 or 1 it is still `open`; otherwise it is `not re-assessed`.
- The headline change (overall, categories, strategies) is computed on the items answered at a
  level in every audit compared (`common`), stated with their count: each audit is scored on
  those items with the levels it gave them, the newest checklist's groups and the newest
  audit's segment weights, so the change is a change in the store, not in the checklist,
  the segment or the completeness. Each audit's own score and completion stand beside it.
- Warnings (`Comparison.warnings`): an audit under 80% complete (answered + N/A), different
  segments, different checklists (id; or version, with the items added and removed).

The data the report and the terminal read (keep this shape):

- `Comparison.snapshots`: one `Snapshot` per audit, oldest first, with `first` and `last`.
  `Snapshot.own` is the audit's own full `scoring.Result` (its checklist, its answers);
  `Snapshot.result` the like-for-like result on `common` items; `Snapshot.completion`,
  `.share` (0..1), `.provisional` (under 80%), `.drift` (`drift.Drift` or None), `.date`.
- `Comparison.change(pick)`: last minus first of `pick(result)` on the like-for-like results,
  e.g. `c.change(lambda r: r.categories["digital"].score)`; `c.counts(pick)` the number of
  common items behind it (`lambda r: r.categories["digital"]`).
- `common` (ids answered in every audit), `shared` (ids in every checklist), `added`,
  `removed` (last checklist against first).
- `items`: `ItemChange(id, before, after, status, before_na, after_na)` for every item answered
  in the first or last audit; `improved`, `regressed` (= worse), `unchanged`, `not_reassessed`,
  `new` filter it.
- `flags_resolved`, `flags_open`, `flags_not_reassessed`, `flags_new`, `quick_wins_taken`.
- `plan`: the first audit's action plan, one `PlanStatus` per action: `horizon` ("30", "60",
  "90" or "backlog"), `before`, `after` (levels), `change` (the item's status above),
  `action` (the stored status: open, doing, done or dropped), `owner`, `due`, `target`,
  and `status`: "closed" when the item is answered now at or above the action's target
  (default 3), else `change`.
- `warnings`: `Warning(kind, text)`, kind one of "incomplete", "segments", "checklists",
  "common" (no item answered in every audit).
- `to_json()`: all of it, as `compare --json` prints it: `audits` (each audit's own overall,
  category and strategy scores, completion, provisional, segment, checklist and drift),
  `like_for_like`, `overall`/`categories`/`strategies` ({scores, change, items}), `statuses`,
  `changes`, `red_flags`, `quick_wins_taken`, `plan`, `warnings`, `levels`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import checklists, resources
from audit.checklists import Loaded, drift
from audit.i18n import _, ngettext
from audit.judgement import scoring
from audit.judgement.scoring import GroupScore, Result
from audit.model import Answer, Audit, Checklist

RESOLVED_LEVEL = 2  # a red flag is resolved only when answered now at this level or above
DEFAULT_TARGET = 3
STATUSES = ("improved", "worse", "unchanged", "not re-assessed", "new")


@dataclass
class Snapshot:
    """One audit: its own scores, and its scores on the items answered in every audit."""

    path: Path
    audit: Audit
    loaded: Loaded
    own: Result
    result: Result = field(init=False)  # like for like: set by compare()
    drift: drift.Drift | None = None

    @property
    def date(self) -> str:
        return self.audit.updated.date().isoformat()

    @property
    def completion(self) -> scoring.Completion:
        return self.own.completion

    @property
    def share(self) -> float:
        return self.completion.share

    @property
    def provisional(self) -> bool:
        return self.completion.provisional

    def level(self, item_id: str) -> int | None:
        scored = self.own.items.get(item_id)
        return scored.level if scored else None

    def na(self, item_id: str) -> bool:
        scored = self.own.items.get(item_id)
        return bool(scored and scored.na)


@dataclass(frozen=True)
class ItemChange:
    id: str
    before: int | None  # level; None when N/A or unanswered
    after: int | None
    status: str  # one of STATUSES
    before_na: bool = False
    after_na: bool = False


@dataclass(frozen=True)
class PlanStatus:
    """An action of the earlier audit's plan, and where its item stands now."""

    id: str
    horizon: str
    before: int
    after: int | None
    change: str  # the item's status (STATUSES)
    action: str  # the stored status: open, doing, done or dropped
    target: int
    owner: str | None = None
    due: str | None = None

    @property
    def status(self) -> str:
        reached = self.after is not None and self.after >= self.target
        return "closed" if reached else self.change


@dataclass(frozen=True)
class Warning:
    kind: str  # "incomplete", "segments", "checklists" or "common"
    text: str


@dataclass
class Comparison:
    snapshots: list[Snapshot]
    shared: list[str]
    added: list[str]  # in the newest checklist, not the oldest
    removed: list[str]  # in the oldest checklist, not the newest
    common: list[str] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    flags_resolved: list[str] = field(default_factory=list)
    flags_new: list[str] = field(default_factory=list)
    flags_open: list[str] = field(default_factory=list)
    flags_not_reassessed: list[str] = field(default_factory=list)
    quick_wins_taken: list[str] = field(default_factory=list)
    plan: list[PlanStatus] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    @property
    def first(self) -> Snapshot:
        return self.snapshots[0]

    @property
    def last(self) -> Snapshot:
        return self.snapshots[-1]

    def _with(self, status: str) -> list[ItemChange]:
        return [c for c in self.items if c.status == status]

    @property
    def improved(self) -> list[ItemChange]:
        return self._with("improved")

    @property
    def regressed(self) -> list[ItemChange]:
        return self._with("worse")

    @property
    def unchanged(self) -> list[ItemChange]:
        return self._with("unchanged")

    @property
    def not_reassessed(self) -> list[ItemChange]:
        return self._with("not re-assessed")

    @property
    def new(self) -> list[ItemChange]:
        return self._with("new")

    def change(self, pick: Callable[[Result], float | None]) -> float | None:
        """Last minus first of a like-for-like score (None if either is missing)."""
        before, after = pick(self.first.result), pick(self.last.result)
        return None if before is None or after is None else round(after - before, 2)

    def counts(self, pick: Callable[[Result], GroupScore]) -> int:
        """How many items answered in every audit stand behind a like-for-like group score."""
        return pick(self.last.result).answered

    def to_json(self) -> dict[str, Any]:
        def series(pick: Callable[[Result], GroupScore]) -> dict[str, Any]:
            return {
                "scores": [pick(s.result).score for s in self.snapshots],
                "change": self.change(lambda r: pick(r).score),
                "items": self.counts(pick),
            }

        like = self.last.result
        return {
            "audits": [_snapshot_json(s) for s in self.snapshots],
            "items": {"shared": len(self.shared), "added": self.added, "removed": self.removed},
            "like_for_like": {"items": len(self.common), "ids": self.common},
            "overall": series(lambda r: r.overall),
            "categories": {cid: series(_group("categories", cid)) for cid in like.categories},
            "strategies": {sid: series(_group("strategies", sid)) for sid in like.strategies},
            "statuses": {
                status: [c.id for c in self.items if c.status == status] for status in STATUSES
            },
            "changes": [
                {"id": c.id, "before": c.before, "after": c.after, "status": c.status}
                for c in self.items
            ],
            "improved": [_change_json(c) for c in self.improved],
            "regressed": [_change_json(c) for c in self.regressed],
            "red_flags": {
                "resolved": self.flags_resolved,
                "new": self.flags_new,
                "open": self.flags_open,
                "not_reassessed": self.flags_not_reassessed,
            },
            "quick_wins_taken": self.quick_wins_taken,
            "plan": [
                {
                    "id": p.id,
                    "horizon": p.horizon,
                    "before": p.before,
                    "after": p.after,
                    "change": p.change,
                    "status": p.status,
                    "action": {
                        "status": p.action,
                        "owner": p.owner,
                        "due": p.due,
                        "target": p.target,
                    },
                }
                for p in self.plan
            ],
            "warnings": [{"kind": w.kind, "text": w.text} for w in self.warnings],
            "levels": {
                item_id: [s.level(item_id) for s in self.snapshots] for item_id in self.shared
            },
        }


def _group(kind: str, group_id: str) -> Callable[[Result], GroupScore]:
    """Picks one category's or strategy's score from a result."""
    return lambda result: getattr(result, kind)[group_id]


def _snapshot_json(s: Snapshot) -> dict[str, Any]:
    c = s.completion
    return {
        "path": str(s.path),
        "store": s.audit.store.name,
        "date": s.date,
        "segment": s.audit.store.segment,
        "checklist": {"id": s.loaded.checklist.id, "version": s.loaded.checklist.version},
        "overall": {"score": s.own.overall.score, "band": s.own.overall.band},
        "categories": {k: g.score for k, g in s.own.categories.items()},
        "strategies": {k: g.score for k, g in s.own.strategies.items()},
        "completion": {
            "items": c.items,
            "answered": c.answered,
            "na": c.na,
            "unanswered": c.unanswered,
            "percent": round(s.share * 100, 1),
        },
        "provisional": s.provisional,
        "checklist_drift": s.drift.to_json() if s.drift else None,
    }


def _change_json(change: ItemChange) -> dict[str, Any]:
    return {"id": change.id, "before": change.before, "after": change.after}


def like_for_like(
    before: dict[str, int], after: dict[str, int], weights: dict[str, float]
) -> tuple[float | None, float | None, int]:
    """Overall scores of two audits on the items both answered (levels by id), with the same
    weights (those of the later audit): before, after and the number of items."""
    common = [i for i in after if i in before and i in weights]

    def mean(levels: dict[str, int]) -> float | None:
        total = sum(weights[i] for i in common)
        if not common or not total:
            return None
        return round(sum(weights[i] * scoring.item_score(levels[i]) for i in common) / total, 2)

    return mean(before), mean(after), len(common)


def restricted(checklist: Checklist, ids: set[str]) -> Checklist:
    """The checklist with only the given items (categories and strategies unchanged)."""
    return checklist.model_copy(update={"items": [i for i in checklist.items if i.id in ids]})


def load(
    paths: list[Path], by_date: bool = True, checklist: Path | None = None
) -> list[tuple[Path, Loaded, Audit]]:
    """Read every audit with its checklist (or the one `--checklist` gives): oldest first (by
    when it was last answered), or in the order given. An audit made on an earlier release of
    a shipped checklist is scored on that release, so its own score and completion stay what
    they were; the comparison then names the items added and removed between the versions."""
    loaded = [_on_its_own_version(path, checklist) for path in paths]
    return sorted(loaded, key=lambda entry: entry[2].updated) if by_date else loaded


def _on_its_own_version(path: Path, checklist: Path | None) -> tuple[Path, Loaded, Audit]:
    loaded, audit = drift.load_with_checklist(path, checklist)
    ref = audit.checklist
    if checklist is None and (ref.id, ref.version) != (
        loaded.checklist.id,
        loaded.checklist.version,
    ):
        released = resources.released_checklist(ref.id, ref.version)
        if released is not None:
            loaded = checklists.load(released)
    return path, loaded, audit


def compare(entries: list[tuple[Path, Loaded, Audit]]) -> Comparison:
    """Compare audits, oldest first, like for like."""
    snapshots = [
        Snapshot(path, audit, loaded, scoring.score(loaded.checklist, audit))
        for path, loaded, audit in entries
    ]
    for snap in snapshots:
        snap.drift = drift.check(snap.audit, snap.loaded)
    id_sets = [{item.id for item in s.loaded.checklist.items} for s in snapshots]
    shared_ids = set.intersection(*id_sets)
    last_checklist = snapshots[-1].loaded.checklist
    shared = [i.id for i in last_checklist.items if i.id in shared_ids]
    common = [i for i in shared if all(s.level(i) is not None for s in snapshots)]
    c = Comparison(
        snapshots,
        shared,
        sorted(id_sets[-1] - id_sets[0]),
        sorted(id_sets[0] - id_sets[-1]),
        common,
    )
    for snap in snapshots:
        snap.result = _like_for_like(snap, last_checklist, snapshots[-1].audit, common)
    _item_changes(c)
    c.warnings = _warnings(c)
    return c


def _like_for_like(snap: Snapshot, checklist: Checklist, newest: Audit, ids: list[str]) -> Result:
    """The audit scored on `ids` with its own levels, the newest checklist's groups and the
    newest audit's segment weights: every audit is weighed on the same scale."""
    segment = newest.store.segment
    wanted = set(ids)
    items = [
        item.model_copy(
            update={
                "type": "scale",
                "inverted": False,
                "thresholds": None,
                "unit": None,
                "range": None,
                "measure": None,
                "segments": None,
                "weight": item.weight_for(segment),
            }
        )
        for item in checklist.items
        if item.id in wanted
    ]
    answers = {i: Answer(score=snap.level(i)) for i in ids}
    audit = snap.audit.model_copy(
        update={
            "answers": answers,
            "store": snap.audit.store.model_copy(update={"segment": segment}),
        }
    )
    return scoring.score(checklist.model_copy(update={"items": items}), audit)


def _item_changes(c: Comparison) -> None:
    first, last = c.first, c.last
    order = [i.id for i in last.loaded.checklist.items]
    order += [i.id for i in first.loaded.checklist.items if i.id not in set(order)]
    for item_id in order:
        old, new = first.level(item_id), last.level(item_id)
        old_na, new_na = first.na(item_id), last.na(item_id)
        was = old is not None or old_na
        now = new is not None or new_na
        if not was and not now:
            continue
        if old is not None and new is not None:
            status = "improved" if new > old else ("worse" if new < old else "unchanged")
        elif old_na and new_na:
            status = "unchanged"
        elif was and (new is None):
            status = "not re-assessed"
        else:
            status = "new"
        c.items.append(ItemChange(item_id, old, new, status, old_na, new_na))
    for item_id in first.own.red_flags:
        level = last.level(item_id)
        if level is None:
            c.flags_not_reassessed.append(item_id)
        elif level >= RESOLVED_LEVEL:
            c.flags_resolved.append(item_id)
        else:
            c.flags_open.append(item_id)
    c.flags_new = [i for i in last.own.red_flags if i not in first.own.red_flags]
    by_id = {change.id: change for change in c.items}
    c.quick_wins_taken = [
        i for i in first.own.quick_wins if i in by_id and by_id[i].status == "improved"
    ]
    actions = first.audit.actions
    for horizon, ids in first.own.plan.items():
        for item_id in ids:
            old = first.level(item_id)
            if old is None:
                continue
            stored = actions.get(item_id)
            target = (stored.target if stored else None) or DEFAULT_TARGET
            c.plan.append(
                PlanStatus(
                    item_id,
                    str(horizon),
                    old,
                    last.level(item_id),
                    by_id[item_id].status,
                    stored.status if stored else "open",
                    target,
                    stored.owner if stored else None,
                    stored.due.isoformat() if stored and stored.due else None,
                )
            )


def _warnings(c: Comparison) -> list[Warning]:
    out = []
    for s in c.snapshots:
        if s.provisional:
            done = s.completion.answered + s.completion.na
            out.append(
                Warning(
                    "incomplete",
                    _(
                        "The audit of {date} ({path}) is {percent} complete ({done} of {items} "
                        "items answered or N/A): its own score is provisional."
                    ).format(
                        date=s.date,
                        path=s.path.name,
                        percent=f"{s.share * 100:.0f}%",
                        done=done,
                        items=s.completion.items,
                    ),
                )
            )
    stores = list(dict.fromkeys(s.audit.store.name for s in c.snapshots))
    if len({" ".join(name.casefold().split()) for name in stores}) > 1:
        out.append(
            Warning(
                "stores",
                _("The audits are of different stores ({stores}).").format(
                    stores=", ".join(stores)
                ),
            )
        )
    segments = list(dict.fromkeys(s.audit.store.segment for s in c.snapshots))
    if len(segments) > 1:
        out.append(
            Warning(
                "segments",
                _(
                    "The audits are of different segments ({segments}): the items asked and "
                    "their weights differ. The change uses the items answered in both, "
                    "weighted for {segment}."
                ).format(segments=", ".join(segments), segment=c.last.audit.store.segment),
            )
        )
    lists = list(
        dict.fromkeys((s.loaded.checklist.id, s.loaded.checklist.version) for s in c.snapshots)
    )
    if len({cid for cid, _v in lists}) > 1:
        out.append(
            Warning(
                "checklists",
                _(
                    "The audits use different checklists ({checklists}): they are compared "
                    "on the {n} items both have."
                ).format(checklists=", ".join(cid for cid, _v in lists), n=len(c.shared)),
            )
        )
    elif len(lists) > 1 or c.added or c.removed:
        text = _("The audits use different versions of the checklist {id} ({versions}).").format(
            id=lists[0][0], versions=", ".join(v for _cid, v in lists)
        )
        if c.added:
            text += " " + ngettext(
                "{n} item added: {ids}.", "{n} items added: {ids}.", len(c.added)
            ).format(n=len(c.added), ids=", ".join(c.added))
        if c.removed:
            text += " " + ngettext(
                "{n} item removed: {ids}.", "{n} items removed: {ids}.", len(c.removed)
            ).format(n=len(c.removed), ids=", ".join(c.removed))
        out.append(Warning("checklists", text))
    if not c.common:
        out.append(
            Warning(
                "common",
                _("No item is answered in both audits: there is no like-for-like change."),
            )
        )
    return out
