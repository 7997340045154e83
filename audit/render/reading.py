"""The one-paragraph reading of a result, written from its numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from audit.i18n import _, join_sentences, ngettext
from audit.scoring import Result
from audit.scoring import score as rescore

T = TypeVar("T")

if TYPE_CHECKING:
    from audit.compare import Comparison
    from audit.model import Audit, Checklist
    from audit.render.document import GroupView, ItemView, ProgressRow


def paragraph(
    store: str,
    result: Result,
    categories: list[GroupView],
    strategies: list[GroupView],
    gaps: list[ItemView],
    checklist: Checklist,
    audit: Audit,
) -> str:
    o, comp = result.overall, result.completion
    if o.score is None:
        return _(
            "No item of this audit has been answered yet, so {store} cannot be scored. "
            "Answer the checklist with `cxaudit run` and render the report again."
        ).format(store=store)
    na = join_sentences(["", _("({n} not applicable)").format(n=comp.na)]) if comp.na else ""
    sentences = [
        _opening(o.band).format(
            store=store, score=f"{o.score:.1f}", answered=comp.answered, items=comp.items, na=na
        )
    ]
    assessed = [(c.score, c) for c in categories if c.score is not None]
    if len(assessed) >= 2:
        (best_score, best), (worst_score, worst) = _extremes(assessed)
        if best_score - worst_score >= 10:
            sentences.append(
                _(
                    "The strongest expectation type is {best} ({best_score}); the weakest "
                    "is {worst} ({worst_score}), where the work should start."
                ).format(
                    best=best.title.lower(),
                    best_score=f"{best_score:.0f}",
                    worst=worst.title.lower(),
                    worst_score=f"{worst_score:.0f}",
                )
            )
        else:
            sentences.append(
                _(
                    "The expectation types are evenly matched (within {n} points of each "
                    "other), so gains will come from individual items rather than one "
                    "area."
                ).format(n=f"{best_score - worst_score:.0f}")
            )
    rated = [(s.score, s) for s in strategies if s.score is not None]
    if len(rated) >= 2:
        (lead_score, lead), (trail_score, trail) = _extremes(rated)
        if lead_score - trail_score >= 10:
            sentences.append(
                _(
                    "Of the six strategies, “{lead}” is best in hand ({lead_score}) and "
                    "“{trail}” needs the most attention ({trail_score})."
                ).format(
                    lead=lead.title,
                    lead_score=f"{lead.score:.0f}",
                    trail=trail.title,
                    trail_score=f"{trail.score:.0f}",
                )
            )
    if result.red_flags:
        n = len(result.red_flags)
        sentences.append(
            ngettext(
                "{n} must-have item is missing or ad hoc and should be fixed first, "
                "starting with {id}.",
                "{n} must-have items are missing or ad hoc and should be fixed first, "
                "starting with {id}.",
                n,
            ).format(n=n, id=result.red_flags[0])
        )
    if gaps:
        projected = _with_top_gaps_closed(checklist, audit, gaps[:5])
        if projected is not None and projected > o.score:
            sentences.append(
                _(
                    "Closing the five largest gaps alone would lift the overall score to "
                    "about {score}."
                ).format(score=f"{projected:.0f}")
            )
    elif comp.answered:
        sentences.append(
            _(
                "Every answered item exceeds expectations: keep measuring, because "
                "customers' expectations keep rising."
            )
        )
    if comp.unanswered:
        sentences.append(
            ngettext(
                "{n} item is still unanswered, so this reading is provisional.",
                "{n} items are still unanswered, so this reading is provisional.",
                comp.unanswered,
            ).format(n=comp.unanswered)
        )
    return join_sentences(sentences)


def _extremes(scored: list[tuple[float, T]]) -> tuple[tuple[float, T], tuple[float, T]]:
    """The highest and the lowest of (score, thing) pairs: ties go to the first listed."""
    return max(scored, key=lambda pair: pair[0]), min(scored, key=lambda pair: pair[0])


def _opening(band: str | None) -> str:
    if band == "exceeds":
        return _(
            "{store} scores {score} out of 100 overall, which exceeds customers' expectations, "
            "based on {answered} of {items} items{na}."
        )
    if band == "meets":
        return _(
            "{store} scores {score} out of 100 overall, which meets customers' expectations, "
            "based on {answered} of {items} items{na}."
        )
    if band == "partly meets":
        return _(
            "{store} scores {score} out of 100 overall, which only partly meets customers' "
            "expectations, based on {answered} of {items} items{na}."
        )
    return _(
        "{store} scores {score} out of 100 overall, which falls short of customers' "
        "expectations, based on {answered} of {items} items{na}."
    )


def _with_top_gaps_closed(checklist: Checklist, audit: Audit, gaps) -> float | None:
    from audit.model import Answer

    answers = dict(audit.answers)
    for gap in gaps:
        item = checklist.item(gap.id)
        if item is None:
            continue
        if item.type == "yesno":
            answers[gap.id] = Answer(answer="no" if item.inverted else "yes")
        elif item.type == "metric" and item.thresholds:
            answers[gap.id] = Answer(value=item.thresholds[3])
        else:
            answers[gap.id] = Answer(score=4)
    return rescore(checklist, audit.model_copy(update={"answers": answers})).overall.score


def trend(c: Comparison, categories: list[ProgressRow]) -> str:
    """A few sentences on the change since the baseline, written from the numbers."""
    before, after = c.first.result.overall.score, c.last.result.overall.score
    if before is None or after is None:
        return _("The two audits cannot be compared: one of them has no answered item.")
    change = after - before
    values = {
        "date": c.first.date,
        "before": f"{before:.1f}",
        "after": f"{after:.1f}",
        "change": f"{abs(change):.1f}",
    }
    if change >= 0.5:
        sentences = [
            _(
                "Since the audit of {date} the overall score has risen by {change} points, "
                "from {before} to {after}."
            ).format(**values)
        ]
    elif change <= -0.5:
        sentences = [
            _(
                "Since the audit of {date} the overall score has fallen by {change} points, "
                "from {before} to {after}."
            ).format(**values)
        ]
    else:
        sentences = [
            _(
                "Since the audit of {date} the overall score has held steady at about {after}."
            ).format(**values)
        ]
    # Like for like (compare.py): the change is on the items answered in both audits.
    sentences.append(
        ngettext(
            "The change is on the {n} item answered in both audits.",
            "The change is on the {n} items answered in both audits.",
            len(c.common),
        ).format(n=len(c.common))
    )
    sentences += [w.text for w in c.warnings]
    moved = [(r.change, r) for r in categories if r.change is not None]
    if moved:
        (gain, best), (fall, worst) = _extremes(moved)
        if gain > 0:
            sentences.append(
                _("The largest gain is in {title} ({change:+.1f}).").format(
                    title=best.title.lower(), change=gain
                )
            )
        if fall < 0:
            sentences.append(
                _("The largest fall is in {title} ({change:+.1f}).").format(
                    title=worst.title.lower(), change=fall
                )
            )
    closed = sum(1 for p in c.plan if p.status == "closed")
    if c.plan:
        sentences.append(
            ngettext(
                "{closed} of the {n} item in the last action plan is closed.",
                "{closed} of the {n} items in the last action plan are closed.",
                len(c.plan),
            ).format(closed=closed, n=len(c.plan))
        )
    flags = len(c.flags_resolved) + len(c.flags_open) + len(c.flags_not_reassessed)
    if flags:
        sentences.append(
            _("{resolved} of {total} red flags resolved, {new} new.").format(
                resolved=len(c.flags_resolved), total=flags, new=len(c.flags_new)
            )
        )
    elif c.flags_new:
        sentences.append(
            ngettext("{n} new red flag.", "{n} new red flags.", len(c.flags_new)).format(
                n=len(c.flags_new)
            )
        )
    return join_sentences(sentences)
