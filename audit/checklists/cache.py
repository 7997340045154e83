"""Checklists as loaded before: parsing and validating the 124-item ecommerce checklist takes
0.05 s of every command that reads it, reading the result back 0.006 s.

One entry per checklist file, in the user's cache folder (resources.cache_dir). An entry holds the
sha256 of every file the checklist was built from (itself, then what it `extends`) and is
used only while they all match, under the same code that made it (cxaudit's loading modules,
pydantic, Python) and in the same language (warnings are worded in it). An entry that does not
read back is ignored and written again; where nothing can be written, nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from audit import resources
from audit.checklists.loaded import Loaded


def get(path: Path, raw: bytes) -> Loaded | None:
    """The checklist loaded from `path` (whose bytes are `raw`) before, if still the same."""
    entry = _entry(path)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as stored:
            stamp, given, hashes, loaded = pickle.load(stored)
    except Exception:  # missing, cut short, or from code that no longer unpickles it
        return None
    # `given`: the path as spelt, which the warnings quote
    if (stamp, given) != (_stamp(), str(path)) or not hashes or hashes[0] != _sha256(raw):
        return None
    for source, digest in zip(loaded.sources[1:], hashes[1:], strict=True):
        try:
            if _sha256(source.read_bytes()) != digest:
                return None
        except OSError:
            return None
    return loaded


def put(path: Path, raw: bytes, loaded: Loaded) -> None:
    """Keep a checklist just loaded from `path`; a cache that cannot be written is skipped."""
    entry = _entry(path)
    if entry is None:
        return
    try:
        hashes = [_sha256(raw)] + [_sha256(s.read_bytes()) for s in loaded.sources[1:]]
        fd, tmp = tempfile.mkstemp(prefix=".checklist-", dir=entry.parent)
        with os.fdopen(fd, "wb") as out:
            entry_data = (_stamp(), str(path), hashes, loaded)
            pickle.dump(entry_data, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)  # readers see the old entry or the new one, never half of one
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        return
    _prune(entry.parent)


KEPT = 32  # checklists kept (about 1 MB each for the shipped one); the oldest written go first


def _prune(folder: Path) -> None:
    entries = []
    for entry in folder.glob("checklist-*.pickle"):
        with contextlib.suppress(OSError):  # removed meanwhile by another run
            entries.append((entry.stat().st_mtime_ns, entry))
    for _mtime, entry in sorted(entries, reverse=True)[KEPT:]:
        with contextlib.suppress(OSError):
            entry.unlink()


def _entry(path: Path) -> Path | None:
    folder = resources.cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32]
    return folder / f"checklist-{key}.pickle"


def _stamp() -> str:
    """The code and language an entry was made with: an entry made otherwise is not used."""
    import pydantic

    import audit
    from audit import i18n

    package = Path(audit.__file__).parent
    parts = [audit.__version__, pydantic.VERSION, sys.version, i18n.current()]
    files = [package / name for name in LOADING_CODE]
    files += sorted(package.glob("locale/*/LC_MESSAGES/*.mo"))  # the warnings' wording
    for file in files:
        info = file.stat()
        parts.append(f"{file.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


# The modules whose code decides what a loaded checklist is.
LOADING_CODE = (
    "model.py",
    "validation.py",
    "yamlio.py",
    "checklists/__init__.py",
    "checklists/inheritance.py",
    "checklists/units.py",
    "checklists/loaded.py",
)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
