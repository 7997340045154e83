"""Two prompters behind one interface: a screen for a terminal, plain lines for pipes.

The terminal screen is laid out to fit: progress first, the question always, then what
room is left goes to the message, the current answer, its evidence, notices (resumed,
changed), the scale (in full, as labels, or as a one-line legend), the hint and the category's
definition, in that order of need. Nothing is printed past the last line, so the progress
line never scrolls away.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from audit.i18n import _
from audit.terminal.walkthrough import Screen

if TYPE_CHECKING:
    from audit.terminal import CleanStream

MAX_WIDTH = 99  # lines stay under 100 columns on wide terminals


def hint_parts(kind: str) -> list[str]:
    first = {"scale": _("0-4 [note]"), "yesno": _("y/n [note]"), "metric": _("a number [note]")}
    return [
        first[kind],
        _("na [note]"),
        _("s skip"),
        _("b back"),
        _("? guidance"),
        _("q save and quit"),
    ]


def moves(kind: str) -> list[str]:
    """The second hint line: moving about, the full scale, evidence."""
    parts = [
        _("g ID go to"),
        _("/words find"),
        _("l list"),
        _("> next") if kind == "yesno" else _("n next"),
        _("e file|URL evidence"),
    ]
    if kind == "scale":
        parts.insert(4, _("?? scale"))
    return parts


class LinePrompter:
    """Reads one answer per line; writes plain text, no colours or cursor control."""

    interactive = False

    def __init__(
        self,
        stdin: TextIO | None = None,
        out: TextIO | CleanStream | None = None,
        err: TextIO | CleanStream | None = None,
    ) -> None:
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def set_direction(self, direction: str) -> None:
        """Scripts get the text as stored, in reading order."""

    def show(self, screen: Screen) -> None:
        print(
            f"{screen.position}/{screen.total} · {screen.category} · {screen.item_id}: "
            f"{screen.question}",
            file=self.out,
        )

    def read(self, prompt: str, prefill: str = "") -> str:
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def menu(self, title: str, rows: list[str]) -> None:
        print(title, file=self.out)
        for row in rows:
            print(row, file=self.out)

    def guidance(self, text: str) -> None:
        print(text, file=self.out)

    def notice(self, text: str) -> None:
        print(text, file=self.out)

    def say(self, text: str, error: bool = False) -> None:
        print(text, file=self.err if error else self.out)

    def problem(self, text: str) -> None:
        print(_("warning: {text}").format(text=text), file=self.err)

    def ask(self, question: str, default: str | None = None) -> str:
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip() or (default or "")


class TerminalPrompter:
    """One screen per item, redrawn whole after every line typed.

    Right to left (ar, he), every line is wrapped, reordered and right-aligned here unless
    the terminal does that itself (see bidi.py); the layout mirrors: key at the right.
    """

    interactive = True

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.notices: list[str] = []  # shown under the header of the next screen
        self.message: tuple[str, str] | None = None  # (text, style) under the question
        self.screen: Screen | None = None
        self.reorder = False
        self.readline: Any = None  # line editing, history and a prefilled line for input()
        try:
            import readline

            self.readline = readline
        except ImportError:  # absent on some platforms
            pass

    def set_direction(self, direction: str) -> None:
        from audit.terminal import bidi

        self.reorder = direction == "rtl" and not bidi.terminal_reorders()

    @property
    def width(self) -> int:
        return max(20, min(self.console.width, MAX_WIDTH))

    def _lines(self, text: str, style: str = "", indent: int = 0) -> list[Text]:
        """`text` wrapped to the screen: in reading order, or reordered and right-aligned."""
        width = self.width - indent
        if self.reorder:
            from audit.terminal import bidi

            out = []
            for line in bidi.visual_lines(text, width - 1, base="R"):
                pad = max(0, self.width - 1 - cell_len(line))
                out.append(Text(" " * pad + line, style=style))
            return out
        lines: list[Text] = []
        for paragraph in text.splitlines() or [""]:
            wrapped = Text(paragraph, style=style).wrap(self.console, width, overflow="fold")
            lines.extend(Text(" " * indent) + line if indent else line for line in wrapped)
        return lines

    def _packed(self, parts: list[str], style: str = "") -> list[Text]:
        """Parts joined by " · ", a line broken between parts, never inside one."""
        lines: list[str] = []
        for part in parts:
            joined = lines[-1] + " · " + part if lines else part
            # len() too: textwrap (right to left) counts Arabic vowel marks as characters
            if lines and max(len(joined), cell_len(joined)) <= self.width - 2:
                lines[-1] += " · " + part
            else:
                lines.append(part)
        return [out for line in lines for out in self._lines(line, style)]

    def _one_line(self, text: str) -> Text:
        cut = Text(text)
        cut.truncate(self.width - 1, overflow="ellipsis")
        return self._lines(cut.plain)[0]

    def _visual(self, text: str) -> str:
        if not self.reorder:
            return text
        from audit.terminal import bidi

        return bidi.visual_lines(text, 10_000, base="R")[0]

    # --- the item screen ---------------------------------------------------------------

    def show(self, screen: Screen) -> None:
        self.screen = screen
        self.message = None
        self._draw()
        self.notices.clear()

    def _draw(self) -> None:
        screen = self.screen
        if screen is None:
            return
        c = self.console
        room = max(4, c.height - 1)  # the prompt takes the last line
        head = self._head(screen)
        must = _("must-have") + "  " if screen.critical else ""
        question = self._question(screen, must)[: max(1, room - 3)]
        budget = room - len(head) - len(question)
        breathe = budget > 8  # a blank line above the question when there is room
        budget -= breathe
        picked: dict[str, list[Text]] = {}

        def take(name: str, lines: list[Text], gap: bool = True) -> bool:
            nonlocal budget
            need = len(lines) + (1 if gap else 0)
            if lines and need <= budget:
                picked[name] = ([Text("")] if gap else []) + lines
                budget -= need
                return True
            return False

        if self.message:
            text, style = self.message
            lines = self._lines(text, style)
            if not take("message", lines):
                take("message", lines[: max(0, budget - 1)] + [Text("…", style=style)], False)
        if screen.current:
            current = _("Current answer:") + " " + screen.current
            if not screen.review:
                current += "  " + _("(Enter keeps it)")
            take("current", self._lines(current, "green"))
        elif screen.note_only:
            take("current", self._lines(_("Note:") + " " + screen.note_only, "green"))
        if screen.evidence:
            rows = [_("Evidence:") + " " + e for e in screen.evidence]
            take("evidence", [line for row in rows for line in self._lines(row, "dim")], False)
        notices = [line for text in self.notices for line in self._lines(text, "yellow")]
        take("notices", notices, gap=False)
        # A measure's levels are its own: shown whole whenever there is room.
        full = screen.full_scale or screen.kind == "metric"
        scale = self._options(screen, "full" if full else "legend")
        if not take("scale", scale):
            if not take("scale", self._options(screen, "labels")):
                take("scale", self._options(screen, "legend"))
        answers = self._packed(hint_parts(screen.kind), "dim")
        if not take("hint", answers + self._packed(moves(screen.kind), "dim")):
            take("hint", answers, gap=False)
        if screen.category_intro:
            take("intro", self._lines(screen.category_intro, "cyan"))
        c.clear()
        order = ["notices", "intro", "question", "evidence", "current", "message", "scale"]
        for line in head:
            c.print(line, overflow="crop", no_wrap=True)
        picked["question"] = ([Text("")] if breathe else []) + question
        for name in [*order, "hint"]:
            for line in picked.get(name, []):
                c.print(line, overflow="crop", no_wrap=True)

    def _head(self, screen: Screen) -> list[Text]:
        # The same counts as the closing summary: answered items, then N/A ones.
        status = _("{n} answered").format(n=screen.answered)
        if screen.na:
            status += " " + _("({n} N/A)").format(n=screen.na)
        if screen.review:
            status += " · " + _("review")
        place = self._visual(f"{screen.position}/{screen.total} · {screen.category}")
        status = self._visual(status)
        width = self.width
        gap = width - cell_len(place) - cell_len(status)
        first, last = (status, place) if self.reorder else (place, status)
        if gap >= 2:
            line = first + " " * gap + last
        else:  # too narrow for both: the place in the checklist wins
            cut = Text(place)
            cut.truncate(width, overflow="ellipsis")
            line = cut.plain.rjust(width) if self.reorder else cut.plain
        bar = _bar(screen.position - 1, screen.total, width, self.reorder)
        return [Text(line, style="bold cyan"), bar]

    def _question(self, screen: Screen, must: str) -> list[Text]:
        if self.reorder:
            return self._lines(f"{screen.item_id}  {must}{screen.question}", "bold")
        title = Text()
        title.append(f"{screen.item_id}  ", style="dim")
        title.append(must, style="bold red")
        title.append(screen.question, style="bold")
        return list(title.wrap(self.console, self.width, overflow="fold"))

    def _options(self, screen: Screen, mode: str) -> list[Text]:
        """The answers: "full" (with descriptions), "labels" (one line each) or "legend"."""
        rows = []
        for option in screen.options:
            label = option.label
            if screen.kind == "metric":
                label = _("level {n}").format(n=option.key) + f" · {option.label}"
            rows.append((option.key, label, option.description))
        if mode == "legend" or screen.kind == "yesno":
            if screen.kind == "metric":
                parts = [f"{key}: {d}" for key, _label, d in rows]
            else:
                parts = [f"{key} {label}" for key, label, _d in rows]
            return self._packed(parts, "dim")
        lines: list[Text] = []
        if screen.kind == "metric":
            lines += self._lines(_("Enter the number ({unit}). Levels:").format(unit=screen.unit))
        if self.reorder:
            for key, label, description in rows:
                full = mode == "full" and description
                lines += self._lines(f"{key}  {label}" + (f" · {description}" if full else ""))
            return lines
        key_width = max(cell_len(k) for k, _l, _d in rows)
        label_width = max(cell_len(label) for _k, label, _d in rows)
        beside = self.width - key_width - label_width - 4 >= 24
        for key, label, description in rows:
            line = Text(key.rjust(key_width), style="bold") + "  "
            if mode == "labels" or not description:
                lines.append(line + Text(label))
                continue
            if beside:
                line += Text(label + " " * (label_width - cell_len(label) + 2))
                indent = key_width + label_width + 4
                wrapped = Text(description, style="dim").wrap(
                    self.console, self.width - indent, overflow="fold"
                )
                lines.append(line + wrapped[0])
                lines += [Text(" " * indent) + rest for rest in list(wrapped)[1:]]
            else:
                lines.append(line + Text(label))
                lines += self._lines(description, "dim", indent=key_width + 2)
        return lines

    # --- lines typed -------------------------------------------------------------------

    def read(self, prompt: str, prefill: str = "") -> str:
        text = self._visual(prompt) + "> "
        hook = self.readline is not None and prefill
        if hook:
            rl = self.readline

            def put() -> None:
                rl.insert_text(prefill)
                rl.redisplay()

            rl.set_pre_input_hook(put)
        try:
            # input() with the prompt, so the line editor knows where the line starts.
            return input("\001\033[1m\002" + text + "\001\033[0m\002")
        finally:
            if hook:
                self.readline.set_pre_input_hook(None)

    def menu(self, title: str, rows: list[str]) -> None:
        c = self.console
        c.clear()
        head = self._head(self.screen) if self.screen else []
        room = max(3, c.height - 1 - len(head) - 2)
        lines = [self._one_line(row) for row in rows]  # one row, one line: more of them fit
        if len(lines) > room:
            more = len(lines) - room + 1
            lines = lines[: room - 1] + self._lines(
                _("… {n} more lines: add words to narrow it").format(n=more), "dim"
            )
        for line in head:
            c.print(line, overflow="crop", no_wrap=True)
        for line in self._lines(title, "bold"):
            c.print(line, overflow="crop", no_wrap=True)
        for line in lines:
            c.print(line, overflow="crop", no_wrap=True)

    def guidance(self, text: str) -> None:
        self.message = (_("Guidance") + ": " + text, "green")
        self._draw()

    def problem(self, text: str) -> None:
        if self.screen is None:
            for line in self._lines(text, "red"):
                self.console.print(line)
            return
        self.message = (text, "red")
        self._draw()

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def say(self, text: str, error: bool = False) -> None:
        for line in self._lines(text):
            self.console.print(line, overflow="crop", no_wrap=True)

    def ask(self, question: str, default: str | None = None) -> str:
        for text in self.notices:
            for line in self._lines(text, "bold"):
                self.console.print(line)
        self.notices.clear()
        shown = f" ({default})" if default else ""
        asked = [line.plain for line in self._lines(question + shown + ":")]
        for text in asked[:-1]:  # a long question wraps between words; the answer follows it
            self.console.print(text, style="bold", markup=False, highlight=False)
        answer = input("\001\033[1m\002" + asked[-1].rstrip() + " \001\033[0m\002")
        return answer.strip() or (default or "")


def _bar(done: int, total: int, width: int, right_to_left: bool = False) -> Text:
    size = max(10, min(60, width - 2))
    filled = round(size * done / total) if total else 0
    full, rest = Text("━" * filled, style="cyan"), Text("━" * (size - filled), style="grey30")
    if right_to_left:  # fills from the right, under the progress at the right
        return Text(" " * (width - size)) + rest + full
    return full + rest
