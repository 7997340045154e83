"""The command line: parse, call the core, turn errors into messages and exit codes. No logic.

Imports of the core stay inside the commands so that `--help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

from audit import gc_pause, i18n, terminal
from audit.i18n import _, ngettext

# Help texts and Typer's own words are read when the commands are defined, so the language
# (--lang on the command line, else the locale) is chosen before Typer is imported.
i18n.use(i18n.choose(i18n.scan_argv(sys.argv)))

import typer  # noqa: E402
from rich.markup import escape  # noqa: E402


def _clean_metavars() -> None:
    """Help shows TEXT, PATH, N or the choices, not Python types (`<str>`, `<list[Path]>`).

    Typer 0.29 prints an option's or argument's Python type in help unless a metavar is set;
    flags and arguments (named in their own column) need no type at all.
    """
    from typer import core

    shown = {"str": "TEXT", "int": "N", "float": "NUMBER", "path": "PATH", "list[Path]": "PATH"}
    typed = core.TyperOption.display_type_rich

    def option_type(self, ctx):
        if self.is_flag or self.is_bool_flag:
            return None
        label = typed(self, ctx)
        if label is None or self.metavar is not None:
            return label
        bare = label.strip("<>")
        return shown.get(bare, bare)

    core.TyperOption.display_type_rich = option_type  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


_clean_metavars()


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
    return terminal.console(stderr=True, soft_wrap=True)


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
        err.print(_rtl(line, sys.stderr), style="dim" if tip else "red", markup=False)


def _rtl(text: str, stream=None) -> str:
    """A message as a terminal without bidirectional layout must get it: reordered (ar, he).

    Off a terminal, or where the terminal lays out right-to-left text itself, it is unchanged.
    """
    stream = stream or sys.stdout
    if i18n.direction() != "rtl" or not stream.isatty():
        return text
    import shutil

    from audit.terminal import bidi

    if bidi.terminal_reorders():
        return text
    width = min(shutil.get_terminal_size().columns, 100) - 1
    lines = [
        shown.rjust(width)
        for line in text.splitlines()
        for shown in bidi.visual_lines(line, width, base="R")
    ]
    return "\n".join(lines)


def _speak(lang: str | None = None, audit_language: str | None = None) -> str:
    """Print in --lang, else the audit's language, else the locale's; returns the choice."""
    return i18n.use(i18n.choose(lang, audit_language))


def _examples(*lines: str) -> str:
    """A command's epilog: one to three examples, one per line."""
    return _h("Examples:") + "\n\n" + "\n".join(f"  {line}" for line in lines)


ANSWER_GRAMMAR = _h(
    "One line per item. Answers: 3 or 3 a note (0-4; y/n on yes/no items; a number on "
    "measures), na or na a note, 3 - (score 3 and clear the note), - (clear the note). "
    "An empty line keeps the answer, its note and its evidence; a new score alone keeps "
    "the note.\n\n"
    "Commands: s skip, b back, ? guidance, ?? the full scale, q save and quit, g ID go "
    "to an item, /words find items, l categories and their progress, n (> on yes/no "
    "items) next unanswered, e FILE-OR-URL [kind] attach evidence (observed, test, "
    "measured, document, reported).\n\n"
    "Scripts pipe the same lines into run; g ID works there too."
)

LANG_HELP = _h("Language: en, ar, he or zh-Hant. [default: the audit's, else the locale's]")
CHECKLIST_HELP = _h(
    "Use this checklist file instead of the one the audit records "
    "(a moved audit, or another version of its checklist)."
)


def _warn_twin(loaded, path: Path) -> None:
    """A checklist that keeps a shipped checklist's id but differs from it (drift.twin)."""
    from audit.checklists import drift

    found = drift.twin(loaded)
    if found is not None:
        first, *more = drift.twin_lines(found, path)
        for line in [_("warning: {text}").format(text=first), *more]:
            _stderr().print(line, style="yellow", markup=False)


def _warn_drift(found, audit_path: Path) -> None:
    """Checklist drift (drift.check) as a warning on stderr."""
    if found is None:
        return
    from audit.checklists import drift

    first, *more = drift.lines(found, audit_path)
    for line in [_("warning: {text}").format(text=first), *more]:
        _stderr().print(_rtl(line, sys.stderr), style="yellow", markup=False)


def _check_lang(value: str | None) -> str | None:
    """Only the shipped languages, any case, with their aliases (zh-TW, zh_Hant, he_IL)."""
    if value is None:
        return None
    found = i18n.normalize(value)
    if found is None:
        raise typer.BadParameter(
            _("{code} is not a language cxaudit speaks; choose one of {codes}").format(
                code=value, codes=", ".join(i18n.LANGUAGES)
            )
            + " "
            + _("(also zh-TW, zh_Hant, he_IL and the like)")
        )
    return found


LangOption = Annotated[
    str | None,
    typer.Option(help=LANG_HELP, show_default=False, metavar="CODE", callback=_check_lang),
]


@app.command(
    help=_h("Answer a checklist, item by item. Every answer is saved at once; q or Ctrl-C stops.")
    + "\n\n"
    + ANSWER_GRAMMAR,
    epilog=_examples(
        "cxaudit run --store 'Hollow Oak Tea' --segment b2c",
        "cxaudit run --out hollow-oak.yaml --review",
        "cxaudit run quick --store Shop --out shop.yaml < answers.txt",
    ),
)
def run(
    checklist: Annotated[
        str | None,
        typer.Argument(
            metavar="CHECKLIST",
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
            help=_h("b2c or b2b: only that segment's items are asked (asked on a terminal)."),
            case_sensitive=False,
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
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help=_h("Confirm a change of --segment on a resumed audit (for scripts)."),
        ),
    ] = False,
    lang: LangOption = None,
    checklist_path: Annotated[
        Path | None,
        typer.Option(
            "--checklist",
            help=_h("A checklist file for this audit, recorded in it (relative to the audit)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    from audit.terminal.prompter import LinePrompter, TerminalPrompter
    from audit.terminal.session import open_session
    from audit.terminal.walkthrough import Walkthrough

    _speak(lang)
    prompter = (
        TerminalPrompter(terminal.console())
        if sys.stdin.isatty()
        else LinePrompter(
            terminal.answers_in(sys.stdin),
            terminal.CleanStream(sys.stdout),
            terminal.CleanStream(sys.stderr),
        )
    )
    session = None
    try:
        with user_errors(), terminal.stop_on_signals():
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
                yes=yes,
                checklist_path=checklist_path,
            )
            _warn_drift(session.drift, session.path)
            _speak(lang, session.audit.store.language)
            prompter.set_direction(i18n.direction(session.audit.store.language or "en"))
            walk = Walkthrough(session.loaded, session.audit, session.path, prompter, session.saver)
            first = walk.first_unanswered()
            if session.resumed and not review and first is not None:
                prompter.notice(
                    _("Resuming {path} at item {n} ({done} answered).").format(
                        path=session.path,
                        n=first + 1,
                        done=sum(walk.is_answered(i) for i in walk.items),
                    )
                )
            try:
                outcome = walk.run(review=review)
            except (OSError, UnicodeDecodeError) as exc:
                _not_saved(session, exc)
    except (KeyboardInterrupt, EOFError) as exc:
        code = exc.exit_code if isinstance(exc, terminal.Stopped) else 130
        if session is None:
            prompter.say(
                "\n" + _("Stopped before the audit file was created: nothing to save."), error=True
            )
            raise typer.Exit(code if isinstance(exc, KeyboardInterrupt) else 2) from None
        with user_errors():
            session.save_pending()
        saved = (
            _("Stopped by {signal}. Every answer given is saved in {path}.")
            if isinstance(exc, terminal.Stopped)
            else _("Interrupted. Every answer given is saved in {path}.")
        )
        prompter.say(
            "\n"
            + saved.format(signal=getattr(exc, "name", ""), path=session.path)
            + "\n"
            + _("Resume with: {command}").format(command=f"cxaudit run --out {session.path}"),
            error=True,
        )
        raise typer.Exit(code) from None
    finally:
        if session is not None:
            session.close()
    path = session.path
    total = outcome.answered + outcome.na + outcome.unanswered
    summary = ngettext(
        "{answered} answered, {na} N/A, {open} open of {total} item. Saved in {path}.",
        "{answered} answered, {na} N/A, {open} open of {total} items. Saved in {path}.",
        total,
    ).format(
        answered=outcome.answered, na=outcome.na, open=outcome.unanswered, total=total, path=path
    )
    resume = f"cxaudit run --out {path}"
    if outcome.status == "finished" and outcome.unanswered == 0:
        lines = [
            _("Audit complete: {summary}").format(summary=summary),
            _headline(session, complete=True),
            _("Next: {command}").format(command=f"cxaudit score {path}"),
        ]
    elif outcome.status == "finished":
        lines = [
            _("End of the checklist: {summary}").format(summary=summary),
            _headline(session, complete=False),
            _("Answer the skipped items with: {command}").format(command=resume),
        ]
    else:
        lines = [
            _("Stopped: {summary}").format(summary=summary),
            _("Resume with: {command}").format(command=resume),
        ]
    prompter.say("\n".join(line for line in lines if line))
    if outcome.invalid_lines:
        raise typer.Exit(2)


def _headline(session, complete: bool) -> str:
    """The overall score in one line, as a finished run's last word."""
    from audit.judgement import scoring
    from audit.words import band_label

    result = scoring.score(session.loaded.checklist, session.audit)
    overall = result.overall
    if overall.score is None:
        return ""
    text = f"{overall.score:.1f} · {band_label(overall.band)}"
    if complete:
        return _("Overall score: {score}").format(score=text)
    return _("Overall score so far: {score}").format(score=text)


def _not_saved(session, exc: Exception) -> None:
    """A save that failed (disk full, file gone read-only) or unreadable input: say what is kept."""
    if isinstance(exc, UnicodeDecodeError):
        what = _("standard input is not UTF-8 text (byte 0x{byte:02x})").format(
            byte=exc.object[exc.start]
        )
        if exc.object[:2] in (b"\xff\xfe", b"\xfe\xff"):
            what = _("standard input is UTF-16 text: pipe the answers as UTF-8")
    else:
        filename, strerror = getattr(exc, "filename", None), getattr(exc, "strerror", None)
        where = f"{filename}: " if filename else ""
        what = where + (strerror or str(exc)) + ". " + _("The last answer was not saved.")
    err = _stderr()
    err.print(what, style="red", markup=False)
    err.print(
        _("Every earlier answer is saved in {path}.").format(path=session.path)
        + "\n"
        + _("Resume with: {command}").format(command=f"cxaudit run --out {session.path}"),
        markup=False,
    )
    raise typer.Exit(2) from None


@app.command(
    help=_h("Print the category, strategy and overall scores, red flags and top gaps."),
    epilog=_examples("cxaudit score shop.yaml", "cxaudit score shop.yaml --json > scores.json"),
)
def score(
    audit: Annotated[
        Path, typer.Argument(help=_h("Audit file."), show_default=False, metavar="AUDIT")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help=_h("Print the full result as JSON."))
    ] = False,
    lang: LangOption = None,
    checklist: Annotated[
        Path | None, typer.Option("--checklist", help=CHECKLIST_HELP, show_default=False)
    ] = None,
) -> None:
    from audit.checklists import drift
    from audit.judgement import scoring

    _speak(lang)
    with user_errors():
        loaded, data = drift.load_with_checklist(audit, checklist)
        result = scoring.score(loaded.checklist, data)
        found = drift.check(data, loaded)
    _warn_drift(found, audit)
    language = _speak(lang, data.store.language)
    if as_json:
        from audit.jsontypes import plain

        out = result.to_json()
        out["checklist_drift"] = found.to_json() if found else None
        print(terminal.json_text(plain(out), indent=2, allow_nan=False))
        return
    from audit.terminal import show

    with show.terminal(language) as console:
        show.result(console, loaded, data, result, language)


class PlanFormat(StrEnum):
    csv = "csv"
    ics = "ics"


@app.command(
    help=_h(
        "Print the 30/60/90-day action plan, or edit one action's owner, due date, target,"
        " status or KPI."
    ),
    epilog=_examples(
        "cxaudit plan shop.yaml",
        "cxaudit plan shop.yaml EXP-05 --owner Dana --due 2027-01-15 --kpi 'returns < 2%'",
        "cxaudit plan shop.yaml --capacity 3,5,8 --format ics",
    ),
)
def plan(
    audit: Annotated[
        Path, typer.Argument(help=_h("Audit file."), show_default=False, metavar="AUDIT")
    ],
    item: Annotated[
        str | None,
        typer.Argument(help=_h("The id of the action to edit."), show_default=False, metavar="ID"),
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
    lang: LangOption = None,
) -> None:
    from audit.judgement import actions

    _speak(lang)
    edits = {"owner": owner, "due": due, "target": target, "status": status, "kpi": kpi}
    with user_errors():
        if item is None and any(v is not None for v in edits.values()):
            from audit.errors import UsageError

            raise UsageError(_("name the action to edit: cxaudit plan AUDIT ID --owner ..."))
        outcome = actions.run(audit, item, edits, capacity, fmt.value if fmt else None, out, lang)
    for line in outcome.messages:
        print(_rtl(line))
    if outcome.show is not None:
        from audit.terminal import plan_view

        loaded, data, result = outcome.show
        _speak(lang, data.store.language)
        plan_view.show(terminal.console(), loaded.checklist, data, result)


class FormatChoice(StrEnum):
    pdf = "pdf"
    html = "html"
    md = "md"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def _print_report_schema(wanted: bool) -> None:
    if wanted:
        from audit.render.report_schema import schema_json

        sys.stdout.write(schema_json())
        raise typer.Exit()


@app.command(
    help=_h("Render an audit as a PDF report (or HTML, Markdown, JSON, CSV)."),
    epilog=_examples(
        "cxaudit report shop.yaml",
        "cxaudit report shop.yaml -o shop.html --lang he",
        "cxaudit report shop-2026-12.yaml --baseline shop-2026-06.yaml",
    ),
)
def report(
    audits: Annotated[
        list[Path],
        typer.Argument(
            help=_h("Audit file(s). Several are rendered in parallel."),
            show_default=False,
            metavar="AUDIT",
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
            help=_h("pdf, html, md, json, csv or xlsx. [default: from -o's suffix, else pdf]"),
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
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
    schema: Annotated[
        bool,
        typer.Option(
            "--schema",
            help=_h("Print the JSON Schema of the JSON report and exit."),
            is_eager=True,
            callback=_print_report_schema,
        ),
    ] = False,
) -> None:
    from audit.render import reporting

    _speak(lang)
    with user_errors():
        if out is not None and fmt is None and out.suffix and not out.is_dir():
            if out.suffix.lower().lstrip(".") not in reporting.SUFFIXES:
                from audit.errors import UsageError

                raise UsageError(
                    _("{path}: {suffix} is not a report format").format(
                        path=out, suffix=out.suffix
                    ),
                    tip=_("name the file .pdf, .html, .md, .json or .csv, or pass --format"),
                )
        if out is not None and not out.exists() and (not out.suffix or len(audits) > 1):
            out.mkdir(parents=True)  # -o DIR: a folder that does not exist yet is made
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
            target = reporting.render_one(
                audits[0],
                chosen,
                out,
                lang,
                baseline,
                checklist,
                warn_drift=lambda found: _warn_drift(found, audits[0]),
            )
            print(_rtl(terminal.clean(_("Wrote {path}").format(path=target))))
            _show_warnings(_stderr(), reporting.pdf_warnings(chosen))
            return
    from audit.checklists import drift

    for path, found in drift.scan(audits):
        _warn_drift(found, path)
    failed = _render_many(audits, chosen, out, lang, jobs)
    if failed:
        raise typer.Exit(2)


def _render_many(
    audits: list[Path], fmt: str, out: Path | None, lang: str | None, jobs: int | None
) -> int:
    from itertools import chain

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from audit.render import reporting

    err = _stderr()
    with user_errors():
        batch, refused, notes = reporting.batch_targets(audits, fmt, out)
    processes, capped = reporting.workers(jobs, max(1, len(batch)))
    for note in [*notes, *([capped] if capped else [])]:
        err.print(note, style="yellow", markup=False)
    total = len(batch) + len(refused)
    failed = 0
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(_("Rendering"), total=total)
        for outcome in chain(refused, reporting.render_batch(batch, fmt, lang, processes)):
            if outcome.error:
                failed += 1
                for line in outcome.error:
                    progress.console.print(line, style="red", markup=False)
            else:
                progress.console.print(
                    _("Wrote {path}").format(path=outcome.target), markup=False, highlight=False
                )
            _show_warnings(progress.console, outcome.warnings)
            progress.advance(task)
    print(_("{done} of {total} reports written.").format(done=total - failed, total=total))
    return failed


def _show_warnings(err, warnings: list[str], most: int = 5) -> None:
    """WeasyPrint's warnings (a missing glyph, a refused fetch), the first few and a count."""
    for text in warnings[:most]:
        err.print(_("warning: {text}").format(text=text), style="yellow", markup=False)
    if len(warnings) > most:
        err.print(
            _("warning: {n} more from the PDF layout").format(n=len(warnings) - most),
            style="yellow",
            markup=False,
        )


@app.command(
    help=_h(
        "Pack an audit, its checklist, its evidence and its reports into one zip to hand on. "
        "Example: cxaudit bundle shop.yaml -o shop.zip, then elsewhere: unzip shop.zip && "
        "cxaudit report shop/shop.yaml"
    ),
    epilog=_examples("cxaudit bundle shop.yaml -o shop.zip"),
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
    from audit.answers import bundle as bundles

    with user_errors():
        result = bundles.bundle(audit, out)
    for warning in result.warnings:
        _stderr().print(warning, style="yellow", markup=False)
    parts = [_("the audit")] + ([_("its checklist")] if result.checklist else [])
    parts.append(
        i18n.ngettext("{n} evidence file", "{n} evidence files", len(result.evidence)).format(
            n=len(result.evidence)
        )
    )
    parts.append(
        i18n.ngettext("{n} report", "{n} reports", len(result.reports)).format(
            n=len(result.reports)
        )
    )
    print(_rtl(_("Wrote {path}: {parts}").format(path=result.path, parts=", ".join(parts))))


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
        "Compare audits of a store over time, like for like: scores on the items answered "
        "in both, what improved, what got worse, red flags resolved and new, the earlier plan."
    ),
    epilog=_examples(
        "cxaudit compare shop-2026-06.yaml shop-2026-12.yaml",
        "cxaudit compare audits/shop-*.yaml --json",
    ),
)
def compare(
    audits: Annotated[
        list[Path],
        typer.Argument(
            help=_h("Two or more audit files, in any order (sorted by date)."),
            show_default=False,
            metavar="AUDIT",
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help=_h("Print every number as JSON."))
    ] = False,
    lang: LangOption = None,
    checklist: Annotated[
        Path | None, typer.Option("--checklist", help=CHECKLIST_HELP, show_default=False)
    ] = None,
) -> None:
    from audit.judgement import compare as comparing

    _speak(lang)
    with user_errors():
        if len(audits) < 2:
            from audit.errors import UsageError

            raise UsageError(_("compare needs at least two audit files"))
        result = comparing.compare(comparing.load(audits, checklist=checklist))
    for snap in result.snapshots:
        _warn_drift(snap.drift, snap.path)
    if as_json:
        from audit.jsontypes import plain

        print(terminal.json_text(plain(result.to_json()), indent=2, allow_nan=False))
        return
    from audit.terminal import show

    language = _speak(lang, result.last.audit.store.language)
    with show.terminal(language) as console:
        show.comparison(console, result, language)


class PortfolioFormat(StrEnum):
    pdf = "pdf"
    html = "html"
    csv = "csv"
    json = "json"


@app.command(
    help=_h(
        "A consultant's view of every audit under a folder: stores by score, the "
        "gaps most stores share, each store against the median."
    ),
    epilog=_examples("cxaudit portfolio clients/", "cxaudit portfolio clients/ -f pdf -o q4.pdf"),
)
def portfolio(
    folder: Annotated[
        Path,
        typer.Argument(
            help=_h("Folder searched for audit files, with its subfolders."),
            show_default=False,
            metavar="DIR",
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
    lang: LangOption = None,
) -> None:
    from audit.judgement import portfolio as portfolios
    from audit.render import reporting

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
        from audit.terminal import show

        with show.terminal(language) as console:
            show.portfolio(console, result)
        return
    from audit.files import atomic_write
    from audit.render import portfolio_formats

    target = out or folder / f"portfolio.{chosen}"
    with user_errors():
        atomic_write(target, portfolio_formats.RENDERERS[chosen](result))
    print(_rtl(terminal.clean(_("Wrote {path}").format(path=target))))
    if result.skipped:
        from audit.terminal import show

        show.skipped(_stderr(), result.skipped)


@app.command(
    help=_h(
        "Compute NPS, satisfaction, effort, reply and resolution times, delivery and returns "
        "from a store's CSV export, and write them into the audit as measured evidence."
    ),
    epilog=_examples(
        "cxaudit measure shop.yaml --surveys nps-2026-11.csv",
        "cxaudit measure shop.yaml --tickets tickets.csv --period 2026-10-01..2026-11-30",
        "cxaudit measure shop.yaml --orders orders.csv --map 'Shipped at=dispatched'",
    ),
)
def measure(
    audit: Annotated[
        Path, typer.Argument(help=_h("Audit file."), show_default=False, metavar="AUDIT")
    ],
    surveys: Annotated[
        Path | None,
        typer.Option(metavar="CSV", help=_h("Survey export (NPS, CSAT, CES answers).")),
    ] = None,
    tickets: Annotated[
        Path | None, typer.Option(metavar="CSV", help=_h("Help-desk ticket export."))
    ] = None,
    orders: Annotated[
        Path | None, typer.Option(metavar="CSV", help=_h("Store order export."))
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="HEADER=FIELD",
            help=_h('Name a column: "Column header=field" (repeatable).'),
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            metavar="FROM..TO",
            help=_h("Keep rows dated FROM..TO (ISO dates, both included)."),
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_h("Replace values already in the audit."))
    ] = False,
    hours: Annotated[
        str,
        typer.Option(metavar="HH:MM-HH:MM", help=_h("Working hours, for items in business hours.")),
    ] = "09:00-17:00",
    days: Annotated[
        str, typer.Option(metavar="DAYS", help=_h("Working days (mon-fri, mon,wed,fri)."))
    ] = "mon-fri",
) -> None:
    from audit.answers import measures
    from audit.answers.measuring import measure as run_measure
    from audit.errors import UsageError

    _speak()
    with user_errors():
        given = [
            (k, p) for k, p in (("surveys", surveys), ("tickets", tickets), ("orders", orders)) if p
        ]
        if len(given) != 1:
            raise UsageError(_("give one export: --surveys CSV, --tickets CSV or --orders CSV"))
        try:
            window = measures.period(period) if period else None
            calendar = measures.calendar(hours, days)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        kind, path = given[0]
        outcome = run_measure(audit, kind, path, maps or [], window, replace, calendar)
    _show_measured(outcome)


def _show_measured(outcome) -> None:
    err = _stderr()
    used = ", ".join(f"{c.header!r} ({c.field}, {c.source})" for c in outcome.columns)
    print(_("Columns used: {columns}").format(columns=used))
    print(
        _("Rows: {rows} read, {used} used; period {period}").format(
            rows=outcome.rows, used=outcome.used, period=outcome.period or "-"
        )
    )
    for w in outcome.written:
        margin = f" ± {w.margin:g}" if w.margin is not None else ""
        p90 = ", p90 " + f"{w.p90:g}" if w.p90 is not None else ""
        line = f"{w.item} {w.measure}: {w.value:g}{margin} {w.unit} (n={w.n}{p90})"
        if w.kept is not None:
            err.print(
                _("{line}: not written, the audit keeps {old}. Use --replace to overwrite.").format(
                    line=line, old=w.kept if isinstance(w.kept, str) else f"{w.kept:g}"
                ),
                style="yellow",
                markup=False,
            )
            continue
        if w.small:
            line += " · " + _("small sample")
        print(line)
    for why in outcome.skipped:
        err.print(_("not measured: {why}").format(why=why), style="yellow", markup=False)
    for notice in outcome.notices:
        err.print(notice, style="yellow", markup=False)
    if outcome.evidence:
        print(_("Evidence: {path}").format(path=outcome.evidence))


@app.command(
    help=_h("Write a complete audit of a fictional store and its PDF report."),
    epilog=_examples("cxaudit demo", "cxaudit demo --out-dir /tmp/demo --lang zh-Hant"),
)
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out-dir", help=_h("Folder for the demo audit and its report."))
    ] = Path("cxaudit-demo"),
    lang: Annotated[
        str | None,
        typer.Option(
            help=_h("Language of the demo: en, ar, he or zh-Hant. [default: the locale's]"),
            show_default=False,
            metavar="CODE",
            callback=_check_lang,
        ),
    ] = None,
) -> None:
    from audit import demo as demo_module

    language = _speak(lang)
    with user_errors():
        _warn_system("pdf")
        audit_path, report_path = demo_module.write(out_dir, language)
        earlier = demo_module.write_baseline(out_dir)
    print(_rtl(_("Demo audit:  {path}").format(path=audit_path)))
    print(_rtl(_("Demo report: {path}").format(path=report_path)))
    print(_rtl(_("Try: {command}").format(command=f"cxaudit score {audit_path}")))
    print(_rtl(_("Try: {command}").format(command=f"cxaudit compare {earlier} {audit_path}")))


@checklist_app.command(
    "list",
    help=_h("List the checklists that ship with cxaudit."),
    epilog=_examples("cxaudit checklist list"),
)
def checklist_list() -> None:
    from audit import checklists
    from audit.terminal import show

    _speak()
    with user_errors():
        loaded = checklists.shipped()
    with show.terminal() as console:
        show.checklist_list(console, loaded)


@checklist_app.command(
    "show",
    help=_h("Show a checklist's categories and items."),
    epilog=_examples(
        "cxaudit checklist show quick",
        "cxaudit checklist show ecommerce --full --lang he",
        "cxaudit checklist show ./my-checklist.yaml",
    ),
)
def checklist_show(
    checklist: Annotated[
        str,
        typer.Argument(help=_h("Checklist id or path."), show_default=False, metavar="CHECKLIST"),
    ],
    full: Annotated[
        bool,
        typer.Option(
            "--full", help=_h("Every column: strategies, type, effort, segments, description.")
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            help=_h("Language: en, ar, he or zh-Hant. [default: the locale's]"),
            show_default=False,
            metavar="CODE",
            callback=_check_lang,
        ),
    ] = None,
) -> None:
    from audit import checklists
    from audit.terminal import show

    language = _speak(lang)
    with user_errors():
        loaded = checklists.load(checklist)
    with show.terminal(language) as console:
        show.checklist_detail(console, loaded, language, full=full)


@checklist_app.command(
    "validate",
    help=_h("Check checklist files and report every problem with its file, line and column."),
    epilog=_examples(
        "cxaudit checklist validate my-checklist.yaml",
        "cxaudit checklist validate checklists/*.yaml",
    ),
)
def checklist_validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help=_h("Checklist files."), show_default=False, metavar="PATH"),
    ],
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
        _warn_twin(loaded, path)
        line = ngettext(
            "ok: {path}: {id} {version}, {n} item",
            "ok: {path}: {id} {version}, {n} items",
            len(cl.items),
        ).format(path=path, id=cl.id, version=cl.version, n=len(cl.items))
        if loaded.warnings:
            line += ", " + i18n.ngettext(
                "{n} warning", "{n} warnings", len(loaded.warnings)
            ).format(n=len(loaded.warnings))
        print(_rtl(terminal.clean(line)))
    if failed:
        raise typer.Exit(2)


@checklist_app.command(
    "schema",
    help=_h("Print the JSON Schema of checklist files (draft-07, for editors)."),
    epilog=_examples("cxaudit checklist schema > checklist.schema.json"),
)
def checklist_schema() -> None:
    from audit import checklists

    sys.stdout.write(checklists.schema_json())


def main() -> None:
    gc_pause.process_ends_with_command()  # see _exit_now
    try:
        if _help_needs_reordering(sys.argv[1:]):
            _help_in_visual_order()
        else:
            app()
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)


def _exit_now(code: int | str | None) -> NoReturn:
    """End the process without the interpreter's teardown.

    Every file has been written (atomically) and closed by now; freeing a laid-out report's
    objects one by one and running the last collection took ~0.35 s of a 3.5 s report.
    """
    import logging
    import os

    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    aside = sys.modules.get("audit.render.pdf_aside")  # loaded only where a PDF was coming
    if aside is not None:
        aside.discard_early()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or a closed stream
            pass
    os._exit(code or 0)


def _help_needs_reordering(args: list[str]) -> bool:
    """Help in Arabic or Hebrew on a terminal that shows text in stored order (most do)."""
    asks_help = not args or any(a in ("-h", "--help") for a in args)
    if not asks_help or i18n.direction() != "rtl" or not sys.stdout.isatty():
        return False
    from audit.terminal import bidi

    return not bidi.terminal_reorders()


_BOX_MIRROR = str.maketrans("╭╮╰╯├┤┌┐└┘", "╮╭╯╰┤├┐┌┘└")


def _help_in_visual_order() -> None:
    """Typer's help screen, laid out as usual, then each line reordered right to left."""
    import contextlib
    import io
    import os
    import re
    import shutil

    from audit.terminal import bidi

    width = min(shutil.get_terminal_size().columns, 100) - 1
    os.environ["COLUMNS"] = str(width)  # Rich lays the help out at this width
    buffer = io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(buffer):
        try:
            app()
        except SystemExit as exc:
            code = exc.code
    # A left-to-right mark before each option keeps its dashes in front: --json, not json--.
    text = re.sub(r"(?<!\S)(--?\w[\w-]*)", "\u200e\\1\u200e", buffer.getvalue())
    lines = bidi.visual_block(text, width)
    shown = (line.replace("\u200e", "").translate(_BOX_MIRROR) for line in lines)
    sys.stdout.write("\n".join(shown) + "\n")
    sys.exit(code)
