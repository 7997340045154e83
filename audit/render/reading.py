"""The one-paragraph reading of a result, written from its numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.scoring import Result, score as rescore

if TYPE_CHECKING:
    from audit.model import Audit, Checklist
    from audit.render.document import GroupView, ItemView


def paragraph(store: str, result: Result, categories: list[GroupView], strategies: list[GroupView],
              gaps: list[ItemView], checklist: Checklist, audit: Audit) -> str:
    o, comp = result.overall, result.completion
    if o.score is None:
        return (f"No item of this audit has been answered yet, so {store} cannot be scored. "
                f"Answer the checklist with `cxaudit run` and render the report again.")
    sentences = [f"{store} scores {o.score:.1f} out of 100 overall, which {_verb(o.band)} "
                 f"customers' expectations, based on {comp.answered} of {comp.items} items"
                 + (f" ({comp.na} not applicable)." if comp.na else ".")]
    assessed = [c for c in categories if c.score is not None]
    if len(assessed) >= 2:
        best = max(assessed, key=lambda c: c.score)
        worst = min(assessed, key=lambda c: c.score)
        if best.score - worst.score >= 10:
            sentences.append(
                f"The strongest expectation type is {best.title.lower()} ({best.score:.0f}); "
                f"the weakest is {worst.title.lower()} ({worst.score:.0f}), where the work should start.")
        else:
            sentences.append(f"The expectation types are evenly matched (within "
                             f"{best.score - worst.score:.0f} points of each other), "
                             f"so gains will come from individual items rather than one area.")
    rated = [s for s in strategies if s.score is not None]
    if len(rated) >= 2:
        lead = max(rated, key=lambda s: s.score)
        trail = min(rated, key=lambda s: s.score)
        if lead.score - trail.score >= 10:
            sentences.append(f"Of the six strategies, “{lead.title}” is best in hand "
                             f"({lead.score:.0f}) and “{trail.title}” needs the most attention "
                             f"({trail.score:.0f}).")
    if result.red_flags:
        n = len(result.red_flags)
        sentences.append(f"{n} must-have item{'s are' if n > 1 else ' is'} missing or ad hoc "
                         f"and should be fixed first, starting with {result.red_flags[0]}.")
    if gaps:
        projected = _with_top_gaps_closed(checklist, audit, gaps[:5])
        if projected is not None and projected > o.score:
            sentences.append(f"Closing the five largest gaps alone would lift the overall score "
                             f"to about {projected:.0f}.")
    elif comp.answered:
        sentences.append("Every answered item exceeds expectations: keep measuring, because "
                         "customers' expectations keep rising.")
    if comp.unanswered:
        sentences.append(f"{comp.unanswered} item{'s are' if comp.unanswered > 1 else ' is'} "
                         f"still unanswered, so this reading is provisional.")
    return " ".join(sentences)


def _verb(band: str | None) -> str:
    return {"exceeds": "exceeds", "meets": "meets", "partly meets": "only partly meets",
            "falls short": "falls short of"}.get(band or "", "is measured against")


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
