"""The answering loop over a checklist. It talks to a Prompter, never to the terminal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from audit.answers import audits
from audit.answers.answers import InvalidReply, Reply, as_line, clears_note, describe, parse
from audit.checklists import Loaded, units
from audit.i18n import _, ngettext
from audit.model import Answer, Audit, Evidence, Item, localize


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Screen:
    """Everything the prompter needs to show one item."""

    position: int
    total: int
    category: str
    category_intro: str | None  # the category's definition, on its first item
    item_id: str
    question: str
    kind: str
    options: list[Option]
    unit: str
    critical: bool
    current: str
    answered: int
    na: int
    review: bool
    full_scale: bool = True  # the whole scale, else a one-line legend
    evidence: list[str] = field(default_factory=list)
    note_only: str = ""  # a note kept on an item with no answer yet


def given(answer: Answer | None) -> bool:
    """Whether a stored answer answers the item (evidence or a note alone do not)."""
    return answer is not None and (
        answer.na or any(v is not None for v in (answer.score, answer.answer, answer.value))
    )


def _evidence_text(e: Evidence) -> str:
    parts = [e.kind, e.ref or "", e.date.isoformat() if e.date else "", e.note or ""]
    return " · ".join(p for p in parts if p)


@dataclass
class Outcome:
    status: str  # "finished", "quit" or "end of input"
    answered: int
    na: int
    unanswered: int
    invalid_lines: list[str] = field(default_factory=list)


class Prompter(Protocol):
    interactive: bool

    def set_direction(self, direction: str) -> None: ...
    def show(self, screen: Screen) -> None: ...
    def read(self, prompt: str, prefill: str = "") -> str: ...  # EOFError at end of input
    def menu(self, title: str, rows: list[str]) -> None: ...
    def guidance(self, text: str) -> None: ...
    def problem(self, text: str) -> None: ...
    def notice(self, text: str) -> None: ...


def default_out(store_name: str, day: str) -> Path:
    slug = re.sub(r"[^\w]+", "-", store_name.lower(), flags=re.UNICODE).strip("-") or "store"
    return Path(f"{slug}-{day}.yaml")


class Walkthrough:
    def __init__(
        self, loaded: Loaded, audit: Audit, path: Path, prompter: Prompter, saver=None
    ) -> None:
        self.saver = saver  # locking.Saver: merges with edits made to the file meanwhile
        self.checklist = loaded.checklist
        self.audit = audit
        self.path = path
        self.prompter = prompter
        self.lang = audit.store.language or self.checklist.default_language
        self.items = self.checklist.items_for(audit.store.segment)
        self.values = [level.value for level in self.checklist.scale]
        self.labels = {lv.value: self.text(lv.label) for lv in self.checklist.scale}

    def text(self, value) -> str:
        return localize(value, self.lang, self.checklist.default_language)

    def is_answered(self, item: Item) -> bool:
        """An answer, or N/A: evidence alone leaves the item to answer."""
        return given(self.audit.answers.get(item.id))

    def first_unanswered(self) -> int | None:
        return self._unanswered_after(-1)

    def _unanswered_after(self, n: int, wrap: bool = False, passed: bool = True) -> int | None:
        """The next unanswered item after `n`; `wrap` goes round to the start (not to `n`).

        Items skipped in this run are passed over unless `passed` is true (the `n` command).
        """
        order = list(range(n + 1, len(self.items)))
        if wrap:
            order += list(range(0, max(0, n)))
        skipped: set[int] = getattr(self, "skipped", set())
        return next(
            (
                k
                for k in order
                if not self.is_answered(self.items[k]) and (passed or k not in skipped)
            ),
            None,
        )

    def run(self, review: bool = False) -> Outcome:
        """Review walks every item; otherwise from unanswered item to unanswered item."""
        start = 0 if review else self.first_unanswered()
        if start is None:
            return self._outcome("finished")
        self.review = review
        self.invalid: list[str] = []
        self.shown: set[str] = set()  # categories whose full scale was shown in this run
        self.skipped: set[int] = set()  # items passed with s (or Enter, or a bad line)
        n: int | None = start
        while n is not None and n < len(self.items):
            item = self.items[n]
            full = item.category not in self.shown
            self.shown.add(item.category)
            self.prompter.show(self._screen(n, item, full, review))
            step = self._ask(n, item)
            if step == "quit":
                return self._outcome("quit", self.invalid)
            if step == "eof":
                return self._outcome("end of input", self.invalid)
            n = step if isinstance(step, int) else None
        return self._outcome("finished", self.invalid)

    def _following(self, n: int) -> int | None:
        """Review walks on item by item; otherwise the next unanswered item, going round to
        the start for those before (after a `g` or `/` jump), but not to ones skipped."""
        if self.review:
            return n + 1
        return self._unanswered_after(n, wrap=True, passed=False)

    def _ask(self, n: int, item: Item) -> int | str | None:
        """Read lines for one item until one moves on: the next index, "quit" or "eof"."""
        while True:
            current = self.audit.answers.get(item.id)
            prefill = as_line(current) if self.review and given(current) else ""
            try:
                line = self.prompter.read(self._prompt(item), prefill)
            except EOFError:
                return "eof"
            try:
                reply = parse(line, item, self.values)
            except InvalidReply as exc:
                if not self.prompter.interactive:
                    # A script gets one line per item: report it and move on, never misalign.
                    self.invalid.append(f"{item.id}: {line.strip()!r}: {exc}")
                    self.prompter.problem(
                        _("{item}: {line!r} is not an answer: {why}").format(
                            item=item.id, line=line.strip(), why=exc
                        )
                    )
                    self.skipped.add(n)
                    return self._following(n)
                self.prompter.problem(str(exc))
                continue
            kind = reply.kind
            if kind == "help":
                self.prompter.guidance(self.text(item.guidance) or _("No guidance for this item."))
            elif kind == "scale":
                self.prompter.show(self._screen(n, item, True, self.review))
            elif kind == "keep":
                if given(current) or not self.prompter.interactive:
                    self.skipped.add(n)
                    return self._following(n)
                self.prompter.problem(_("type an answer, or s to skip, ? for guidance, q to quit"))
            elif kind == "skip":
                self.skipped.add(n)
                return self._following(n)
            elif kind == "back":
                return max(0, n - 1)
            elif kind == "quit":
                return "quit"
            elif kind == "next":
                target = self._unanswered_after(n, wrap=True)
                if target is not None:
                    return target
                self.prompter.problem(_("every other item is answered"))
            elif kind == "goto":
                target = self._find_id(reply.target or "")
                if target is not None:
                    return target
                self.prompter.problem(
                    _("no item {id} in this audit; / finds items by their words").format(
                        id=reply.target
                    )
                )
            elif kind in ("search", "list"):
                target = self._choose(reply) if kind == "search" else self._choose_category()
                if target is not None:
                    return target
                self.prompter.show(self._screen(n, item, False, self.review))
            elif kind == "clear-note":
                if current is not None and current.note:
                    self._save(item, current.model_copy(update={"note": None}))
                self.prompter.show(self._screen(n, item, False, self.review))
            elif kind == "evidence":
                self._attach(item, reply.target or "")
                self.prompter.show(self._screen(n, item, False, self.review))
            else:
                assert reply.answer is not None
                self.record(item, reply.answer, clear_note=clears_note(line))
                return self._following(n)

    def record(self, item: Item, answer: Answer, clear_note: bool = False) -> None:
        """A new answer keeps the evidence, and the note unless it brings or clears one."""
        if clear_note:
            answer = answer.model_copy(update={"note": None})
        old = self.audit.answers.get(item.id)
        if old is not None:
            keep: dict[str, object] = {"evidence": [*old.evidence, *answer.evidence]}
            if answer.note is None and not clear_note:
                keep["note"] = old.note
            answer = answer.model_copy(update=keep)
        self._save(item, answer)

    def _save(self, item: Item, answer: Answer) -> None:
        self.audit.answers[item.id] = answer
        self.audit.updated = audits.now()
        if self.saver is None:
            audits.save(self.audit, self.path)
            return
        for notice in self.saver.save(self.audit):
            self.prompter.problem(notice)

    def _attach(self, item: Item, line: str) -> None:
        from audit.answers import evidence
        from audit.errors import CxAuditError

        target, kind = evidence.split_line(line)
        try:
            found = evidence.attach(self.path, item.id, target, kind)
        except CxAuditError as exc:
            self.prompter.problem(str(exc))
            return
        old = self.audit.answers.get(item.id) or Answer()
        self._save(item, old.model_copy(update={"evidence": [*old.evidence, found]}))
        self.prompter.notice(
            _("Evidence attached to {id}: {ref}").format(id=item.id, ref=found.ref or target)
        )

    def _find_id(self, wanted: str) -> int | None:
        wanted = wanted.strip().lower()
        return next((k for k, i in enumerate(self.items) if i.id.lower() == wanted), None)

    def _choose(self, reply: Reply) -> int | None:
        words = (reply.target or "").lower().split()
        matches = [
            k
            for k, item in enumerate(self.items)
            if all(w in f"{item.id} {self.text(item.question)}".lower() for w in words)
        ]
        if not matches:
            self.prompter.problem(_("no question has {words}").format(words=reply.target))
            return None
        rows = [
            f"{self.items[k].id}  {self._mark(self.items[k])}  {self.text(self.items[k].question)}"
            for k in matches
        ]
        title = ngettext("{n} item has {words}", "{n} items have {words}", len(matches))
        return self._pick(title.format(n=len(matches), words=reply.target), rows, matches)

    def _choose_category(self) -> int | None:
        rows, targets = [], []
        for category in self.checklist.categories:
            indexes = [k for k, i in enumerate(self.items) if i.category == category.id]
            if not indexes:
                continue
            done = sum(self.is_answered(self.items[k]) for k in indexes)
            rows.append(f"{done:>3}/{len(indexes):<3} {self.text(category.title)}")
            first_open = next((k for k in indexes if not self.is_answered(self.items[k])), None)
            targets.append(indexes[0] if first_open is None else first_open)
        return self._pick(_("Categories: answered/items"), rows, targets)

    def _pick(self, title: str, rows: list[str], targets: list[int]) -> int | None:
        numbered = [f"{k:>2}  {row}" for k, row in enumerate(rows, 1)]
        self.prompter.menu(title, numbered)
        while True:
            try:
                line = self.prompter.read(_("number (Enter: stay here)"), "").strip()
            except EOFError:
                return None
            if not line:
                return None
            if line.isdigit() and 1 <= int(line) <= len(targets):
                return targets[int(line) - 1]
            found = self._find_id(line)
            if found is not None:
                return found
            self.prompter.problem(_("type a number from 1 to {n}").format(n=len(targets)))
            if not self.prompter.interactive:
                return None

    def _mark(self, item: Item) -> str:
        return "✓" if self.is_answered(item) else "·"

    def _prompt(self, item: Item) -> str:
        return _("answer")

    def _screen(self, n: int, item: Item, full: bool, review: bool) -> Screen:
        category = next((c for c in self.checklist.categories if c.id == item.category), None)
        if item.type == "yesno":
            options = [Option("y", _("yes")), Option("n", _("no"))]
        elif item.type == "metric":
            options = self._metric_options(item)
        else:
            options = [
                Option(str(lv.value), self.text(lv.label), self.text(lv.description))
                for lv in self.checklist.scale
            ]
        scored = [self.audit.answers.get(i.id) for i in self.items]
        answer = self.audit.answers.get(item.id)
        return Screen(
            position=n + 1,
            total=len(self.items),
            category=self.text(category.title) if category else item.category,
            category_intro=self.text(category.description) if category and full else None,
            item_id=item.id,
            question=self.text(item.question),
            kind=item.type,
            options=options,
            unit=units.label(item.unit, self.text(item.unit)),
            critical=item.critical,
            current=describe(answer, self.labels) if given(answer) else "",
            answered=sum(1 for a in scored if a is not None and given(a) and not a.na),
            na=sum(1 for a in scored if a is not None and a.na),
            review=review,
            full_scale=full,
            evidence=[_evidence_text(e) for e in (answer.evidence if answer else [])],
            note_only=answer.note if answer and answer.note and not given(answer) else "",
        )

    def _metric_options(self, item: Item) -> list[Option]:
        """The thresholds as the levels they give, so the user sees what a number means."""
        assert item.thresholds is not None
        t = [f"{x:g}" for x in item.thresholds]
        bound = _("at most {n}") if item.better == "lower" else _("at least {n}")
        bounds = [bound.format(n=t[k - 1]) for k in range(1, 5)]
        below = (_("above {n}") if item.better == "lower" else _("below {n}")).format(n=t[0])
        return [
            Option(
                str(lv.value),
                self.labels.get(lv.value, ""),
                below if lv.value == 0 else bounds[lv.value - 1],
            )
            for lv in self.checklist.scale
            if 0 <= lv.value <= 4
        ]

    def _outcome(self, status: str, invalid: list[str] | None = None) -> Outcome:
        answers = [self.audit.answers.get(i.id) for i in self.items]
        answered = sum(1 for a in answers if a is not None and given(a) and not a.na)
        na = sum(1 for a in answers if a is not None and a.na)
        return Outcome(status, answered, na, len(self.items) - answered - na, invalid or [])
