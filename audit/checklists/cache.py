"""Checklists as loaded before: parsing and validating the 124-item ecommerce checklist takes
0.05 s of every command that reads it, reading the result back 0.006 s.

One entry per checklist file, in the user's cache folder (resources.cache_dir). An entry holds
the sha256 of every file the checklist was built from (itself, then what it `extends`) and is
used only while they all match, under the same code that made it (the content of cxaudit's
loading modules, PyYAML, pydantic, Python) and in the same language (warnings are worded in
it). A base changed while it was being read is not kept. Anything that goes wrong here only
means the checklist is read from its files, as without a cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

from audit import resources
from audit.checklists.loaded import Loaded

KEPT = 32  # checklists kept (about 1 MB each for the shipped one); the oldest written go first
RACY = 2_000_000_000  # ns: a base written this close to its reading may have changed under it

# The modules whose code decides what a loaded checklist is, and how its warnings read.
LOADING_CODE = (
    "model.py",
    "validation.py",
    "yamlio.py",
    "errors.py",
    "files.py",
    "i18n.py",
    "terminal/__init__.py",
    "checklists/__init__.py",
    "checklists/inheritance.py",
    "checklists/units.py",
    "checklists/loaded.py",
)


def get(path: Path, raw: bytes) -> Loaded | None:
    """The checklist loaded from `path` (whose bytes are `raw`) before, if still the same."""
    try:
        entry = _entry(path)
        if entry is None:
            return None
        with open(entry, "rb") as stored:
            stamp, given, hashes, loaded = pickle.load(stored)
        # `given`: the path as spelt, which the warnings quote
        if (stamp, given) != (_stamp(), str(path)) or hashes != _hashes(raw, loaded.sources):
            return None
        return loaded
    except Exception:  # missing, cut short, made by code that no longer reads it back
        return None


def put(path: Path, raw: bytes, loaded: Loaded, read_at: int) -> None:
    """Keep a checklist loaded from `path` (read from `read_at`, time.time_ns())."""
    tmp = None
    try:
        entry = _entry(path)
        if entry is None:
            return
        bases = loaded.sources[1:]
        if any(base.stat().st_mtime_ns > read_at - RACY for base in bases):
            return  # a base saved while we read it: its hash might not be of what we parsed
        fd, tmp = tempfile.mkstemp(prefix=".checklist-", suffix=".tmp", dir=entry.parent)
        with os.fdopen(fd, "wb") as out:
            kept = (_stamp(), str(path), _hashes(raw, loaded.sources), loaded)
            pickle.dump(kept, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)  # readers see the old entry or the new one, never half of one
        tmp = None
        _prune(entry.parent)
    except Exception:  # the cache is a convenience: a checklist that loaded stays loaded
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _hashes(raw: bytes, sources: list[Path]) -> list[str]:
    """The sha256 of the checklist's own bytes, then of each base as it is on disk now."""
    return [_sha256(raw)] + [_sha256(base.read_bytes()) for base in sources[1:]]


def _entry(path: Path) -> Path | None:
    folder = resources.cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32]
    return folder / f"checklist-{key}.pickle"


def _prune(folder: Path) -> None:
    """At most KEPT entries; temp files a killed run left are removed after a day."""
    entries = []
    for entry in folder.glob("checklist-*.pickle"):
        with contextlib.suppress(OSError):  # removed meanwhile by another run
            entries.append((entry.stat().st_mtime_ns, entry))
    stale = [entry for _mtime, entry in sorted(entries, reverse=True)[KEPT:]]
    day_ago = time.time() - 86400
    for left in folder.glob(".checklist-*.tmp"):
        with contextlib.suppress(OSError):
            if left.stat().st_mtime < day_ago:
                stale.append(left)
    for entry in stale:
        with contextlib.suppress(OSError):
            entry.unlink()


def _stamp() -> str:
    """The code and language an entry was made with: an entry made otherwise is not used."""
    from audit import i18n

    return f"{_code()}|{i18n.current()}"


@functools.cache  # the code does not change under a running process: read it once
def _code() -> str:
    import pydantic
    import yaml

    import audit

    package = Path(audit.__file__).parent
    parts = [
        audit.__version__,
        f"pydantic {pydantic.VERSION}",
        f"PyYAML {yaml.__version__} {'C' if hasattr(yaml, 'CSafeLoader') else 'Python'}",
        sys.version,
    ]
    code = hashlib.sha256()
    for name in LOADING_CODE:
        code.update((package / name).read_bytes())
    parts.append(code.hexdigest())
    for catalogue in sorted(package.glob("locale/*/LC_MESSAGES/*.mo")):  # the warnings' words
        info = catalogue.stat()
        parts.append(f"{catalogue.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
