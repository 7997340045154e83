"""Scoring as the spec defines it. Pure: no I/O, no printing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from audit.answers import evidence
from audit.judgement import plan as planning
from audit.model import EFFORT_ORDER, Audit, Checklist, Item, localize

GAP_MAX_LEVEL = 2  # short of "consistently in place"
POLISH_LEVEL = 3
BANDS = (("exceeds", 85.0), ("meets", 70.0), ("partly meets", 50.0), ("falls short", 0.0))


def band(score: float | None) -> str | None:
    if score is None:
        return None
    return next(name for name, floor in BANDS if score >= floor)


def item_score(level: int) -> float:
    return level / 4 * 100


def impact(weight: float, level: int) -> float:
    """What closing an item would add: weight x (4 - level) / 4."""
    return weight * (4 - level) / 4


@dataclass(frozen=True)
class GroupScore:
    score: float | None
    band: str | None
    answered: int
    na: int
    unanswered: int


@dataclass(frozen=True)
class Gap:
    id: str
    impact: float
    level: int
    weight: float
    effort: str
    critical: bool


COMPLETE_ENOUGH = 0.8  # under this share of items answered (or N/A), an audit is provisional


@dataclass(frozen=True)
class Completion:
    items: int
    answered: int
    na: int
    unanswered: int

    @property
    def complete(self) -> bool:
        return self.unanswered == 0

    @property
    def share(self) -> float:
        """Items answered or N/A, as a share (0..1) of the applicable items."""
        return (self.answered + self.na) / self.items if self.items else 0.0

    @property
    def provisional(self) -> bool:
        return self.share < COMPLETE_ENOUGH


@dataclass(frozen=True)
class ItemResult:
    """One applicable item as scored: level None when N/A or unanswered."""

    id: str
    level: int | None
    na: bool
    weight: float

    @property
    def score(self) -> float | None:
        return None if self.level is None else item_score(self.level)


@dataclass
class Result:
    overall: GroupScore
    categories: dict[str, GroupScore]
    strategies: dict[str, GroupScore]
    matrix: dict[str, dict[str, float | None]]
    completion: Completion
    red_flags: list[str]
    gaps: list[Gap]
    quick_wins: list[str]
    plan: dict[str, list[str]]
    orphans: list[str]
    items: dict[str, ItemResult] = field(default_factory=dict)
    polish: list[Gap] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)  # level 4, heaviest first
    actions: dict[str, planning.PlannedAction] = field(default_factory=dict)
    capacity: tuple[int, int, int] = planning.DEFAULT_CAPACITY
    evidence: dict[str, int] = field(default_factory=dict)

    @property
    def over_capacity(self) -> int:
        """Red flags in the 30-day period beyond its capacity."""
        return max(0, len(self.plan.get("30", [])) - self.capacity[0])

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": {"score": self.overall.score, "band": self.overall.band},
            "categories": {k: asdict(v) for k, v in self.categories.items()},
            "strategies": {k: asdict(v) for k, v in self.strategies.items()},
            "matrix": self.matrix,
            "completion": asdict(self.completion),
            "red_flags": self.red_flags,
            "gaps": [asdict(g) for g in self.gaps],
            "polish": [g.id for g in self.polish],
            "strengths": self.strengths,
            "quick_wins": self.quick_wins,
            "plan": self.plan,
            "capacity": list(self.capacity),
            "over_capacity": self.over_capacity,
            "actions": {k: a.to_json() for k, a in self.actions.items()},
            "evidence": self.evidence,
            "orphans": self.orphans,
            "items": {
                k: {"level": v.level, "score": v.score, "na": v.na, "weight": v.weight}
                for k, v in self.items.items()
            },
        }


def _weighted(results: list[ItemResult]) -> float | None:
    scored = [(r.weight, r.level) for r in results if r.level is not None]
    total = sum(weight for weight, _level in scored)
    if not scored or total == 0:
        return None
    # Rounded once here so that the score and its band always agree wherever shown.
    return round(sum(weight * item_score(level) for weight, level in scored) / total, 2)


def _group(results: list[ItemResult]) -> GroupScore:
    value = _weighted(results)
    answered = sum(r.level is not None for r in results)
    na = sum(r.na for r in results)
    return GroupScore(value, band(value), answered, na, len(results) - answered - na)


def score(checklist: Checklist, audit: Audit, lang: str | None = None) -> Result:
    segment = audit.store.segment
    items = checklist.items_for(segment)
    results: dict[str, ItemResult] = {}
    for item in items:
        answer = audit.answers.get(item.id)
        level = item.level_of(answer) if answer else None
        results[item.id] = ItemResult(
            item.id, level, bool(answer and answer.na), item.weight_for(segment)
        )

    # One pass files each item under its category, strategies and matrix cells (in item order).
    by_category: dict[str, list[ItemResult]] = {}
    by_strategy: dict[str, list[ItemResult]] = {}
    by_cell: dict[tuple[str, str], list[ItemResult]] = {}
    for item in items:
        result = results[item.id]
        by_category.setdefault(item.category, []).append(result)
        for strategy in item.strategy:
            by_strategy.setdefault(strategy, []).append(result)
            by_cell.setdefault((item.category, strategy), []).append(result)
    categories = {c.id: _group(by_category.get(c.id, [])) for c in checklist.categories}
    strategies = {s.id: _group(by_strategy.get(s.id, [])) for s in checklist.strategies}
    matrix = {
        c.id: {s.id: _weighted(by_cell.get((c.id, s.id), [])) for s in checklist.strategies}
        for c in checklist.categories
    }
    overall = _group(list(results.values()))
    ranked = _ranked(items, results)
    gaps = [g for g in ranked if g.level <= GAP_MAX_LEVEL]
    polish = [g for g in ranked if g.level == POLISH_LEVEL]
    by_id = {i.id: i for i in items}
    red_flags = [g.id for g in gaps if by_id[g.id].critical and g.level <= 1]
    quick_wins = [g.id for g in gaps if g.effort == "low"]
    language = lang or audit.store.language or checklist.default_language
    texts = {
        g.id: localize(
            by_id[g.id].recommendation_for(g.level), language, checklist.default_language
        )
        for g in gaps
    }
    plan = planning.build(gaps, red_flags, quick_wins, audit, texts, audit.updated.date())
    strengths = sorted(
        (i for i in items if results[i.id].level == 4),
        key=lambda i: (-results[i.id].weight, i.id),
    )
    known = {i.id for i in checklist.items}
    orphans = [item_id for item_id in audit.answers if item_id not in known]
    completion = Completion(len(items), overall.answered, overall.na, overall.unanswered)
    return Result(
        overall,
        categories,
        strategies,
        matrix,
        completion,
        red_flags,
        gaps,
        quick_wins,
        plan.periods,
        orphans,
        results,
        polish=polish,
        strengths=[i.id for i in strengths],
        actions=plan.actions,
        capacity=plan.capacity,
        evidence=evidence.counts(audit, [i.id for i in items if results[i.id].level is not None]),
    )


def _ranked(items: list[Item], results: dict[str, ItemResult]) -> list[Gap]:
    """Every answered item short of level 4, by impact (ties: critical, lower effort, id)."""
    gaps = []
    for item in items:
        r = results[item.id]
        if r.level is not None and r.level < 4:
            gaps.append(
                Gap(
                    item.id,
                    impact(r.weight, r.level),
                    r.level,
                    r.weight,
                    item.effort,
                    item.critical,
                )
            )
    gaps.sort(key=lambda g: (-g.impact, not g.critical, EFFORT_ORDER[g.effort], g.id))
    return gaps
