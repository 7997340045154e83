"""The report's words written from the data: the reading, the story page, the trend.

User text inside the tool's own sentences is isolated (U+2068 .. U+2069), so that a store
name or note in another direction, or carrying bidi controls, cannot reorder the sentence
around it. The HTML turns each isolate into a <bdi>; `plain` drops them for text formats.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeVar

from audit.i18n import _, current, join_sentences, ngettext
from audit.judgement.scoring import Result
from audit.judgement.scoring import score as rescore
from audit.render.views import GroupView, Headline, ItemView, ProgressRow

T = TypeVar("T")

if TYPE_CHECKING:
    from audit.judgement.compare import Comparison
    from audit.model import Audit, Checklist

FSI, PDI = "\u2068", "\u2069"


def iso(text: str) -> str:
    """User text, isolated from the sentence around it."""
    return f"{FSI}{text}{PDI}" if text else text


def plain(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")


def quote(text: str) -> str:
    """Quotation marks of the language the report is written in."""
    open_, close = {"ar": ("«", "»"), "zh-Hant": ("「", "」")}.get(current(), ("“", "”"))
    return f"{open_}{text}{close}"


def paragraph(
    store: str,
    result: Result,
    categories: list[GroupView],
    strategies: list[GroupView],
    gaps: list[ItemView],
    checklist: Checklist,
    audit: Audit,
    flags: bool = True,
) -> str:
    """The reading of the whole result; `flags=False` leaves the red flags to the headlines."""
    o, comp = result.overall, result.completion
    if o.score is None:
        return _(
            "No item of this audit has been answered yet, so {store} cannot be scored. "
            "Answer the checklist with `cxaudit run` and render the report again."
        ).format(store=iso(store))
    na = join_sentences(["", _("({n} not applicable)").format(n=comp.na)]) if comp.na else ""
    sentences = [
        _opening(o.band).format(
            store=iso(store),
            score=f"{o.score:.1f}",
            answered=comp.answered,
            items=comp.items,
            na=na,
        )
    ]
    assessed = [(c.score, c) for c in categories if c.score is not None]
    to_do = bool(gaps or result.polish)  # with nothing to improve, no area is weaker
    if len(assessed) >= 2 and to_do:
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
                    lead=iso(lead.title),
                    lead_score=f"{lead.score:.0f}",
                    trail=iso(trail.title),
                    trail_score=f"{trail.score:.0f}",
                )
            )
    if result.red_flags and flags:
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
        # On a provisional audit a projected score would promise more than was measured.
        projected = (
            None if comp.provisional else _with_top_gaps_closed(checklist, audit, gaps[:5])
        )
        if projected is not None and projected > o.score:
            sentences.append(
                _(
                    "Closing the five largest gaps alone would lift the overall score to "
                    "about {score}."
                ).format(score=f"{projected:.0f}")
            )
    elif comp.answered and not result.polish:
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
    planned = [p for p in c.plan if p.horizon != "backlog"]
    closed = sum(1 for p in planned if p.status == "closed")
    if planned:
        sentences.append(
            ngettext(
                "{closed} of the {n} item in the last action plan is closed.",
                "{closed} of the {n} items in the last action plan are closed.",
                len(planned),
            ).format(closed=closed, n=len(planned))
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


# --- the story page ------------------------------------------------------------------

HEADLINES = 5
STRENGTHS = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[.!?][\"”’»])\s+(?=\S)|(?<=[。！？])")
_CLAUSE_END = re.compile(r"\s*[;؛；]\s*")
LONG = 170  # characters: a finding longer than this is cut at a clause or a word


def first_sentence(text: str) -> str:
    """The first sentence of a text, without its closing full stop."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    return first.rstrip(".。")


def short(text: str, limit: int = 70) -> str:
    """A text cut to about `limit` characters at a word, for one-line rows."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut  # Chinese has no spaces: cut anywhere
    return cut.rstrip(",:;،、， ") + "…"


def _shorten(text: str, limit: int = LONG) -> str:
    sentence = first_sentence(text)
    if len(sentence) <= limit:
        return sentence
    clauses = _CLAUSE_END.split(sentence)
    # The clause with a figure in it is the auditor's evidence: keep it when the first has none.
    counted = [c for c in clauses if any(ch.isdigit() for ch in c)]
    clause = clauses[0] if not counted or any(ch.isdigit() for ch in clauses[0]) else counted[0]
    if len(clause) <= limit:
        return clause
    cut = clause[:limit].rsplit(" ", 1)[0] if " " in clause[:limit] else clause[:limit]
    return cut.rstrip(",:;، ") + "…"


def _lower_first(text: str) -> str:
    """'Send a delay notice' -> 'send a delay notice' after a colon; 'NPS' and scripts without
    case are left alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def evidence_label(kind: str, n: int = 1) -> str:
    labels = {
        "observed": ngettext("{n} observed", "{n} observed", n),
        "test": ngettext("{n} test order or contact", "{n} test orders or contacts", n),
        "measured": ngettext("{n} measured", "{n} measured", n),
        "document": ngettext("{n} document", "{n} documents", n),
        "reported": ngettext("{n} reported", "{n} reported", n),
    }
    return labels.get(kind, f"{{n}} {kind}").format(n=n)


def kind_word(kind: str) -> str:
    """The kind of one piece of evidence, as a tag."""
    return {
        "observed": _("observed"),
        "test": _("test order or contact"),
        "measured": _("measured"),
        "document": _("document"),
        "reported": _("reported"),
    }.get(kind, kind)


def evidence_sentence(counts: dict[str, int], with_evidence: int, answered: int) -> str:
    """'41 of 77 answers with evidence: 12 observed, 3 test orders or contacts, 4 measured.'"""
    if not answered:
        return ""
    if not with_evidence:
        return ngettext(
            "None of the {n} answer has evidence attached: it is the word of whoever answered.",
            "None of the {n} answers has evidence attached: each is the word of whoever answered.",
            answered,
        ).format(n=answered)
    kinds = [evidence_label(k, n) for k, n in counts.items() if n and k != "reported"]
    return _("{with_evidence} of {answered} answers with evidence: {kinds}.").format(
        with_evidence=with_evidence, answered=answered, kinds=", ".join(kinds)
    )


def finding(item: ItemView) -> str:
    """What the auditor found, in their own words or figure: the first part of a headline."""
    if item.note:  # the auditor's words say what the figure means; the card has the figure
        return iso(_shorten(item.note))
    if item.kind == "metric" and item.value is not None:
        value = f"{item.value:g} {item.unit}".strip()
        measured = next((e for e in item.evidence if e.n), None)
        if measured:
            value = _("{value} (n = {n})").format(value=value, n=measured.n)
        # A figure alone does not say what it measures: the whole question names it.
        return asked(item.question, value)
    return asked(item.question, item.answer)


def asked(question: str, answer: str) -> str:
    """A question and its answer as one finding: "Is X shown? 1 Ad hoc", not "shown?: 1"."""
    if question.rstrip().endswith(("?", "؟", "？")):
        return f"{iso(question.rstrip())} {answer}"
    return _("{question}: {answer}").format(question=iso(question), answer=answer)


def headlines(gaps: list[ItemView], count: int = HEADLINES) -> list[Headline]:
    """Red flags first, then the largest gaps: those the auditor wrote evidence for lead."""
    told = [g for g in gaps if g.note or g.value is not None]
    chosen = [g for g in gaps if g.red_flag and g in told][:count]
    chosen += [g for g in told if g not in chosen][: count - len(chosen)]
    if len(chosen) < 3:
        chosen += [g for g in gaps if g not in chosen][: 3 - len(chosen)]
    chosen.sort(key=gaps.index)
    out = []
    seen: set[str] = set()
    for g in chosen:
        kinds = sorted({e.kind for e in g.evidence if e.kind != "reported"})
        found = finding(g)
        if found in seen:  # the same note on several items says nothing new: name the item
            found = asked(g.question, g.answer)
        seen.add(found)
        out.append(
            Headline(
                finding=found,
                action=_lower_first(first_sentence(g.recommendation)),
                item=g,
                evidenced=", ".join(kind_word(k) for k in kinds),
            )
        )
    return out


def top_strengths(items: list[ItemView], count: int = STRENGTHS) -> list[ItemView]:
    """Level 4 items by weight, notes first; practices to avoid answered "no" are no strength."""
    strong = [i for i in items if i.level == 4 and not i.inverted]
    strong.sort(key=lambda i: (-i.weight, not i.note, i.id))
    return strong[:count]


def unverified(answers: list[ItemView]) -> bool:
    """Nearly every answer at the top level, with no note and no evidence: nothing was checked."""
    answered = [i for i in answers if i.status == "answered"]
    if len(answered) < 5:
        return False
    top = sum(1 for i in answered if i.level == 4)
    told = any(i.note or i.evidence for i in answers)
    return top >= 0.9 * len(answered) and not told


def caveats(
    completion: dict[str, int],
    not_assessed: list[str],
    reported_only: int,
    answered: int,
    drift: str,
) -> list[str]:
    out = []
    if completion["unanswered"]:
        out.append(
            ngettext(
                "{n} of {items} items is unanswered: every score covers the answered items only.",
                "{n} of {items} items are unanswered: every score covers the answered items only.",
                completion["unanswered"],
            ).format(n=completion["unanswered"], items=completion["items"])
        )
    if not_assessed:
        out.append(
            _("Not assessed at all: {titles}.").format(titles=", ".join(map(quote, not_assessed)))
        )
    if reported_only and reported_only < answered:
        out.append(
            ngettext(
                "{n} answer rests on someone's word alone, with no evidence attached.",
                "{n} answers rest on someone's word alone, with no evidence attached.",
                reported_only,
            ).format(n=reported_only)
        )
    if drift:
        out.append(drift)
    return out
