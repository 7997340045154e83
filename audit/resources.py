"""The only module that knows where the shipped checklists and report templates live, and
where cxaudit keeps what it may rebuild (its cache)."""

from __future__ import annotations

import os
import stat
from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """`checklists` or `reports`: inside the installed package (audit/data/, apart from the
    code packages of the same names), else beside the package in a checkout."""
    packaged = Path(str(resources.files("audit") / "data" / name))
    if packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parent.parent / name
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError(f"cxaudit is installed without its {name}/ folder")


def checklists_dir() -> Path:
    return data_dir("checklists")


def reports_dir() -> Path:
    return data_dir("reports")


def shipped_checklists() -> dict[str, Path]:
    """Shipped checklist id -> file. The id is the file name; the loader checks it matches."""
    return {p.stem: p for p in sorted(checklists_dir().glob("*.yaml"))}


def released_checklist(checklist_id: str, version: str) -> Path | None:
    """A shipped checklist as released at `version`: checklists/history/ID-VERSION.yaml, if kept."""
    path = checklists_dir() / "history" / f"{checklist_id}-{version}.yaml"
    return path if path.is_file() else None


def released_checklists() -> list[Path]:
    """Every kept release of a shipped checklist."""
    return sorted((checklists_dir() / "history").glob("*.yaml"))


def cache_dir() -> Path | None:
    """The user's cxaudit cache folder ($XDG_CACHE_HOME/cxaudit, else ~/.cache/cxaudit), made
    0700; None where it cannot be had or is not the user's alone (then nothing is cached)."""
    if not hasattr(os, "getuid"):  # no owner to check (Windows)
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        if not os.path.isabs(base):  # unset, or relative: the XDG spec says to ignore it
            base = os.path.join(Path.home(), ".cache")
        folder = Path(base) / "cxaudit"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if info.st_uid != os.getuid() or not stat.S_ISDIR(info.st_mode):
            return None  # someone else's, or a link to elsewhere
        if info.st_mode & 0o077:  # ours, but open to others: close it first
            folder.chmod(0o700)
    except (OSError, RuntimeError):  # no home, a read-only home
        return None
    return folder
