"""The console entry point: one look at the command line before anything heavy is imported.

`cxaudit report AUDIT` makes a PDF for certain, so the child that lays it out
(render/pdf_aside.py) is forked first thing: WeasyPrint's import (0.22 s) then runs beside
the command's own start (Typer, reading the audit, the HTML) instead of after part of it.
Any other command line goes straight to cli.main; a report there forks its child later.
"""

from __future__ import annotations

import sys


def renders_one_pdf(args: list[str]) -> bool:
    """`report` and one audit, nothing else: the default format, a PDF."""
    return len(args) == 2 and args[0] == "report" and not args[1].startswith("-")


def main() -> None:
    if renders_one_pdf(sys.argv[1:]):
        from audit.render import pdf_aside

        pdf_aside.start_early()
    from audit import cli

    cli.main()
