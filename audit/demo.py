"""`cxaudit demo`: a complete audit of a fictional store, and its report."""

from __future__ import annotations

from pathlib import Path

from audit import resources
from audit.files import atomic_write
from audit.render import reporting


def demo_audit(language: str = "en") -> Path:
    """The demo store's audit, with its notes written in `language` where we ship that."""
    folder = resources.reports_dir() / "demo"
    translated = folder / f"demo-audit.{language}.yaml"
    return translated if translated.is_file() else folder / "demo-audit.yaml"


def write(out_dir: Path, language: str = "en", fmt: str = "pdf") -> tuple[Path, Path]:
    """Copy the demo audit into `out_dir` and render it there, in `language`."""
    name = "demo-audit.yaml" if language == "en" else f"demo-audit.{language}.yaml"
    audit_path = out_dir / name
    atomic_write(audit_path, demo_audit(language).read_bytes())
    copy_evidence(audit_path)
    report = reporting.render(audit_path, fmt, None, language)
    return audit_path, report


def copy_evidence(audit_path: Path) -> Path:
    """The demo's screenshots and test-order note, into `<audit stem>.evidence/` beside it.

    One folder ships for the four languages; each demo audit refers to its own folder name.
    """
    shipped = resources.reports_dir() / "demo" / "demo-audit.evidence"
    folder = audit_path.with_name(audit_path.stem + ".evidence")
    folder.mkdir(exist_ok=True)
    for source in sorted(shipped.iterdir()):
        if source.is_file():
            atomic_write(folder / source.name, source.read_bytes())
    return folder


def write_baseline(out_dir: Path) -> Path:
    """The same store a quarter earlier, for `compare` and `report --baseline` (English notes)."""
    path = out_dir / "demo-audit-2026-08.yaml"
    atomic_write(path, (resources.reports_dir() / "demo" / path.name).read_bytes())
    return path
