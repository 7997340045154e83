"""`cxaudit demo`: a complete audit of a fictional store, and its report."""

from __future__ import annotations

from pathlib import Path

from audit import reporting, resources
from audit.files import atomic_write


def demo_audit() -> Path:
    return resources.reports_dir() / "demo" / "demo-audit.yaml"


def write(out_dir: Path, lang: str | None = None, fmt: str = "pdf") -> tuple[Path, Path]:
    """Copy the shipped demo audit into `out_dir` and render it there."""
    audit_path = out_dir / "demo-audit.yaml"
    atomic_write(audit_path, demo_audit().read_bytes())
    report = reporting.render(audit_path, fmt, None, lang)
    return audit_path, report
