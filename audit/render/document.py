"""The report as data: every part of the spec's report, built once, for every output format."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

from audit import i18n
from audit.answers.answers import describe
from audit.checklists import Loaded, units
from audit.checklists.drift import Drift
from audit.i18n import _
from audit.judgement.compare import Comparison
from audit.judgement.scoring import Result, band, item_score
from audit.judgement.scoring import impact as gap_impact
from audit.model import Answer, Audit, Item, localize
from audit.render import charts, reading
from audit.render.views import (
    ActionView,
    Benchmark,
    EvidenceView,
    GroupView,
    HeatCell,
    HeatRow,
    ItemView,
    MatrixCell,
    Orphan,
    PlanRow,
    ProgressRow,
    ProgressView,
    Report,
    Roadmap,
    Story,
)

__all__ = ["Report", "build", "progress"]

TOP_GAPS = 5
TOP_STRENGTHS = 3
PERIODS = ("30", "60", "90")
# Rows of the impact x effort matrix: impact = weight x (4 - level) / 4, from 0.5 to 5.
IMPACT_ROWS = (("high", 3.0), ("medium", 1.5), ("low", 0.0))
# Where to start in the impact x effort matrix: high impact for low effort, then its neighbours.
MATRIX_SHADES = {("high", "low"): "start", ("high", "medium"): "next", ("medium", "low"): "next"}
THUMBNAIL_PX = 360  # the longer side of an evidence thumbnail, in pixels
SAFE_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def _question(checklist, item_id: str, t) -> str:
    item = checklist.item(item_id)
    return t(item.question) if item else item_id


def progress(c: Comparison, lang: str) -> ProgressView:
    cl = c.last.loaded.checklist

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    rtl = i18n.direction(lang) == "rtl"

    def row(title: str, pick, with_bar: bool = False) -> ProgressRow:
        before, after = pick(c.first.result), pick(c.last.result)
        bar = charts.bar(after, band(after), before, rtl) if with_bar else ""
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
            owner=p.owner or "",
            action=p.action,
            due=p.due or "",
        )
        for p in c.plan
        if p.horizon != "backlog"
    ]
    own = [(s.date, s.own.overall.score, round(100 * s.share)) for s in (c.first, c.last)]
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
        common=c.counts(lambda r: r.overall),
        own=own,
        warnings=[w.text for w in c.warnings],
        backlog=sum(1 for p in c.plan if p.horizon == "backlog"),
    )


def build(
    loaded: Loaded,
    audit: Audit,
    result: Result,
    lang: str | None = None,
    baseline: Comparison | None = None,
    audit_path: Path | None = None,
    drift: Drift | None = None,
) -> Report:
    cl = loaded.checklist
    lang = lang or audit.store.language or cl.default_language
    segment = audit.store.segment
    direction = i18n.direction(lang)
    warnings: list[str] = []

    def t(value) -> str:
        return localize(value, lang, cl.default_language)

    labels = {lv.value: t(lv.label) for lv in cl.scale}
    categories = {c.id: c for c in cl.categories}
    strategies = {s.id: s for s in cl.strategies}
    impacts = {g.id: g.impact for g in result.gaps}
    sources: list[str] = []

    def source_number(source: str) -> int:
        if source not in sources:
            sources.append(source)
        return sources.index(source) + 1

    def view(item: Item) -> ItemView:
        answer = audit.answers.get(item.id)
        scored = result.items[item.id]
        status = "na" if scored.na else ("answered" if scored.level is not None else "unanswered")
        level = scored.level
        text = describe(answer, labels).split(" · ")[0] if answer else ""
        if item.type == "metric" and answer and answer.value is not None:
            text = f"{answer.value:g} {units.label(item.unit, t(item.unit))}".strip()
        found = impacts.get(item.id)
        if found is None and level is not None:
            found = gap_impact(scored.weight, level)
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
            impact=found,
            critical=item.critical,
            effort=item.effort,
            note=(answer.note or "") if answer else "",
            recommendation=t(item.recommendation_for(level)),
            guidance=t(item.guidance),
            benchmarks=[
                Benchmark(t(b.text), t(b.source))
                for b in item.benchmark
                if b.segments is None or segment in b.segments
            ],
            unit=units.label(item.unit, t(item.unit)),
            evidence_records=[e.model_dump(mode="json") for e in answer.evidence] if answer else [],
            value=answer.value if answer else None,
            thresholds=list(item.thresholds or []),
            better=item.better,
            inverted=item.inverted,
            evidence=_evidence(answer, audit_path, warnings, item.id) if answer else [],
        )

    items = [view(item) for item in cl.items_for(segment)]
    for v in items:
        v.short_question = reading.short(v.question, 64 if lang == "zh-Hant" else 90)
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
            charts.bar(s.score, s.band, rtl=direction == "rtl"),
            members,
        )

    category_views = [
        group(c, result.categories, [v for v in items if v.category == c.id]) for c in cl.categories
    ]
    strategy_views = [group(s, result.strategies, []) for s in cl.strategies]
    # The gap list: red flags first, then the other gaps, each in gap order (a stable sort).
    gaps = sorted((by_id[g.id] for g in result.gaps), key=lambda g: not g.red_flag)
    for rank, gap in enumerate(gaps, 1):
        gap.rank = rank
        for b in gap.benchmarks:
            b.ref = source_number(b.source)
    polish = [by_id[g.id] for g in result.polish if g.id in by_id]
    strengths = [by_id[i] for i in result.strengths if i in by_id]
    answered_at = audit.updated.date() if audit.answers else date.today()
    completion = {
        "items": result.completion.items,
        "answered": result.completion.answered,
        "na": result.completion.na,
        "unanswered": result.completion.unanswered,
    }
    not_assessed = [g.title for g in [*category_views, *strategy_views] if g.score is None]
    roadmap = _roadmap(result, by_id)
    drift_text, drift_details = _drift(drift)
    if drift_text:
        warnings.append(drift_text)
    counts = {k: n for k, n in result.evidence.items() if k != "reported"}
    answered = result.completion.answered
    with_evidence = answered - result.evidence.get("reported", answered)
    evidence_summary = reading.evidence_sentence(counts, with_evidence, answered)
    opening = reading.paragraph(
        audit.store.name, result, category_views, strategy_views, gaps, cl, audit, flags=False
    )
    story = Story(
        opening=opening,
        headlines=reading.headlines(gaps),
        strengths=reading.top_strengths(items),
        caveats=reading.caveats(
            completion,
            not_assessed,
            answered - with_evidence if with_evidence else 0,
            answered,
            drift_text,
        ),
        unverified=reading.unverified(items),
        evidence=evidence_summary,
    )
    return Report(
        lang=lang,
        direction=direction,
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
        completion=completion,
        complete=result.completion.complete,
        reading=reading.plain(
            reading.paragraph(
                audit.store.name, result, category_views, strategy_views, gaps, cl, audit
            )
        ),
        categories=category_views,
        strategies=strategy_views,
        radar=charts.radar([(c.title, c.score) for c in category_views]),
        heatmap=_heatmap(cl, segment, result, category_views, by_id),
        red_flags=[by_id[i] for i in result.red_flags],
        quick_wins=[by_id[i] for i in result.quick_wins],
        gaps=gaps,
        top_gaps=gaps[:TOP_GAPS],
        strengths=story.strengths,
        plan={k: [a.item for a in v] for k, v in roadmap.periods.items()},
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
        story=story,
        roadmap=roadmap,
        matrix=_matrix(gaps),
        polish=polish,
        all_strengths=strengths,
        sources=sources,
        warnings=warnings,
        drift=drift_details,
        evidence_summary=evidence_summary,
        not_assessed=not_assessed,
        perfect=bool(answered) and not gaps and not polish,
    )


def _evidence(
    answer: Answer, audit_path: Path | None, warnings: list[str], item_id: str
) -> list[EvidenceView]:
    """Each piece of evidence as shown: files only from the evidence folder, URLs as text."""
    out = []
    for e in answer.evidence:
        ref = e.ref or ""
        view = EvidenceView(
            kind=e.kind,
            label=reading.kind_word(e.kind),
            ref=ref,
            date=e.date.isoformat() if e.date else "",
            n=e.n,
            period=e.period or "",
            p90=e.p90,
            note=e.note or "",
        )
        if SAFE_LINK.match(ref):
            view.url = ref
        elif ref and "://" not in ref:
            view.ref = Path(ref).name
            _thumbnail(view, ref, e, audit_path, warnings, item_id)
        out.append(view)
    return out


def _thumbnail(view: EvidenceView, ref: str, e, audit_path, warnings, item_id: str) -> None:
    """A thumbnail made now from the copy in the evidence folder, and from nowhere else."""
    if audit_path is None:
        return
    from audit.answers import evidence as files

    try:
        copy = files.local_copy(audit_path, e)
    except files.EvidenceError as exc:
        # The message starts with the audit's path: the report names the item, not the folder.
        why = str(exc).removeprefix(f"{audit_path}: ")
        view.warning = why
        warnings.append(f"{item_id}: {why}")
        return
    if copy is None or copy.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        return
    try:
        data = files.thumbnail(copy, THUMBNAIL_PX)
    except files.EvidenceError as exc:
        view.warning = str(exc).removeprefix(f"{copy}: ")
        return
    view.thumbnail = f"data:{files.mime_type(data)};base64,{base64.b64encode(data).decode('ascii')}"


def _drift(found: Drift | None) -> tuple[str, list[str]]:
    """The drift caveat for the story page, and the items it names for the appendix."""
    if found is None:
        return "", []
    text = _(
        "The checklist changed after this audit was answered: version {recorded} was "
        "recorded, {current} is scored now."
    ).format(recorded=found.recorded_version, current=found.current_version)
    details = []
    if not found.named:
        details.append(
            _("The recorded version is not available: the items that changed are unknown.")
        )
    if found.added:
        details.append(_("Items added: {ids}.").format(ids=", ".join(found.added)))
    if found.removed:
        details.append(_("Items removed: {ids}.").format(ids=", ".join(found.removed)))
    if found.changed:
        changed = ", ".join(f"{c.id} ({', '.join(c.fields)})" for c in found.changed)
        details.append(_("Items changed: {ids}.").format(ids=changed))
    return text, details


def _heatmap(cl, segment: str, result: Result, categories: list[GroupView], by_id) -> list[HeatRow]:
    """Each cell with the count of answered items its score rests on."""
    counts: dict[tuple[str, str], int] = {}
    for item in cl.items_for(segment):
        if by_id[item.id].level is None:
            continue
        for s in item.strategy:
            counts[(item.category, s)] = counts.get((item.category, s), 0) + 1
    rows = []
    for c in categories:
        cells = []
        for s in cl.strategies:
            value = result.matrix[c.id][s.id]
            n = counts.get((c.id, s.id), 0)
            cells.append(HeatCell(value, n, band(value)))
        rows.append(HeatRow(c.title, cells))
    return rows


def _matrix(gaps: list[ItemView]) -> list[list[MatrixCell]]:
    rows = []
    for name, floor in IMPACT_ROWS:
        ceiling = {"high": 99.0, "medium": 3.0, "low": 1.5}[name]
        row = []
        for effort in ("low", "medium", "high"):
            members = [g for g in gaps if g.effort == effort and floor <= (g.impact or 0) < ceiling]
            row.append(MatrixCell(name, effort, members, MATRIX_SHADES.get((name, effort), "")))
        rows.append(row)
    return rows


def _roadmap(result: Result, by_id: dict[str, ItemView]) -> Roadmap:
    """The 30/60/90 actions and the backlog with their bookkeeping; unset fields stay blank."""
    periods: dict[str, list[ActionView]] = {}
    for key in (*PERIODS, "backlog"):
        periods[key] = [
            _action(result, by_id[i], key) for i in result.plan.get(key, []) if i in by_id
        ]
    backlog = periods.pop("backlog")
    notes = []
    if result.over_capacity:
        flags = len(periods["30"])
        notes.append(
            _(
                "30 days: {n} red flags against a capacity of {capacity}. Every red flag stays "
                "in the first 30 days, {over} over capacity: add hands or move other work."
            ).format(n=flags, capacity=result.capacity[0], over=result.over_capacity)
        )
        for a in periods["30"]:
            a.over_capacity = True
    return Roadmap(periods, backlog, list(result.capacity), notes)


def _step(text: str) -> str:
    first = reading.first_sentence(text)
    return first if first == text.strip() else first + ("…" if first[-1:] not in "?!" else "")


def _action(result: Result, item: ItemView, key: str) -> ActionView:
    planned = result.actions.get(item.id)
    if planned is None:
        text = item.recommendation
        return ActionView(item=item, text=text, period=key, first_step=_step(text))
    text = planned.text or item.recommendation
    return ActionView(
        item=item,
        text=text,
        first_step=_step(text),
        period=key,
        owner=planned.owner or "",
        due=planned.due or "",
        target=planned.target,
        status=planned.status,
        kpi=planned.kpi or "",
    )
