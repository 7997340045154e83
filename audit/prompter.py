"""Two prompters behind one interface: a rich screen for a terminal, plain lines for pipes."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from audit.walkthrough import Screen
from audit.i18n import _



def hint(kind: str) -> str:
    first = {"scale": _("0-4 [note]"), "yesno": _("y/n [note]"), "metric": _("a number [note]")}
    return " · ".join((first[kind], _("na [note]"), _("s skip"), _("b back"), _("? guidance"),
                       _("q save and quit")))


class LinePrompter:
    """Reads one answer per line; writes plain text, no colours or cursor control."""

    interactive = False

    def __init__(self, stdin: TextIO | None = None, out: TextIO | None = None,
                 err: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def show(self, screen: Screen) -> None:
        print(f"{screen.position}/{screen.total} · {screen.category} · {screen.item_id}: "
              f"{screen.question}", file=self.out)

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
    """One clear screen per item: progress, category, question, scale, current answer."""

    interactive = True

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.notices: list[str] = []  # shown under the header of the next screen
        try:  # line editing and history for input(); absent on some platforms
            import readline  # noqa: F401
        except ImportError:
            pass

    def show(self, screen: Screen) -> None:
        c = self.console
        c.clear()
        done = screen.answered + screen.na
        head = Text()
        head.append(f"{screen.position}/{screen.total} · {screen.category}", style="bold cyan")
        head.append("    " + _("{n} answered").format(n=done)
                    + (" " + _("({n} N/A)").format(n=screen.na) if screen.na else ""), style="dim")
        if screen.review:
            head.append("    " + _("review"), style="yellow")
        c.print(head)
        c.print(_bar(screen.position - 1, screen.total, c.width))
        for text in self.notices:
            c.print(Text(text, style="yellow"))
        self.notices.clear()
        if screen.category_intro:
            c.print(Panel(screen.category_intro, title=screen.category, title_align="left",
                          border_style="cyan", padding=(0, 1)))
        title = Text()
        title.append(f"{screen.item_id}  ", style="dim")
        if screen.critical:
            title.append(_("must-have") + "  ", style="bold red")
        title.append(screen.question, style="bold")
        c.print(Padding(title, (1, 0, 1, 0)))
        c.print(self._options(screen))
        if screen.current:
            c.print(Text.assemble(("\n" + _("Current answer:") + " ", "dim"), (screen.current, "green"),
                                  ("  " + _("(Enter keeps it)"), "dim")))
        c.print(Text("\n" + hint(screen.kind), style="dim"))

    def _options(self, screen: Screen) -> Table | Group:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", justify="right")
        table.add_column(style="")
        table.add_column(style="dim")
        if screen.kind == "metric":
            table.add_row("", _("Enter the number ({unit}). Levels:").format(unit=screen.unit), "")
        for option in screen.options:
            key = "" if screen.kind == "metric" else option.key
            label = (_("level {n}").format(n=option.key) + f" · {option.label}"
                     if screen.kind == "metric" else option.label)
            table.add_row(key, label, option.description)
        return table

    def read(self, prompt: str) -> str:
        return self.console.input(f"[bold]{prompt}>[/bold] ")

    def guidance(self, text: str) -> None:
        self.console.print(Panel(text, title=_("Guidance"), title_align="left",
                                 border_style="green", padding=(0, 1)))

    def problem(self, text: str) -> None:
        self.console.print(Text(text, style="red"))

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def ask(self, question: str, default: str | None = None) -> str:
        for text in self.notices:
            self.console.print(Text(text, style="bold"))
        self.notices.clear()
        shown = f" [dim]({default})[/dim]" if default else ""
        answer = self.console.input(f"[bold]{question}[/bold]{shown}: ").strip()
        return answer or (default or "")


def _bar(done: int, total: int, width: int) -> Text:
    size = max(10, min(60, width - 2))
    filled = round(size * done / total) if total else 0
    return Text("━" * filled, style="cyan") + Text("━" * (size - filled), style="grey30")
