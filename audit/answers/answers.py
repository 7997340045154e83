"""The walkthrough's one-line answers and commands.

Answers: `3 note`, `na note`, `y`, `42`; `3 -` gives a score and clears the note, `-` alone
clears the note and keeps the answer. Commands: `s` skip, `b` back, `?` guidance, `??` the
full scale, `q` save and quit, `g ID` go to an item, `/WORDS` find items, `l` list the
categories, `n` (or `>`) the next unanswered item (on yes/no items `n` is "no": use `>`),
`e PATH-OR-URL [kind]` attach evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from audit.checklists import units
from audit.i18n import _
from audit.model import NOTE_MAX, Answer, Item

Kind = Literal[
    "answer",
    "skip",
    "back",
    "help",
    "scale",
    "quit",
    "keep",
    "clear-note",
    "goto",
    "search",
    "list",
    "next",
    "evidence",
]
COMMANDS: dict[str, Kind] = {
    "s": "skip",
    "b": "back",
    "?": "help",
    "??": "scale",
    "q": "quit",
    "l": "list",
    ">": "next",
    "-": "clear-note",
}
CLEAR = "-"  # a note of just "-" clears the note
YES = {"y", "yes"}
NO = {"n", "no"}


class InvalidReply(ValueError):
    """A line that is not an answer to this item; the message says what would be."""


@dataclass(frozen=True)
class Reply:
    kind: Kind
    answer: Answer | None = None
    target: str | None = None  # the item id (g), the words (/), what follows e


def parse(line: str, item: Item, scale_values: list[int]) -> Reply:
    text = line.strip()
    if not text:
        return Reply("keep")
    if text.startswith("/"):
        if not text[1:].strip():
            raise InvalidReply(_("type words to find after /, e.g. /delivery"))
        return Reply("search", target=text[1:].strip())
    word, _sep, rest = text.partition(" ")
    lowered = word.lower()
    note = rest.strip() or None
    if command := _command(lowered, note, item):
        return command
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidReply(
            _("the note has {n} characters; keep it under {max}").format(n=len(note), max=NOTE_MAX)
        )
    if note == CLEAR:
        note = None
    if lowered in ("na", "n/a"):
        return Reply("answer", Answer(na=True, note=note))
    if item.type == "yesno":
        yes, no = YES | {_("yes").lower(), _("y").lower()}, NO | {_("no").lower(), _("n").lower()}
        if lowered in yes | no:
            return Reply("answer", Answer(answer="yes" if lowered in yes else "no", note=note))
        raise InvalidReply(_("answer y or n (then a note if you like), na, s, b, ? or q"))
    if item.type == "metric":
        try:
            read = units.read(text, item.unit, item.range)
        except units.UnitError as exc:
            raise InvalidReply(str(exc)) from None
        return Reply("answer", Answer(value=read.value, given=read.given, note=read.note))
    if word.isdigit() and int(word) in scale_values:
        return Reply("answer", Answer(score=int(word), note=note))
    low, high = min(scale_values), max(scale_values)
    raise InvalidReply(
        _("answer {low} to {high} (then a note if you like), na, s, b, ? or q").format(
            low=low, high=high
        )
    )


def _command(lowered: str, rest: str | None, item: Item) -> Reply | None:
    if lowered in ("g", "e"):
        if not rest:
            raise InvalidReply(
                _("g needs an item id, e.g. g DIG-03")
                if lowered == "g"
                else _("e needs a file or a web address, e.g. e returns.pdf document")
            )
        if lowered == "g":
            return Reply("goto", target=rest.split()[0])
        return _evidence(rest)
    if rest:
        return None
    if lowered in COMMANDS:
        return Reply(COMMANDS[lowered])
    if lowered == "n" and item.type != "yesno":
        return Reply("next")
    return None


def _evidence(rest: str) -> Reply:
    """`e PATH-OR-URL [kind]`: the walkthrough splits the rest (evidence.split_line)."""
    return Reply("evidence", target=rest.strip())


def clears_note(line: str) -> bool:
    """`3 -`: an answer whose note is a lone dash clears the note it had."""
    words = line.split()
    return len(words) >= 2 and words[-1] == CLEAR


def describe(answer: Answer | None, labels: dict[int, str]) -> str:
    """A short text of a stored answer, as the walkthrough shows it."""
    if answer is None:
        return ""
    if answer.na:
        main = _("N/A")
    elif answer.answer is not None:
        main = _("yes") if answer.answer == "yes" else _("no")
    elif answer.value is not None:
        main = f"{answer.value:g}"
    elif answer.score is not None:
        main = f"{answer.score} {labels.get(answer.score, '')}".strip()
    else:
        main = _("no answer")
    return f"{main} · {answer.note}" if answer.note else main


def as_line(answer: Answer | None) -> str:
    """The answer written back in the grammar (what an empty line in --review keeps)."""
    if answer is None:
        return ""
    if answer.na:
        main = "na"
    elif answer.answer is not None:
        main = "y" if answer.answer == "yes" else "n"
    elif answer.value is not None:
        main = answer.given or f"{answer.value:g}"  # as typed (`2 days`), so its unit stays
    elif answer.score is not None:
        main = str(answer.score)
    else:
        return ""
    return f"{main} {answer.note}" if answer.note else main
