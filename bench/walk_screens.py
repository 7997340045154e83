"""Walkthrough screens: time to lay out and draw each item of ecommerce, at three sizes.

Run: .venv/bin/python bench/walk_screens.py
Prints, per terminal size, the median and worst milliseconds per screen, the most lines a
screen used (never more than the height minus the prompt line) and the widest line.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from rich.console import Console

from audit import checklists
from audit.answers import audits
from audit.model import Store
from audit.terminal.prompter import TerminalPrompter
from audit.terminal.walkthrough import Walkthrough


def main() -> None:
    loaded = checklists.load("ecommerce")
    with TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        audit = audits.new(loaded, Store(name="Bench", segment="b2b"), path)
        for width, height in ((60, 20), (80, 24), (120, 40), (200, 50)):
            buffer = io.StringIO()
            console = Console(file=buffer, width=width, height=height, color_system=None)
            prompter = TerminalPrompter(console)
            walk = Walkthrough(loaded, audit, path, prompter)
            times, tallest, widest = [], 0, 0
            for n, item in enumerate(walk.items):
                screen = walk._screen(
                    n, item, n == 0 or item.category != walk.items[n - 1].category, False
                )
                buffer.seek(0)
                buffer.truncate()
                start = time.perf_counter()
                prompter.show(screen)
                times.append((time.perf_counter() - start) * 1000)
                lines = [
                    line for line in buffer.getvalue().split("\n") if not line.startswith("\x1b")
                ]
                tallest = max(tallest, len(buffer.getvalue().rstrip("\n").split("\n")))
                widest = max(widest, max(len(line.rstrip()) for line in lines))
            print(
                f"{width}x{height}: {len(times)} screens, median {statistics.median(times):.2f} ms,"
                f" worst {max(times):.2f} ms, at most {tallest} lines, widest {widest} columns"
            )


if __name__ == "__main__":
    main()
