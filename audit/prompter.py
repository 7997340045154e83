"""Two prompters behind one interface: a rich screen for a terminal, plain lines for pipes."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from audit.i18n import _
from audit.walkthrough import Screen


def hint(kind: str) -> str:
    first = {"scale": _("0-4 [note]"), "yesno": _("y/n [note]"), "metric": _("a number [note]")}
    return " · ".join(
        (
            first[kind],
            _("na [note]"),
            _("s skip"),
            _("b back"),
            _("? guidance"),
            _("q save and quit"),
        )
    )


class LinePrompter:
    """Reads one answer per line; writes plain text, no colours or cursor control."""

    interactive = False

    def __init__(
        self, stdin: TextIO | None = None, out: TextIO | None = None, err: TextIO | None = None
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

    def read(self, prompt: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def guidance(self, text: str) -> None:
        print(text, file=self.out)

    def notice(self, text: str) -> None:
        print(text, file=self.out)

    def problem(self, text: str) -> None:
        print(_("warning: {text}").format(text=text), file=self.err)

    def ask(self, question: str, default: str | None = None) -> str:
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip() or (default or "")


class TerminalPrompter:
    """One clear screen per item: progress, category, question, scale, current answer.

    Right to left (ar, he), every block is wrapped, reordered and right-aligned here unless
    the terminal does that itself (see bidi.py); the layout mirrors: key at the right.
    """

    interactive = True

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.notices: list[str] = []  # shown under the header of the next screen
        self.reorder = False
        try:  # line editing and history for input(); absent on some platforms
            import readline  # noqa: F401
        except ImportError:
            pass

    def set_direction(self, direction: str) -> None:
        from audit import bidi

        self.reorder = direction == "rtl" and not bidi.terminal_reorders()

    def _text(self, text: str, style: str = "", width: int | None = None) -> Text:
        if not self.reorder:
            return Text(text, style=style)
        from audit import bidi

        lines = bidi.visual_lines(text, (width or self.console.width) - 1)
        return Text("\n".join(lines), style=style, justify="right")

    def _panel(self, text: str, title: str, colour: str) -> Panel:
        if self.reorder:
            from audit import bidi

            title = bidi.visual_lines(title, self.console.width)[0]
        return Panel(
            self._text(text, width=self.console.width - 4),
            title=title,
            title_align="right" if self.reorder else "left",
            border_style=colour,
            padding=(0, 1),
        )

    def show(self, screen: Screen) -> None:
        c = self.console
        c.clear()
        done = screen.answered + screen.na
        status = _("{n} answered").format(n=done)
        if screen.na:
            status += " " + _("({n} N/A)").format(n=screen.na)
        if screen.review:
            status += "  " + _("review")
        c.print(
            self._text(
                f"{screen.position}/{screen.total} · {screen.category}    {status}",
                style="bold cyan",
            )
        )
        c.print(_bar(screen.position - 1, screen.total, c.width))
        for text in self.notices:
            c.print(self._text(text, style="yellow"))
        self.notices.clear()
        if screen.category_intro:
            c.print(self._panel(screen.category_intro, screen.category, "cyan"))
        must = _("must-have") + "  " if screen.critical else ""
        if self.reorder:
            c.print()
            c.print(self._text(f"{screen.item_id}  {must}{screen.question}", style="bold"))
            c.print()
        else:
            title = Text()
            title.append(f"{screen.item_id}  ", style="dim")
            title.append(must, style="bold red")
            title.append(screen.question, style="bold")
            c.print(Padding(title, (1, 0, 1, 0)))
        c.print(self._options(screen))
        if screen.current:
            current = _("Current answer:") + " " + screen.current + "  " + _("(Enter keeps it)")
            c.print()
            c.print(self._text(current, style="green"))
        c.print()
        c.print(self._text(hint(screen.kind), style="dim"))

    def _options(self, screen: Screen) -> Table | Text:
        rows = []
        if screen.kind == "metric":
            rows.append(("", _("Enter the number ({unit}). Levels:").format(unit=screen.unit), ""))
        for option in screen.options:
            key = "" if screen.kind == "metric" else option.key
            label = (
                _("level {n}").format(n=option.key) + f" · {option.label}"
                if screen.kind == "metric"
                else option.label
            )
            rows.append((key, label, option.description))
        if self.reorder:
            # One logical line per option, reordered as a whole: the key lands at the right.
            lines = [
                f"{key}  {label}" + (f" · {description}" if description else "")
                for key, label, description in rows
            ]
            return self._text("\n".join(line.strip() for line in lines))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", justify="right")
        table.add_column(style="")
        table.add_column(style="dim", overflow="fold")  # Chinese has no spaces to wrap at
        for row in rows:
            table.add_row(*row)
        return table

    def read(self, prompt: str) -> str:
        return self.console.input(f"[bold]{prompt}>[/bold] ")

    def guidance(self, text: str) -> None:
        self.console.print(self._panel(text, _("Guidance"), "green"))

    def problem(self, text: str) -> None:
        self.console.print(self._text(text, style="red"))

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def ask(self, question: str, default: str | None = None) -> str:
        for text in self.notices:
            self.console.print(self._text(text, style="bold"))
        self.notices.clear()
        shown = f" [dim]({default})[/dim]" if default else ""
        answer = self.console.input(f"[bold]{question}[/bold]{shown}: ").strip()
        return answer or (default or "")


def _bar(done: int, total: int, width: int) -> Text:
    size = max(10, min(60, width - 2))
    filled = round(size * done / total) if total else 0
    return Text("━" * filled, style="cyan") + Text("━" * (size - filled), style="grey30")
