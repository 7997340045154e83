"""The report as data: every part of the spec's report, built once, for every output format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from audit import i18n
from audit.answers import describe
from audit.checklists import Loaded
from audit.compare import Comparison
from audit.model import Audit, Item, localize
from audit.render import charts, reading
from audit.scoring import Result, band, item_score

TOP_GAPS = 5
TOP_STRENGTHS = 3


@dataclass
class Benchmark:
    text: str
    source: str


@dataclass
class ItemView:
    id: str
    question: str
    category: str
    category_title: str
    strategies: list[str]
    kind: str
    answer: str  # as the user gave it, e.g. "3 Consistently in place", "yes", "42 NPS points"
    status: str  # "answered", "na" or "unanswered"
    level: int | None
    score: float | None
    band: str | None
    weight: float
    impact: float | None
    critical: bool
    effort: str
    note: str
    recommendation: str
    guidance: str
    benchmarks: list[Benchmark]
    unit: str = ""
    # The answer's evidence as recorded (kind, ref, sha256, date, n, period, p90, note), for
    # the data formats (JSON, CSV, xlsx); read through sheets.evidence_records.
    evidence_records: list[dict[str, Any]] = field(default_factory=list)
    value: float | None = None
    thresholds: list[float] = field(default_factory=list)
    better: str = "higher"
    red_flag: bool = False


@dataclass
class GroupView:
    id: str
    title: str
    description: str
    score: float | None
    band: str | None
    answered: int
    na: int
    unanswered: int
    bar: str
    items: list[ItemView] = field(default_factory=list)


@dataclass
class HeatRow:
    title: str
    cells: list[tuple[float | None, str]]  # (score, svg)


@dataclass
class Orphan:
    id: str
    answer: str
    note: str


@dataclass
class ProgressRow:
    title: str
    before: float | None
    after: float | None
    change: float | None
    bar: str = ""


@dataclass
class PlanRow:
    id: str
    question: str
    horizon: str
    before: int
    after: int | None
    status: str


@dataclass
class ProgressView:
    """The report's progress part: this audit against an earlier one (report --baseline)."""

    baseline_date: str
    shared: int
    added: list[str]
    removed: list[str]
    overall: ProgressRow
    categories: list[ProgressRow]
    strategies: list[ProgressRow]
    radar: charts.Radar
    plan: list[PlanRow]
    improved: int
    regressed: int
    flags_resolved: list[str]
    flags_new: list[str]
    trend: str
    data: dict[str, Any]


@dataclass
class Report:
    lang: str
    direction: str
    store: str
    url: str
    segment: str
    auditor: str
    date: str
    started: str
    checklist_id: str
    checklist_title: str
    checklist_version: str
    checklist_sha256: str
    overall: float | None
    overall_band: str | None
    gauge: str
    completion: dict[str, int]
    complete: bool
    reading: str
    categories: list[GroupView]
    strategies: list[GroupView]
    radar: charts.Radar
    heatmap: list[HeatRow]
    red_flags: list[ItemView]
    quick_wins: list[ItemView]
    gaps: list[ItemView]
    top_gaps: list[ItemView]
    strengths: list[ItemView]
    plan: dict[str, list[ItemView]]
    measures: list[ItemView]
    benchmarks: list[tuple[ItemView, Benchmark]]
    unanswered: list[ItemView]
    not_applicable: list[ItemView]
    orphans: list[Orphan]
    items: list[ItemView]
    result: dict[str, Any]
    scale: list[tuple[int, str, str]]
    progress: ProgressView | None = None


def _question(checklist, item_id: str, t) -> str:
    item = checklist.item(item_id)
    return t(item.question) if item else item_id


def progress(c: Comparison, lang: str) -> ProgressView:
    cl = c.last.loaded.checklist

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    def row(title: str, pick, with_bar: bool = False) -> ProgressRow:
        before, after = pick(c.first.result), pick(c.last.result)
        bar = charts.bar(after, band(after), before=before) if with_bar else ""
        return ProgressRow(title, before, after, c.change(pick), bar)

    categories = [row(t(g.title), lambda r, k=g.id: r.categories[k].score) for g in cl.categories]
    strategies = [
        row(t(g.title), lambda r, k=g.id: r.strategies[k].score, True) for g in cl.strategies
    ]
    overall = row("", lambda r: r.overall.score)
    radar = charts.radar(
        [(r.title, r.after) for r in categories], others=[[r.before for r in categories]]
    )
    plan = [
        PlanRow(
            p.id,
            _question(cl, p.id, t),
            p.horizon,
            p.before,
            p.after,
            p.status,
        )
        for p in c.plan
    ]
    return ProgressView(
        baseline_date=c.first.date,
        shared=len(c.shared),
        added=c.added,
        removed=c.removed,
        overall=overall,
        categories=categories,
        strategies=strategies,
        radar=radar,
        plan=plan,
        improved=len(c.improved),
        regressed=len(c.regressed),
        flags_resolved=c.flags_resolved,
        flags_new=c.flags_new,
        trend=reading.trend(c, categories),
        data=c.to_json(),
    )


def build(
    loaded: Loaded,
    audit: Audit,
    result: Result,
    lang: str | None = None,
    baseline: Comparison | None = None,
) -> Report:
    cl = loaded.checklist
    lang = lang or audit.store.language or cl.default_language
    segment = audit.store.segment

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    labels = {lv.value: t(lv.label) for lv in cl.scale}
    categories = {c.id: c for c in cl.categories}
    strategies = {s.id: s for s in cl.strategies}
    impacts = {g.id: g.impact for g in result.gaps}

    def view(item: Item) -> ItemView:
        answer = audit.answers.get(item.id)
        scored = result.items[item.id]
        status = "na" if scored.na else ("answered" if scored.level is not None else "unanswered")
        level = scored.level
        text = describe(answer, labels).split(" · ")[0] if answer else ""
        if item.type == "metric" and answer and answer.value is not None:
            text = f"{answer.value:g} {t(item.unit)}".strip()
        recommendation = next(
            (text for at, text in item.recommendation_by_level.items() if at == level), None
        )
        return ItemView(
            id=item.id,
            question=t(item.question),
            category=item.category,
            category_title=t(categories[item.category].title),
            strategies=[t(strategies[s].title) for s in item.strategy],
            kind=item.type,
            answer=text,
            status=status,
            level=level,
            score=None if level is None else item_score(level),
            band=None if level is None else band(item_score(level)),
            weight=scored.weight,
            impact=impacts.get(item.id),
            critical=item.critical,
            effort=item.effort,
            note=(answer.note or "") if answer else "",
            recommendation=t(recommendation or item.recommendation),
            guidance=t(item.guidance),
            benchmarks=[
                Benchmark(t(b.text), t(b.source))
                for b in item.benchmark
                if b.segments is None or segment in b.segments
            ],
            unit=t(item.unit),
            evidence_records=[e.model_dump(mode="json") for e in answer.evidence] if answer else [],
            value=answer.value if answer else None,
            thresholds=list(item.thresholds or []),
            better=item.better,
        )

    items = [view(item) for item in cl.items_for(segment)]
    by_id = {v.id: v for v in items}
    for flagged in result.red_flags:
        by_id[flagged].red_flag = True

    def group(g, scores, members) -> GroupView:
        s = scores[g.id]
        return GroupView(
            g.id,
            t(g.title),
            t(g.description),
            s.score,
            s.band,
            s.answered,
            s.na,
            s.unanswered,
            charts.bar(s.score, s.band),
            members,
        )

    category_views = [
        group(c, result.categories, [v for v in items if v.category == c.id]) for c in cl.categories
    ]
    strategy_views = [group(s, result.strategies, []) for s in cl.strategies]
    gaps = [by_id[g.id] for g in result.gaps]
    strengths = sorted((v for v in items if v.level == 4), key=lambda v: (-v.weight, v.id))
    answered_at = audit.updated.date() if audit.answers else date.today()
    return Report(
        lang=lang,
        direction=i18n.direction(lang),
        store=audit.store.name,
        url=audit.store.url or "",
        segment=segment.upper(),
        auditor=audit.store.auditor or "",
        date=answered_at.isoformat(),
        started=audit.started.date().isoformat(),
        checklist_id=cl.id,
        checklist_title=t(cl.title),
        checklist_version=cl.version,
        checklist_sha256=loaded.sha256,
        overall=result.overall.score,
        overall_band=result.overall.band,
        gauge=charts.gauge(result.overall.score),
        completion={
            "items": result.completion.items,
            "answered": result.completion.answered,
            "na": result.completion.na,
            "unanswered": result.completion.unanswered,
        },
        complete=result.completion.complete,
        reading=reading.paragraph(
            audit.store.name, result, category_views, strategy_views, gaps, cl, audit
        ),
        categories=category_views,
        strategies=strategy_views,
        radar=charts.radar([(c.title, c.score) for c in category_views]),
        heatmap=[
            HeatRow(c.title, [(v, charts.cell(v)) for v in result.matrix[c.id].values()])
            for c in category_views
        ],
        red_flags=[by_id[i] for i in result.red_flags],
        quick_wins=[by_id[i] for i in result.quick_wins],
        gaps=gaps,
        top_gaps=gaps[:TOP_GAPS],
        strengths=strengths[:TOP_STRENGTHS],
        plan={k: [by_id[i] for i in ids] for k, ids in result.plan.items()},
        measures=[v for v in items if v.kind == "metric"],
        benchmarks=[(v, b) for v in gaps for b in v.benchmarks],
        unanswered=[v for v in items if v.status == "unanswered"],
        not_applicable=[v for v in items if v.status == "na"],
        orphans=[
            Orphan(i, describe(a, labels).split(" · ")[0], a.note or "")
            for i, a in audit.answers.items()
            if i in result.orphans
        ],
        items=items,
        result=result.to_json(),
        scale=[(lv.value, t(lv.label), t(lv.description)) for lv in cl.scale],
        progress=progress(baseline, lang) if baseline else None,
    )
