"""The command line: parse, call the core, turn errors into messages and exit codes. No logic.

Imports of the core stay inside the commands so that `--help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="cxaudit",
    help="Audit an online store against what its customers expect, and report the gaps.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,  # a client's answers never leak into a traceback
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)
checklist_app = typer.Typer(
    help="List, show and validate checklists, or print their JSON Schema.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(checklist_app, name="checklist")


class SegmentChoice(str, Enum):
    b2c = "b2c"
    b2b = "b2b"


def _stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Every error a user can cause becomes a few lines on stderr and an exit code."""
    from audit.errors import CxAuditError

    try:
        yield
    except CxAuditError as exc:
        err = _stderr()
        for n, line in enumerate(exc.lines()):
            style = "red" if n == 0 or not line.startswith("Tip:") else "dim"
            err.print(line, style=style, markup=False)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        name = f"{exc.filename}: " if exc.filename else ""
        _stderr().print(f"{name}{exc.strerror or exc}", style="red", markup=False)
        raise typer.Exit(2) from None


@app.command()
def run(
    checklist: Annotated[str | None, typer.Argument(
        help="A shipped checklist id or a path to a checklist YAML file. [default: ecommerce]",
        show_default=False)] = None,
    store: Annotated[str | None, typer.Option(help="Store name (asked on a terminal).")] = None,
    segment: Annotated[SegmentChoice | None, typer.Option(
        help="b2c or b2b: only that segment's items are asked (asked on a terminal).")] = None,
    auditor: Annotated[str | None, typer.Option(help="Who answers the audit.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Audit file to write; an existing one is resumed. "
        "[default: STORE-DATE.yaml]", show_default=False)] = None,
    review: Annotated[bool, typer.Option(
        help="Walk through every item with its current answer as default.")] = False,
) -> None:
    """Answer a checklist, item by item. Every answer is saved at once; [bold]q[/bold] or Ctrl-C stops."""
    from audit.prompter import LinePrompter, TerminalPrompter
    from audit.session import open_session
    from audit.walkthrough import Walkthrough

    prompter = TerminalPrompter() if sys.stdin.isatty() else LinePrompter()
    session = None
    try:
        with user_errors():
            session = open_session(checklist, out, store, segment.value if segment else None,
                                   auditor, prompter)
            walk = Walkthrough(session.loaded, session.audit, session.path, prompter)
            if session.resumed and not review and walk.first_unanswered() is not None:
                done = len(walk.items) - sum(1 for i in walk.items if i.id not in session.audit.answers)
                prompter.notice(f"Resuming {session.path} at item {walk.first_unanswered() + 1} "
                                f"({done} answered).")
            outcome = walk.run(review=review)
    except (KeyboardInterrupt, EOFError) as exc:
        if session is None:
            _stderr().print("\nStopped before the audit file was created: nothing to save.")
            raise typer.Exit(130 if isinstance(exc, KeyboardInterrupt) else 2) from None
        _stderr().print(f"\nInterrupted. Every answer given is saved in {session.path}.\n"
                        f"Resume with: cxaudit run --out {session.path}", markup=False)
        raise typer.Exit(130) from None
    path = session.path
    summary = (f"{outcome.answered} answered, {outcome.na} N/A, {outcome.unanswered} open "
               f"of {outcome.answered + outcome.na + outcome.unanswered} items. Saved in {path}.")
    if outcome.status == "finished" and outcome.unanswered == 0:
        _info(f"Audit complete: {summary}\nNext: cxaudit score {path}", prompter)
    elif outcome.status == "finished":
        _info(f"End of the checklist: {summary}\n"
              f"Answer the skipped items with: cxaudit run --out {path}", prompter)
    else:
        _info(f"Stopped: {summary}\nResume with: cxaudit run --out {path}", prompter)
    if outcome.invalid_lines:
        raise typer.Exit(2)


def _info(text: str, prompter) -> None:
    if getattr(prompter, "interactive", False):
        from rich.console import Console

        Console(highlight=False).print(text, markup=False)
    else:
        print(text)


@app.command()
def score(
    audit: Annotated[Path, typer.Argument(help="Audit file.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full result as JSON.")] = False,
) -> None:
    """Print the category, strategy and overall scores, red flags and top gaps."""
    from audit import audits, scoring

    with user_errors():
        loaded, data = audits.load_with_checklist(audit)
        result = scoring.score(loaded.checklist, data)
    if as_json:
        import json

        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    from audit import show

    show.result(Console(highlight=False), loaded, data, result)


class FormatChoice(str, Enum):
    pdf = "pdf"
    html = "html"
    md = "md"
    json = "json"
    csv = "csv"


@app.command()
def report(
    audits: Annotated[list[Path], typer.Argument(
        help="Audit file(s). Several are rendered in parallel.", show_default=False)],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Report file (one audit) or folder. [default: AUDIT with the "
        "format's suffix]", show_default=False)] = None,
    fmt: Annotated[FormatChoice | None, typer.Option(
        "--format", "-f", help="pdf, html, md, json or csv. [default: from -o's suffix, else pdf]",
        show_default=False)] = None,
    lang: Annotated[str | None, typer.Option(
        help="Language of the checklist texts (en, ar, he, zh-Hant). [default: the audit's]",
        show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Processes for several audits. [default: one per core]",
        show_default=False)] = None,
) -> None:
    """Render an audit as a PDF report (or HTML, Markdown, JSON, CSV)."""
    from audit import reporting

    with user_errors():
        if out is not None and len(audits) > 1 and not out.is_dir():
            from audit.errors import UsageError

            raise UsageError("with several audits, -o must be an existing folder")
        chosen = reporting.format_for(out, fmt.value if fmt else None)
        _warn_system(chosen)
        if len(audits) == 1:
            target = reporting.render(audits[0], chosen, out, lang)
            print(f"Wrote {target}")
            return
    failed = _render_many(audits, chosen, out, lang, jobs)
    if failed:
        raise typer.Exit(2)


def _render_many(audits: list[Path], fmt: str, out: Path | None, lang: str | None,
                 jobs: int | None) -> int:
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from audit.reporting import render_job

    failed = 0
    workers = max(1, min(jobs or os.cpu_count() or 1, len(audits)))
    err = _stderr()
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("Rendering", total=len(audits))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(render_job, a, fmt, out, lang) for a in audits]
            for future in as_completed(futures):
                outcome = future.result()
                if outcome.error:
                    failed += 1
                    for line in outcome.error:
                        progress.console.print(line, style="red", markup=False)
                else:
                    progress.console.print(f"Wrote {outcome.target}", markup=False,
                                           highlight=False)
                progress.advance(task)
    print(f"{len(audits) - failed} of {len(audits)} reports written.")
    return failed


def _warn_system(fmt: str) -> None:
    """Rendering needs system libraries and fonts: say exactly what to install."""
    if fmt != "pdf":
        return
    from audit import system
    from audit.errors import CxAuditError

    needs = system.missing()
    required = [n for n in needs if n.required]
    if required:
        raise CxAuditError("PDF reports need " + ", ".join(n.package for n in required),
                           tip=f"sudo {system.apt_line(needs)}")
    for need in needs:
        _stderr().print(f"warning: {need.package} is missing: {need.why}. "
                        f"Install: sudo {system.apt_line([need])}", style="yellow", markup=False)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", help="Folder for the demo audit and its report.")] = Path("cxaudit-demo"),
    lang: Annotated[str | None, typer.Option(
        help="Language of the report (en, ar, he, zh-Hant).", show_default=False)] = None,
) -> None:
    """Write a complete audit of a fictional store and its PDF report."""
    from audit import demo as demo_module

    with user_errors():
        _warn_system("pdf")
        audit_path, report_path = demo_module.write(out_dir, lang)
    print(f"Demo audit:  {audit_path}\nDemo report: {report_path}")
    print(f"Try: cxaudit score {audit_path}")


@checklist_app.command("list")
def checklist_list() -> None:
    """List the checklists that ship with cxaudit."""
    from rich.console import Console

    from audit import checklists, show

    with user_errors():
        loaded = checklists.shipped()
    show.checklist_list(Console(highlight=False), loaded)


@checklist_app.command("show")
def checklist_show(
    checklist: Annotated[str, typer.Argument(help="Checklist id or path.", show_default=False)],
) -> None:
    """Show a checklist's categories and items."""
    from rich.console import Console

    from audit import checklists, show

    with user_errors():
        loaded = checklists.load(checklist)
    show.checklist_detail(Console(highlight=False), loaded)


@checklist_app.command("validate")
def checklist_validate(
    paths: Annotated[list[Path], typer.Argument(help="Checklist files.", show_default=False)],
) -> None:
    """Check checklist files and report every problem with its file, line and column."""
    from audit import checklists
    from audit.errors import CxAuditError

    failed = 0
    for path in paths:
        try:
            loaded = checklists.load(path)
        except CxAuditError as exc:
            failed += 1
            err = _stderr()
            for line in exc.lines():
                err.print(line, style="red", markup=False)
            continue
        cl = loaded.checklist
        for warning in loaded.warnings:
            _stderr().print(f"warning: {warning}", style="yellow", markup=False)
        print(f"ok: {path}: {cl.id} {cl.version}, {len(cl.items)} items"
              + (f", {len(loaded.warnings)} warnings" if loaded.warnings else ""))
    if failed:
        raise typer.Exit(2)


@checklist_app.command("schema")
def checklist_schema() -> None:
    """Print the JSON Schema of checklist files (draft-07, for editors)."""
    from audit import checklists

    sys.stdout.write(checklists.schema_json())


def main() -> None:
    app()
