"""The report as Markdown, for pasting into documents. User text is escaped, never markup."""

from __future__ import annotations

import re

from audit.render.document import Report

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _score(value: float | None) -> str:
    return "not assessed" if value is None else f"{value:.1f}"


def render(r: Report) -> str:
    out: list[str] = []
    add = out.append
    add(f"# Customer expectations audit: {esc(r.store)}\n")
    add(f"- Segment: {r.segment}")
    if r.auditor:
        add(f"- Auditor: {esc(r.auditor)}")
    add(f"- Date: {r.date}")
    add(f"- Checklist: {esc(r.checklist_title)}, version {r.checklist_version}")
    add(f"- **Overall score: {_score(r.overall)} ({r.overall_band or 'not assessed'})**")
    if not r.complete:
        add(f"\n> Incomplete audit: {r.completion['unanswered']} of {r.completion['items']} "
            "items are unanswered.")
    add("\n## Executive summary\n")
    c = r.completion
    add(f"{c['answered']} of {c['items']} items answered, {c['na']} N/A, "
        f"{c['unanswered']} unanswered. {len(r.red_flags)} red flags, {len(r.gaps)} gaps.\n")
    add(esc(r.reading) + "\n")
    if r.strengths:
        add("**Top strengths**\n")
        out.extend(f"- {i.id}: {esc(i.question)}" for i in r.strengths)
        add("")
    if r.top_gaps:
        add("**Top gaps**\n")
        out.extend(f"{n}. {i.id}: {esc(i.question)} (impact {i.impact:.2f})"
                   for n, i in enumerate(r.top_gaps, 1))
        add("")
    add("## Scores\n")
    add("| Expectation type | Score | Band | Answered | N/A | Open |")
    add("|---|---:|---|---:|---:|---:|")
    for g in r.categories:
        add(f"| {esc(g.title)} | {_score(g.score)} | {g.band or ''} | {g.answered} | {g.na} | "
            f"{g.unanswered} |")
    add("\n| Strategy | Score | Band |")
    add("|---|---:|---|")
    for g in r.strategies:
        add(f"| {esc(g.title)} | {_score(g.score)} | {g.band or ''} |")
    add("\n## Red flags\n")
    out.extend(f"- **{i.id}** {esc(i.question)}" for i in r.red_flags) if r.red_flags else add("None.")
    add("\n## Quick wins\n")
    out.extend(f"- **{i.id}** {esc(i.question)}" for i in r.quick_wins) if r.quick_wins else add("None.")
    add("\n## Gaps and recommendations\n")
    for i in r.gaps:
        add(f"### {i.id}: {esc(i.question)}\n")
        add(f"Level {i.level}/4 · impact {i.impact:.2f} · effort {i.effort}"
            + (" · must-have" if i.critical else "") + "\n")
        if i.note:
            add(f"*Note:* {esc(i.note)}\n")
        add(f"*Recommendation:* {esc(i.recommendation)}\n")
    add("## Action plan\n")
    for key, title in (("30", "Next 30 days"), ("60", "Within 60 days"), ("90", "Within 90 days")):
        add(f"### {title}\n")
        items = r.plan[key]
        out.extend(f"- [ ] **{i.id}** {esc(i.question)}" for i in items) if items else add("Nothing.")
        add("")
    add("## Customer experience measures\n")
    add("| Measure | Value | Level | Thresholds |")
    add("|---|---:|---|---|")
    for m in r.measures:
        value = f"{m.value:g} {esc(m.unit)}" if m.value is not None else (
            "N/A" if m.status == "na" else "not measured")
        sign = "≤" if m.better == "lower" else "≥"
        thresholds = ", ".join(f"{n}: {sign} {t:g}" for n, t in enumerate(m.thresholds, 1))
        add(f"| {m.id} {esc(m.question)} | {value} | "
            f"{'' if m.level is None else m.level} | {thresholds} |")
    add("\n## Benchmarks\n")
    if r.benchmarks:
        out.extend(f"- {esc(b.text)} ({esc(b.source)}; {i.id})" for i, b in r.benchmarks)
    else:
        add("No benchmark bears on the gaps found.")
    add("\n## Findings by expectation type\n")
    for g in r.categories:
        add(f"### {esc(g.title)}: {_score(g.score)}\n")
        add(f"*{esc(g.description)}*\n")
        add("| Item | Question | Answer | Note |")
        add("|---|---|---|---|")
        for i in g.items:
            answer = {"na": "N/A", "unanswered": "unanswered"}.get(i.status, i.answer)
            add(f"| {i.id} | {esc(i.question)} | {esc(answer)} | {esc(i.note)} |")
        add("")
    add("## Appendix\n")
    if r.orphans:
        add("Answers to items no longer in the checklist: "
            + ", ".join(f"{o.id} ({esc(o.answer)})" for o in r.orphans) + "\n")
    add(f"Checklist {r.checklist_id} {r.checklist_version}, sha256 `{r.checklist_sha256}`.")
    return "\n".join(out) + "\n"
