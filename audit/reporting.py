"""Render an audit to a report file: load, score, build the document, write atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audit import i18n, scoring
from audit.errors import CxAuditError, UsageError
from audit.files import atomic_write
from audit.i18n import _
from audit.model import Checklist

SUFFIXES = {"pdf": ".pdf", "html": ".html", "md": ".md", "json": ".json", "csv": ".csv"}


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
    if target.resolve() == audit_path.resolve():
        raise UsageError(
            _("{target}: will not write the report over the audit file itself").format(
                target=target
            ),
            tip=_("choose another file with -o"),
        )
    return target


def render(
    audit_path: Path,
    fmt: str = "pdf",
    out: Path | None = None,
    lang: str | None = None,
    baseline: Path | None = None,
    checklist: Path | None = None,
) -> Path:
    from audit import drift
    from audit.render import document, formats

    target = target_for(audit_path, out, fmt)
    # The checklist drift is drift.check(audit, loaded): None, or what changed since the audit.
    loaded, audit = drift.load_with_checklist(audit_path, checklist)
    words = i18n.use(i18n.choose(lang, audit.store.language))
    content = content_language(loaded.checklist, lang, audit.store.language, words)
    if fmt == "pdf":
        check_fonts(content)
    result = scoring.score(loaded.checklist, audit, content)
    comparison = None
    if baseline is not None:
        from audit import compare

        comparison = compare.compare([*compare.load([baseline]), (audit_path, loaded, audit)])
    report = document.build(loaded, audit, result, content, comparison, audit_path)
    atomic_write(target, formats.RENDERERS[fmt](report))
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


def render_job(audit_path: Path, fmt: str, out: Path | None, lang: str | None) -> Outcome:
    """One audit of a batch, in a worker process: errors come back as text, never raised."""
    try:
        return Outcome(audit_path, render(audit_path, fmt, out, lang), None)
    except CxAuditError as exc:
        return Outcome(audit_path, None, exc.lines())
    except OSError as exc:
        return Outcome(audit_path, None, [f"{exc.filename or audit_path}: {exc.strerror or exc}"])
