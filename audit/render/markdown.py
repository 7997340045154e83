"""The report as Markdown, for pasting into documents. User text is escaped, never markup."""

from __future__ import annotations

import re

from audit.i18n import _
from audit.render.document import Report
from audit.words import band_label, effort_label, status_label

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _score(value: float | None) -> str:
    return _("not assessed") if value is None else f"{value:.1f}"


def render(r: Report) -> str:
    out: list[str] = []
    add = out.append
    add("# " + _("Customer expectations audit") + f": {esc(r.store)}\n")
    add("- " + _("Segment") + f": {r.segment}")
    if r.auditor:
        add("- " + _("Auditor") + f": {esc(r.auditor)}")
    add("- " + _("Date") + f": {r.date}")
    add(
        "- "
        + _("Checklist")
        + ": "
        + _("%(title)s, version %(version)s")
        % {"title": esc(r.checklist_title), "version": r.checklist_version}
    )
    add("- **" + _("Overall score") + f": {_score(r.overall)} ({band_label(r.overall_band)})**")
    if not r.complete:
        add(
            "\n> "
            + _("Incomplete audit: {open} of {total} items are unanswered.").format(
                open=r.completion["unanswered"], total=r.completion["items"]
            )
        )
    add("\n## " + _("Executive summary") + "\n")
    c = r.completion
    add(
        _(
            "{answered} of {items} items answered, {na} N/A, {open} unanswered. {flags} red flags, "
            "{gaps} gaps."
        ).format(
            answered=c["answered"],
            items=c["items"],
            na=c["na"],
            open=c["unanswered"],
            flags=len(r.red_flags),
            gaps=len(r.gaps),
        )
        + "\n"
    )
    add(esc(r.reading) + "\n")
    if r.strengths:
        add("**" + _("Top strengths") + "**\n")
        out.extend(f"- {i.id}: {esc(i.question)}" for i in r.strengths)
        add("")
    if r.top_gaps:
        add("**" + _("Top gaps") + "**\n")
        out.extend(
            f"{n}. {i.id}: {esc(i.question)} (" + _("impact %(n)s") % {"n": f"{i.impact:.2f}"} + ")"
            for n, i in enumerate(r.top_gaps, 1)
        )
        add("")
    if r.progress:
        _progress(r, add)
    add("## " + _("Scores") + "\n")
    add(
        "| "
        + " | ".join(
            (_("Expectation type"), _("Score"), _("Band"), _("Answered"), _("N/A"), _("Open"))
        )
        + " |"
    )
    add("|---|---:|---|---:|---:|---:|")
    for g in r.categories:
        add(
            f"| {esc(g.title)} | {_score(g.score)} | {band_label(g.band) if g.band else ''} | "
            f"{g.answered} | {g.na} | "
            f"{g.unanswered} |"
        )
    add("\n| " + _("Strategy") + " | " + _("Score") + " | " + _("Band") + " |")
    add("|---|---:|---|")
    for g in r.strategies:
        add(f"| {esc(g.title)} | {_score(g.score)} | {band_label(g.band) if g.band else ''} |")
    add("\n## " + _("Red flags") + "\n")
    out.extend(f"- **{i.id}** {esc(i.question)}" for i in r.red_flags) if r.red_flags else add(
        _("None.")
    )
    add("\n## " + _("Quick wins") + "\n")
    out.extend(f"- **{i.id}** {esc(i.question)}" for i in r.quick_wins) if r.quick_wins else add(
        _("None.")
    )
    add("\n## " + _("Gaps and recommendations") + "\n")
    for i in r.gaps:
        add(f"### {i.id}: {esc(i.question)}\n")
        add(
            " · ".join(
                [
                    _("level %(n)s/4") % {"n": i.level},
                    _("impact %(n)s") % {"n": f"{i.impact:.2f}"},
                    effort_label(i.effort),
                    *([_("must-have")] if i.critical else []),
                ]
            )
            + "\n"
        )
        if i.note:
            add("*" + _("Auditor's note:") + f"* {esc(i.note)}\n")
        add("*" + _("Recommendation:") + f"* {esc(i.recommendation)}\n")
    add("## " + _("Action plan") + "\n")
    for key, title in (
        ("30", _("Next 30 days")),
        ("60", _("Within 60 days")),
        ("90", _("Within 90 days")),
    ):
        add(f"### {title}\n")
        items = r.plan[key]
        out.extend(f"- [ ] **{i.id}** {esc(i.question)}" for i in items) if items else add(
            _("Nothing for this period.")
        )
        add("")
    add("## " + _("Customer experience measures") + "\n")
    add(
        "| "
        + _("Measure")
        + " | "
        + _("Value")
        + " | "
        + _("Level")
        + " | "
        + _("Thresholds used")
        + " |"
    )
    add("|---|---:|---|---|")
    for m in r.measures:
        value = (
            f"{m.value:g} {esc(m.unit)}"
            if m.value is not None
            else (_("N/A") if m.status == "na" else _("not measured"))
        )
        sign = "≤" if m.better == "lower" else "≥"
        thresholds = ", ".join(f"{n}: {sign} {t:g}" for n, t in enumerate(m.thresholds, 1))
        add(
            f"| {m.id} {esc(m.question)} | {value} | "
            f"{'' if m.level is None else m.level} | {thresholds} |"
        )
    add("\n## " + _("Benchmarks") + "\n")
    if r.benchmarks:
        out.extend(f"- {esc(b.text)} ({esc(b.source)}; {i.id})" for i, b in r.benchmarks)
    else:
        add(_("No benchmark bears on the gaps found."))
    add("\n## " + _("Findings by expectation type") + "\n")
    for g in r.categories:
        add(f"### {esc(g.title)}: {_score(g.score)}\n")
        add(f"*{esc(g.description)}*\n")
        add(
            "| "
            + _("Item")
            + " | "
            + _("Question")
            + " | "
            + _("Answer")
            + " | "
            + _("Note")
            + " |"
        )
        add("|---|---|---|---|")
        for i in g.items:
            answer = {"na": _("N/A"), "unanswered": _("unanswered")}.get(i.status, i.answer)
            add(f"| {i.id} | {esc(i.question)} | {esc(answer)} | {esc(i.note)} |")
        add("")
    add("## " + _("Appendix") + "\n")
    if r.orphans:
        add(
            _("Answers to items no longer in the checklist")
            + ": "
            + ", ".join(f"{o.id} ({esc(o.answer)})" for o in r.orphans)
            + "\n"
        )
    add(_("Checklist") + f" {r.checklist_id} {r.checklist_version}, sha256 `{r.checklist_sha256}`.")
    return "\n".join(out) + "\n"


def _progress(r: Report, add) -> None:
    p = r.progress
    assert p is not None

    def num(value: float | None, sign: bool = False) -> str:
        return "–" if value is None else (f"{value:+.1f}" if sign else f"{value:.1f}")

    add("## " + _("Progress since %(date)s") % {"date": p.baseline_date} + "\n")
    add(esc(p.trend) + "\n")
    add("| | " + p.baseline_date + " | " + _("Now") + " | " + _("Change") + " |")
    add("|---|---:|---:|---:|")
    add(
        "| **" + _("Overall") + f"** | {num(p.overall.before)} | {num(p.overall.after)} | "
        f"{num(p.overall.change, True)} |"
    )
    for row in [*p.categories, *p.strategies]:
        add(
            f"| {esc(row.title)} | {num(row.before)} | {num(row.after)} | {num(row.change, True)} |"
        )
    add("\n### " + _("The last action plan") + "\n")
    for plan_row in p.plan:
        after = "–" if plan_row.after is None else plan_row.after
        status = status_label(plan_row.status)
        add(f"- {plan_row.id} {esc(plan_row.question)}: {plan_row.before} → {after} ({status})")
    add("")
