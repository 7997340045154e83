"""Render an audit to a report file: load, score, build the document, write atomically."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audit import i18n
from audit.errors import CxAuditError, UsageError
from audit.files import atomic_write, resolved
from audit.i18n import _

if TYPE_CHECKING:  # imported where used: a PDF's child process starts before they load
    from audit.checklists import Loaded
    from audit.checklists.drift import Drift
    from audit.model import Audit, Checklist

SUFFIXES = {
    "pdf": ".pdf",
    "html": ".html",
    "md": ".md",
    "json": ".json",
    "csv": ".csv",
    "xlsx": ".xlsx",
}


def format_for(
    out: Path | None,
    fmt: str | None,
    choices: tuple[str, ...] = tuple(SUFFIXES),
    default: str | None = "pdf",
) -> str | None:
    """The format asked for, else the one of `choices` that `-o`'s suffix names, else `default`."""
    if fmt:
        return fmt
    if out is not None and out.suffix.lower().lstrip(".") in choices:
        return out.suffix.lower().lstrip(".")
    return default


def target_for(audit_path: Path, out: Path | None, fmt: str) -> Path:
    if out is not None and out.is_dir():
        out = out / (audit_path.stem + SUFFIXES[fmt])
    target = out or audit_path.with_suffix(SUFFIXES[fmt])
    if resolved(target) == resolved(audit_path):
        raise UsageError(
            _("{target}: will not write the report over the audit file itself").format(
                target=target
            ),
            tip=_("choose another file with -o"),
        )
    return target


@dataclass
class Prepared:
    """An audit read for rendering: its checklist, the audit, and the checklist's drift since
    the audit was answered (None when there is none)."""

    loaded: Loaded
    audit: Audit
    drift: Drift | None


def prepare(audit_path: Path, checklist: Path | None = None) -> Prepared:
    """Read an audit with its checklist (or the one `--checklist` names) and check the drift."""
    from audit.checklists import drift

    loaded, audit = drift.load_with_checklist(audit_path, checklist)
    return Prepared(loaded, audit, drift.check(audit, loaded))


def render_one(
    audit_path: Path,
    fmt: str,
    out: Path | None,
    lang: str | None,
    baseline: Path | None,
    checklist: Path | None,
    warn_drift: Callable[[Drift], None],
) -> Path:
    """One audit, as the report command renders it: a PDF is laid out by a child process
    that imports WeasyPrint while this one reads the audit (pdf_aside.py). `warn_drift`
    hears the checklist's drift before the report is written."""
    from audit.render import pdf_aside

    with pdf_aside.started(fmt == "pdf") as aside:
        prepared = prepare(audit_path, checklist)
        if prepared.drift is not None:
            warn_drift(prepared.drift)
        return render(
            audit_path,
            fmt,
            out,
            lang,
            baseline,
            checklist,
            prepared=prepared,
            to_pdf=aside.to_pdf if aside else None,
        )


def render(
    audit_path: Path,
    fmt: str = "pdf",
    out: Path | None = None,
    lang: str | None = None,
    baseline: Path | None = None,
    checklist: Path | None = None,
    prepared: Prepared | None = None,
    to_pdf: Callable[[str], bytes] | None = None,
) -> Path:
    """Render one audit; `prepared` is the audit as `prepare` read it when the caller has
    already, so it is not read nor checked twice; `to_pdf` lays out a PDF elsewhere."""
    from audit.judgement import scoring
    from audit.render import document, formats

    target = target_for(audit_path, out, fmt)
    prepared = prepared or prepare(audit_path, checklist)
    loaded, audit = prepared.loaded, prepared.audit
    words = i18n.use(i18n.choose(lang, audit.store.language))
    content = content_language(loaded.checklist, lang, audit.store.language, words)
    if fmt == "pdf":
        check_fonts(content)
    result = scoring.score(loaded.checklist, audit, content)
    comparison = None
    if baseline is not None:
        from audit.judgement import compare

        comparison = compare.compare([*compare.load([baseline]), (audit_path, loaded, audit)])
    report = document.build(loaded, audit, result, content, comparison, audit_path, prepared.drift)
    data = formats.pdf(report, to_pdf) if fmt == "pdf" else formats.RENDERERS[fmt](report)
    atomic_write(target, data)
    return target


def content_language(checklist: Checklist, *wanted: str | None) -> str:
    """The first wanted language the checklist has texts in, else its default."""
    return next((w for w in wanted if w and w in checklist.languages), checklist.default_language)


def check_fonts(language: str) -> None:
    """Refuse a PDF whose script would come out as empty boxes, naming the package to install."""
    from audit import system

    required = [n for n in system.missing_fonts(language) if n.required]
    if required:
        raise CxAuditError(
            _("PDF reports in {language} need {packages}").format(
                language=language, packages=", ".join(n.package for n in required)
            ),
            tip=f"sudo {system.apt_line(required)}",
        )


@dataclass
class Outcome:
    audit: Path
    target: Path | None
    error: list[str] | None
    warnings: list[str] = field(default_factory=list)


def render_job(audit_path: Path, fmt: str, out: Path | None, lang: str | None) -> Outcome:
    """One audit of a batch, in a worker process: errors come back as text, never raised."""
    try:
        return Outcome(audit_path, render(audit_path, fmt, out, lang), None, pdf_warnings(fmt))
    except CxAuditError as exc:
        return Outcome(audit_path, None, exc.lines())
    except OSError as exc:
        return Outcome(audit_path, None, [f"{exc.filename or audit_path}: {exc.strerror or exc}"])
    except Exception as exc:  # one audit's failure never stops the batch
        return Outcome(audit_path, None, [f"{audit_path}: {type(exc).__name__}: {exc}"])


def pdf_warnings(fmt: str) -> list[str]:
    """What WeasyPrint logged while laying out the last PDF (failed or refused loads, fonts).

    Declarations of our own stylesheet that WeasyPrint ignores ("Ignored `line-break: strict`
    at 23:80") are about the tool, not the report: they stay in pdf.WARNINGS, unshown.
    """
    if fmt != "pdf":
        return []
    from audit.render import pdf

    return [w for w in dict.fromkeys(pdf.WARNINGS) if not w.startswith("Ignored `")]


# --- batches ---------------------------------------------------------------------------

WORKER_MEMORY = 400 * 2**20  # peak of one worker laying out a long PDF, with headroom


def workers(requested: int | None, jobs: int) -> tuple[int, str | None]:
    """Processes for a batch: capped by cores, free memory and jobs; a note when capped."""
    cores = os.cpu_count() or 1
    free = _free_memory()
    by_memory = max(1, free // WORKER_MEMORY) if free else cores
    limit = max(1, min(cores, by_memory))
    chosen = max(1, min(requested or limit, limit, jobs))
    if requested is None or requested <= limit:
        return chosen, None
    note = _("--jobs {asked}: using {n} ({cores} cores, {free} GB of memory free)").format(
        asked=requested, n=limit, cores=cores, free=round(free / 2**30, 1) if free else "?"
    )
    return chosen, note


def _free_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def batch_targets(
    audit_paths: list[Path], fmt: str, out: Path | None
) -> tuple[list[tuple[Path, Path]], list[Outcome], list[str]]:
    """(audit, report file) for each audit given once, every report file distinct.

    Two audits that would write one file (`b1/audit.yaml` and `b2/audit.yaml` into one
    folder) get `audit.html` and `audit-2.html`, and a note says so. Returns the jobs, the
    audits refused at once, and the notes.
    """
    jobs: list[tuple[Path, Path]] = []
    refused: list[Outcome] = []
    notes: list[str] = []
    seen_audits: set[Path] = set()
    taken: dict[Path, Path] = {}
    for audit_path in audit_paths:
        try:
            real = resolved(audit_path)
            if real in seen_audits:
                notes.append(_("{path} is given twice: rendered once").format(path=audit_path))
                continue
            seen_audits.add(real)
            target = target_for(audit_path, out, fmt)
            first = target
            n = 1
            while resolved(target) in taken:
                n += 1
                target = first.with_name(f"{first.stem}-{n}{first.suffix}")
            if target != first:
                notes.append(
                    _("{path}: {first} is already the report of {other}; writing {target}").format(
                        path=audit_path, first=first, other=taken[resolved(first)], target=target
                    )
                )
            taken[resolved(target)] = audit_path
            jobs.append((audit_path, target))
        except CxAuditError as exc:
            refused.append(Outcome(audit_path, None, exc.lines()))
    return jobs, refused, notes


def render_batch(
    jobs: list[tuple[Path, Path]], fmt: str, lang: str | None, processes: int
) -> Iterator[Outcome]:
    """Render in worker processes, yielding each audit's outcome as it finishes.

    A worker that dies (killed, out of memory) breaks the pool: the audits it took down are
    tried once more in a new pool, then reported as failed, each on its own.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    tries: dict[Path, int] = {}
    pending = list(jobs)
    while pending:
        again = []
        with ProcessPoolExecutor(max_workers=min(processes, len(pending))) as pool:
            futures = {
                pool.submit(render_job, audit, fmt, target, lang): (audit, target)
                for audit, target in pending
            }
            for future in as_completed(futures):
                audit, target = futures[future]
                try:
                    yield future.result()
                except BrokenProcessPool:
                    tries[audit] = tries.get(audit, 0) + 1
                    if tries[audit] < 2:
                        again.append((audit, target))
                        continue
                    yield Outcome(
                        audit,
                        None,
                        [
                            _(
                                "{path}: the process rendering it stopped (killed, or out of "
                                "memory); {target} not written"
                            ).format(path=audit, target=target)
                        ],
                    )
        pending = again
