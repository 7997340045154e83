"""A checklist loaded and validated, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from audit.errors import Problem
from audit.model import Checklist


@dataclass
class Loaded:
    """A checklist together with where it came from."""

    checklist: Checklist
    path: Path
    sha256: str
    shipped: bool
    warnings: list[Problem] = field(default_factory=list)
    # The files it was built from: itself, then the checklists it extends, if any.
    sources: list[Path] = field(default_factory=list)
