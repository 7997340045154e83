"""The answering loop over a checklist. It talks to a Prompter, never to the terminal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from audit import audits
from audit.answers import InvalidReply, describe, parse
from audit.checklists import Loaded
from audit.i18n import _
from audit.model import Audit, Item, localize


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
    def read(self, prompt: str) -> str: ...  # raises EOFError at end of input
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

    def first_unanswered(self) -> int | None:
        for n, item in enumerate(self.items):
            if item.id not in self.audit.answers:
                return n
        return None

    def run(self, review: bool = False) -> Outcome:
        start = 0 if review else self.first_unanswered()
        if start is None:
            return self._outcome("finished")
        invalid: list[str] = []
        n = start
        previous_category = None if n == 0 else self.items[n - 1].category
        while n < len(self.items):
            item = self.items[n]
            intro = item.category != previous_category
            previous_category = item.category
            self.prompter.show(self._screen(n, item, intro, review))
            while True:
                try:
                    line = self.prompter.read(self._prompt(item))
                except EOFError:
                    return self._outcome("end of input", invalid)
                try:
                    reply = parse(line, item, self.values)
                except InvalidReply as exc:
                    if not self.prompter.interactive:
                        # A script gets one line per item: report it and move on, never misalign.
                        invalid.append(f"{item.id}: {line.strip()!r}: {exc}")
                        self.prompter.problem(
                            _("{item}: {line!r} is not an answer: {why}").format(
                                item=item.id, line=line.strip(), why=exc
                            )
                        )
                        reply = None
                        break
                    self.prompter.problem(str(exc))
                    continue
                assert reply is not None
                if reply.kind == "help":
                    self.prompter.guidance(
                        self.text(item.guidance) or _("No guidance for this item.")
                    )
                    continue
                if (
                    reply.kind == "keep"
                    and item.id not in self.audit.answers
                    and self.prompter.interactive
                ):
                    self.prompter.problem(
                        _("type an answer, or s to skip, ? for guidance, q to quit")
                    )
                    continue
                break
            if reply is None or reply.kind in ("keep", "skip"):
                n += 1
            elif reply.kind == "back":
                n = max(0, n - 1)
                previous_category = None if n == 0 else self.items[n - 1].category
            elif reply.kind == "quit":
                return self._outcome("quit", invalid)
            else:
                assert reply.answer is not None
                self.record(item, reply)
                n += 1
        return self._outcome("finished", invalid)

    def record(self, item: Item, reply) -> None:
        self.audit.answers[item.id] = reply.answer
        self.audit.updated = audits.now()
        if self.saver is None:
            audits.save(self.audit, self.path)
            return
        for notice in self.saver.save(self.audit):
            self.prompter.problem(notice)

    def _prompt(self, item: Item) -> str:
        return _("answer")

    def _screen(self, n: int, item: Item, intro: bool, review: bool) -> Screen:
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
        return Screen(
            position=n + 1,
            total=len(self.items),
            category=self.text(category.title) if category else item.category,
            category_intro=self.text(category.description) if category and intro else None,
            item_id=item.id,
            question=self.text(item.question),
            kind=item.type,
            options=options,
            unit=self.text(item.unit),
            critical=item.critical,
            current=describe(self.audit.answers.get(item.id), self.labels),
            answered=sum(1 for a in scored if a is not None and not a.na),
            na=sum(1 for a in scored if a is not None and a.na),
            review=review,
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
        answered = sum(1 for a in answers if a is not None and not a.na)
        na = sum(1 for a in answers if a is not None and a.na)
        return Outcome(status, answered, na, len(self.items) - answered - na, invalid or [])
