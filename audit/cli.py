"""The command line: parse, call the core, turn errors into messages and exit codes. No logic.

Imports of the core stay inside the commands so that `--help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from audit import i18n
from audit.i18n import _

# Help texts and Typer's own words are read when the commands are defined, so the language
# (--lang on the command line, else the locale) is chosen before Typer is imported.
i18n.use(i18n.choose(i18n.scan_argv(sys.argv)))

import typer  # noqa: E402
from rich.markup import escape  # noqa: E402


def _h(message: str) -> str:
    """A help text, translated; its "[default: ...]" printed, not taken for Rich markup."""
    return escape(_(message))


app = typer.Typer(
    name="cxaudit",
    help=_h("Audit an online store against what its customers expect, and report the gaps."),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,  # a client's answers never leak into a traceback
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)
checklist_app = typer.Typer(
    help=_h("List, show and validate checklists, or print their JSON Schema."),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(checklist_app, name="checklist")


def _version(value: bool) -> None:
    if value:
        from audit import __version__

        print(f"cxaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=_h("Print the version and exit."),
        ),
    ] = False,
) -> None:
    """Audit an online store against what its customers expect, and report the gaps."""


class SegmentChoice(StrEnum):
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
        _print_error(exc)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        name = f"{exc.filename}: " if exc.filename else ""
        _stderr().print(f"{name}{exc.strerror or exc}", style="red", markup=False)
        raise typer.Exit(2) from None


def _print_error(exc) -> None:
    err = _stderr()
    lines = exc.lines()
    for n, line in enumerate(lines):
        tip = exc.tip is not None and n == len(lines) - 1
        err.print(line, style="dim" if tip else "red", markup=False)


def _speak(lang: str | None = None, audit_language: str | None = None) -> str:
    """Print in --lang, else the audit's language, else the locale's; returns the choice."""
    return i18n.use(i18n.choose(lang, audit_language))


LANG_HELP = _h("Language: en, ar, he or zh-Hant. [default: the audit's, else the locale's]")
CHECKLIST_HELP = _h(
    "Use this checklist file instead of the one the audit records "
    "(a moved audit, or another version of its checklist)."
)


def _warn_drift(found, audit_path: Path) -> None:
    """Checklist drift (drift.check) as a warning on stderr."""
    if found is None:
        return
    from audit import drift

    for line in drift.lines(found, audit_path):
        _stderr().print(_("warning: {text}").format(text=line), style="yellow", markup=False)


@app.command(
    help=_h("Answer a checklist, item by item. Every answer is saved at once; q or Ctrl-C stops.")
)
def run(
    checklist: Annotated[
        str | None,
        typer.Argument(
            help=_h(
                "A shipped checklist id or a path to a checklist YAML file. [default: ecommerce]"
            ),
            show_default=False,
        ),
    ] = None,
    store: Annotated[str | None, typer.Option(help=_h("Store name (asked on a terminal)."))] = None,
    segment: Annotated[
        SegmentChoice | None,
        typer.Option(
            help=_h("b2c or b2b: only that segment's items are asked (asked on a terminal).")
        ),
    ] = None,
    auditor: Annotated[str | None, typer.Option(help=_h("Who answers the audit."))] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=_h("Audit file to write; an existing one is resumed. [default: STORE-DATE.yaml]"),
            show_default=False,
        ),
    ] = None,
    review: Annotated[
        bool, typer.Option(help=_h("Walk through every item with its current answer as default."))
    ] = False,
    lang: Annotated[str | None, typer.Option(help=LANG_HELP, show_default=False)] = None,
    checklist_path: Annotated[
        Path | None,
        typer.Option(
            "--checklist",
            help=_h("A checklist file for this audit, recorded in it (relative to the audit)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from audit.prompter import LinePrompter, TerminalPrompter
    from audit.session import open_session
    from audit.walkthrough import Walkthrough

    _speak(lang)
    prompter = TerminalPrompter() if sys.stdin.isatty() else LinePrompter()
    session = None
    try:
        with user_errors():
            if checklist is not None and checklist_path is not None:
                from audit.errors import UsageError

                raise UsageError(_("give the checklist once: as CHECKLIST or with --checklist"))
            session = open_session(
                checklist,
                out,
                store,
                segment.value if segment else None,
                auditor,
                prompter,
                lang,
                checklist_path,
            )
            _warn_drift(session.drift, session.path)
            _speak(lang, session.audit.store.language)
            prompter.set_direction(i18n.direction(session.audit.store.language or "en"))
            walk = Walkthrough(session.loaded, session.audit, session.path, prompter)
            if session.resumed and not review and walk.first_unanswered() is not None:
                done = len(walk.items) - sum(
                    1 for i in walk.items if i.id not in session.audit.answers
                )
                prompter.notice(
                    _("Resuming {path} at item {n} ({done} answered).").format(
                        path=session.path, n=(walk.first_unanswered() or 0) + 1, done=done
                    )
                )
            outcome = walk.run(review=review)
    except (KeyboardInterrupt, EOFError) as exc:
        if session is None:
            _stderr().print("\n" + _("Stopped before the audit file was created: nothing to save."))
            raise typer.Exit(130 if isinstance(exc, KeyboardInterrupt) else 2) from None
        _stderr().print(
            "\n"
            + _("Interrupted. Every answer given is saved in {path}.").format(path=session.path)
            + "\n"
            + _("Resume with: {command}").format(command=f"cxaudit run --out {session.path}"),
            markup=False,
        )
        raise typer.Exit(130) from None
    path = session.path
    total = outcome.answered + outcome.na + outcome.unanswered
    summary = _(
        "{answered} answered, {na} N/A, {open} open of {total} items. Saved in {path}."
    ).format(
        answered=outcome.answered, na=outcome.na, open=outcome.unanswered, total=total, path=path
    )
    resume = f"cxaudit run --out {path}"
    if outcome.status == "finished" and outcome.unanswered == 0:
        _info(
            _("Audit complete: {summary}").format(summary=summary)
            + "\n"
            + _("Next: {command}").format(command=f"cxaudit score {path}"),
            prompter,
        )
    elif outcome.status == "finished":
        _info(
            _("End of the checklist: {summary}").format(summary=summary)
            + "\n"
            + _("Answer the skipped items with: {command}").format(command=resume),
            prompter,
        )
    else:
        _info(
            _("Stopped: {summary}").format(summary=summary)
            + "\n"
            + _("Resume with: {command}").format(command=resume),
            prompter,
        )
    if outcome.invalid_lines:
        raise typer.Exit(2)


def _info(text: str, prompter) -> None:
    if getattr(prompter, "interactive", False):
        from rich.console import Console

        Console(highlight=False).print(text, markup=False)
    else:
        print(text)


@app.command(help=_h("Print the category, strategy and overall scores, red flags and top gaps."))
def score(
    audit: Annotated[Path, typer.Argument(help=_h("Audit file."), show_default=False)],
    as_json: Annotated[
        bool, typer.Option("--json", help=_h("Print the full result as JSON."))
    ] = False,
    lang: Annotated[str | None, typer.Option(help=LANG_HELP, show_default=False)] = None,
    checklist: Annotated[
        Path | None, typer.Option("--checklist", help=CHECKLIST_HELP, show_default=False)
    ] = None,
) -> None:
    from audit import drift, scoring

    _speak(lang)
    with user_errors():
        loaded, data = drift.load_with_checklist(audit, checklist)
        result = scoring.score(loaded.checklist, data)
        found = drift.check(data, loaded)
    _warn_drift(found, audit)
    language = _speak(lang, data.store.language)
    if as_json:
        import json

        out = result.to_json()
        out["checklist_drift"] = found.to_json() if found else None
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    from audit import show

    show.result(Console(highlight=False), loaded, data, result, language)


class PlanFormat(StrEnum):
    csv = "csv"
    ics = "ics"


@app.command(
    help=_h(
        "Print the 30/60/90-day action plan, or edit one action's owner, due date, target,"
        " status or KPI."
    ),
    epilog=_h(
        "Examples:  cxaudit plan shop.yaml  ·  "
        "cxaudit plan shop.yaml EXP-05 --owner Dana --due 2027-01-15 --kpi 'returns < 2%'  ·  "
        "cxaudit plan shop.yaml --capacity 3,5,8  ·  cxaudit plan shop.yaml --format ics"
    ),
)
def plan(
    audit: Annotated[Path, typer.Argument(help=_h("Audit file."), show_default=False)],
    item: Annotated[
        str | None,
        typer.Argument(help=_h("The id of the action to edit."), show_default=False),
    ] = None,
    owner: Annotated[
        str | None, typer.Option(metavar="NAME", help=_h("Who does it (empty clears)."))
    ] = None,
    due: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help=_h("Due date (empty clears)."))
    ] = None,
    target: Annotated[
        int | None, typer.Option(metavar="LEVEL", help=_h("Target level, 1 to 4."))
    ] = None,
    status: Annotated[
        str | None, typer.Option(metavar="STATUS", help=_h("open, doing, done or dropped."))
    ] = None,
    kpi: Annotated[
        str | None, typer.Option(metavar="TEXT", help=_h("How success is measured."))
    ] = None,
    capacity: Annotated[
        str | None,
        typer.Option(metavar="N,N,N", help=_h("Actions per period: 30, 60 and 90 days.")),
    ] = None,
    fmt: Annotated[
        PlanFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=_h("Write the plan as csv (spreadsheet) or ics (calendar)."),
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=_h("File for --format. [default: AUDIT-plan.csv or .ics beside the audit]"),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option(help=LANG_HELP, show_default=False)] = None,
) -> None:
    from audit import actions

    _speak(lang)
    edits = {"owner": owner, "due": due, "target": target, "status": status, "kpi": kpi}
    with user_errors():
        if item is None and any(v is not None for v in edits.values()):
            from audit.errors import UsageError

            raise UsageError(_("name the action to edit: cxaudit plan AUDIT ID --owner ..."))
        outcome = actions.run(audit, item, edits, capacity, fmt.value if fmt else None, out, lang)
    for line in outcome.messages:
        print(line)
    if outcome.show is not None:
        from rich.console import Console

        from audit import plan_view

        loaded, data, result = outcome.show
        _speak(lang, data.store.language)
        plan_view.show(Console(highlight=False), loaded.checklist, data, result)


class FormatChoice(StrEnum):
    pdf = "pdf"
    html = "html"
    md = "md"
    json = "json"
    csv = "csv"


@app.command(help=_h("Render an audit as a PDF report (or HTML, Markdown, JSON, CSV)."))
def report(
    audits: Annotated[
        list[Path],
        typer.Argument(
            help=_h("Audit file(s). Several are rendered in parallel."), show_default=False
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=_h("Report file (one audit) or folder. [default: AUDIT with the format's suffix]"),
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        FormatChoice | None,
        typer.Option(
            "--format",
            "-f",
            help=_h("pdf, html, md, json or csv. [default: from -o's suffix, else pdf]"),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option(help=LANG_HELP, show_default=False)] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help=_h("Processes for several audits. [default: one per core]"),
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help=_h("An earlier audit of the same store: the report gains a progress part."),
            show_default=False,
        ),
    ] = None,
    checklist: Annotated[
        Path | None, typer.Option("--checklist", help=CHECKLIST_HELP, show_default=False)
    ] = None,
) -> None:
    from audit import drift, reporting

    _speak(lang)
    with user_errors():
        if out is not None and len(audits) > 1 and not out.is_dir():
            from audit.errors import UsageError

            raise UsageError(_("with several audits, -o must be an existing folder"))
        if baseline is not None and len(audits) > 1:
            from audit.errors import UsageError

            raise UsageError(_("--baseline goes with a single audit"))
        if checklist is not None and len(audits) > 1:
            from audit.errors import UsageError

            raise UsageError(_("--checklist goes with a single audit"))
        chosen = reporting.format_for(out, fmt.value if fmt else None)
        assert chosen is not None  # the default is PDF
        _warn_system(chosen)
        if len(audits) == 1:
            loaded, data = drift.load_with_checklist(audits[0], checklist)
            _warn_drift(drift.check(data, loaded), audits[0])
            target = reporting.render(audits[0], chosen, out, lang, baseline, checklist)
            print(_("Wrote {path}").format(path=target))
            return
    for path, found in drift.scan(audits):
        _warn_drift(found, path)
    failed = _render_many(audits, chosen, out, lang, jobs)
    if failed:
        raise typer.Exit(2)


def _render_many(
    audits: list[Path], fmt: str, out: Path | None, lang: str | None, jobs: int | None
) -> int:
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from audit.reporting import render_job

    failed = 0
    workers = max(1, min(jobs or os.cpu_count() or 1, len(audits)))
    err = _stderr()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(_("Rendering"), total=len(audits))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(render_job, a, fmt, out, lang) for a in audits]
            for future in as_completed(futures):
                outcome = future.result()
                if outcome.error:
                    failed += 1
                    for line in outcome.error:
                        progress.console.print(line, style="red", markup=False)
                else:
                    progress.console.print(
                        _("Wrote {path}").format(path=outcome.target), markup=False, highlight=False
                    )
                progress.advance(task)
    print(
        _("{done} of {total} reports written.").format(done=len(audits) - failed, total=len(audits))
    )
    return failed


def _warn_system(fmt: str | None) -> None:
    """Rendering needs system libraries and a font: say exactly what to install.

    The fonts of the report's language are checked where that language is known
    (reporting.check_fonts).
    """
    if fmt != "pdf":
        return
    from audit import system
    from audit.errors import CxAuditError

    needs = system.missing_libraries()
    required = [n for n in needs if n.required]
    if required:
        raise CxAuditError(
            _("PDF reports need {packages}").format(
                packages=", ".join(n.package for n in required)
            ),
            tip=f"sudo {system.apt_line(needs)}",
        )
    for need in needs:
        _stderr().print(
            _("warning: {package} is missing: {why}. Install: {command}").format(
                package=need.package, why=need.why, command=f"sudo {system.apt_line([need])}"
            ),
            style="yellow",
            markup=False,
        )


@app.command(
    help=_h(
        "Compare audits of a store over time: scores side by side, what improved, "
        "what regressed, red flags resolved and new."
    )
)
def compare(
    audits: Annotated[
        list[Path],
        typer.Argument(
            help=_h("Two or more audit files, in any order (sorted by date)."), show_default=False
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help=_h("Print every number as JSON."))
    ] = False,
    lang: Annotated[str | None, typer.Option(help=LANG_HELP, show_default=False)] = None,
    checklist: Annotated[
        Path | None, typer.Option("--checklist", help=CHECKLIST_HELP, show_default=False)
    ] = None,
) -> None:
    from audit import compare as comparing

    _speak(lang)
    with user_errors():
        if len(audits) < 2:
            from audit.errors import UsageError

            raise UsageError(_("compare needs at least two audit files"))
        result = comparing.compare(comparing.load(audits, checklist=checklist))
    for snap in result.snapshots:
        _warn_drift(snap.drift, snap.path)
    if as_json:
        import json

        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    from audit import show

    language = _speak(lang, result.last.audit.store.language)
    show.comparison(Console(highlight=False), result, language)


class PortfolioFormat(StrEnum):
    pdf = "pdf"
    html = "html"
    csv = "csv"
    json = "json"


@app.command(
    help=_h(
        "A consultant's view of every audit under a folder: stores by score, the "
        "gaps most stores share, each store against the median."
    )
)
def portfolio(
    folder: Annotated[
        Path,
        typer.Argument(
            help=_h("Folder searched for audit files, with its subfolders."), show_default=False
        ),
    ],
    fmt: Annotated[
        PortfolioFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=_h(
                "Write a portfolio report: pdf, html, csv or json. "
                "[default: tables on the terminal]"
            ),
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=_h("Portfolio report file. [default: portfolio.FORMAT in the folder]"),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option(help=LANG_HELP, show_default=False)] = None,
) -> None:
    from audit import portfolio as portfolios
    from audit import reporting

    language = _speak(lang)
    with user_errors():
        if not folder.is_dir():
            from audit.errors import NotFoundError

            raise NotFoundError(_("{path}: no such folder").format(path=folder))
        chosen = reporting.format_for(
            out, fmt.value if fmt else None, tuple(f.value for f in PortfolioFormat), default=None
        )
        if chosen == "pdf":
            _warn_system("pdf")
            reporting.check_fonts(language)
        result = portfolios.scan(folder, language)
    if chosen is None:
        from rich.console import Console

        from audit import show

        show.portfolio(Console(highlight=False), result)
        return
    from audit.files import atomic_write
    from audit.render import portfolio_formats

    target = out or folder / f"portfolio.{chosen}"
    with user_errors():
        atomic_write(target, portfolio_formats.RENDERERS[chosen](result))
    print(_("Wrote {path}").format(path=target))
    if result.skipped:
        _stderr().print(
            _("Skipped {n} files that are not readable audits:").format(n=len(result.skipped)),
            style="yellow",
        )
        for _path, reason in result.skipped:
            _stderr().print(f"  {reason}", style="yellow", markup=False)


@app.command(
    help=_h(
        "Pack an audit, its checklist, its evidence and its reports into one zip to hand on. "
        "Example: cxaudit bundle shop.yaml -o shop.zip, then elsewhere: unzip shop.zip && "
        "cxaudit report shop/shop.yaml"
    )
)
def bundle(
    audit: Annotated[Path, typer.Argument(help=_h("Audit file."), show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=_h("Zip file to write (replaced if it exists). [default: AUDIT with .zip]"),
            show_default=False,
        ),
    ] = None,
) -> None:
    from audit import bundle as bundles

    with user_errors():
        result = bundles.bundle(audit, out)
    for warning in result.warnings:
        _stderr().print(warning, style="yellow", markup=False)
    print(
        _(
            "Wrote {path}: the audit, {checklist}{evidence} evidence files, {reports} reports"
        ).format(
            path=result.path,
            checklist=_("its checklist, ") if result.checklist else "",
            evidence=len(result.evidence),
            reports=len(result.reports),
        )
    )


@app.command(help=_h("Write a complete audit of a fictional store and its PDF report."))
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help=_h("Folder for the demo audit and its report."))
    ] = Path("cxaudit-demo"),
    lang: Annotated[
        str | None,
        typer.Option(
            help=_h("Language of the demo: en, ar, he or zh-Hant. [default: the locale's]"),
            show_default=False,
        ),
    ] = None,
) -> None:
    from audit import demo as demo_module

    language = _speak(lang)
    with user_errors():
        _warn_system("pdf")
        audit_path, report_path = demo_module.write(out_dir, language)
        earlier = demo_module.write_baseline(out_dir)
    print(_("Demo audit:  {path}").format(path=audit_path))
    print(_("Demo report: {path}").format(path=report_path))
    print(_("Try: {command}").format(command=f"cxaudit score {audit_path}"))
    print(_("Try: {command}").format(command=f"cxaudit compare {earlier} {audit_path}"))


@checklist_app.command("list", help=_h("List the checklists that ship with cxaudit."))
def checklist_list() -> None:
    from rich.console import Console

    from audit import checklists, show

    _speak()
    with user_errors():
        loaded = checklists.shipped()
    show.checklist_list(Console(highlight=False), loaded)


@checklist_app.command("show", help=_h("Show a checklist's categories and items."))
def checklist_show(
    checklist: Annotated[str, typer.Argument(help=_h("Checklist id or path."), show_default=False)],
    lang: Annotated[str | None, typer.Option(help=LANG_HELP, show_default=False)] = None,
) -> None:
    from rich.console import Console

    from audit import checklists, show

    language = _speak(lang)
    with user_errors():
        loaded = checklists.load(checklist)
    show.checklist_detail(Console(highlight=False), loaded, lang or language)


@checklist_app.command(
    "validate",
    help=_h("Check checklist files and report every problem with its file, line and column."),
)
def checklist_validate(
    paths: Annotated[list[Path], typer.Argument(help=_h("Checklist files."), show_default=False)],
) -> None:
    from audit import checklists
    from audit.errors import CxAuditError

    _speak()
    failed = 0
    for path in paths:
        try:
            loaded = checklists.load(path)
        except CxAuditError as exc:
            failed += 1
            _print_error(exc)
            continue
        cl = loaded.checklist
        for warning in loaded.warnings:
            _stderr().print(_("warning: {text}").format(text=warning), style="yellow", markup=False)
        line = _("ok: {path}: {id} {version}, {n} items").format(
            path=path, id=cl.id, version=cl.version, n=len(cl.items)
        )
        if loaded.warnings:
            line += ", " + i18n.ngettext(
                "{n} warning", "{n} warnings", len(loaded.warnings)
            ).format(n=len(loaded.warnings))
        print(line)
    if failed:
        raise typer.Exit(2)


@checklist_app.command(
    "schema", help=_h("Print the JSON Schema of checklist files (draft-07, for editors).")
)
def checklist_schema() -> None:
    from audit import checklists

    sys.stdout.write(checklists.schema_json())


def main() -> None:
    app()
