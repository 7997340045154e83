"""Files read with care and written atomically.

Writes: temp file in the target's folder, fsync, rename, fsync the folder. A crash, a kill or
Ctrl-C leaves either the old file or the new one, never half of one. A symbolic link is
written through (its target is replaced, the link stays), new files are private (0600: audits
and reports hold client notes), an existing file keeps its mode, and temp files left by a
killed save are removed on the next save.

Reads: only regular files, only up to a size cap, so that /dev/zero, a FIFO or a stray
200 MB file never hangs or floods a command.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path

from audit.errors import CxAuditError
from audit.i18n import _

AUDIT_MAX_BYTES = 10 * 1024 * 1024  # an 80-item audit is ~10 KB
STALE_TMP_SECONDS = 60  # a temp file older than this belongs to a save that died


class FileReadError(CxAuditError):
    """A file that is not a regular file, is too large, or cannot be read as UTF-8 text."""

    def __init__(self, path: Path | str, why: str, line: int = 0) -> None:
        self.path, self.why, self.line = str(path), why, line
        super().__init__(f"{path}:{line}: {why}" if line else f"{path}: {why}")


def resolved(path: Path) -> Path:
    """The real file a path names, following symbolic links; a loop is an error, not a crash."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:  # Python 3.11 raises RuntimeError on a loop
        why = _("symbolic link loop") if isinstance(exc, RuntimeError) else exc.strerror
        raise FileReadError(path, _("cannot follow this path ({why})").format(why=why)) from None


def read_capped(path: Path, limit: int = AUDIT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FileReadError otherwise.

    Opened without blocking, then checked on the open descriptor: a FIFO or a device is
    refused before a single byte is read. FileNotFoundError passes through.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileReadError(path, _("cannot read ({why})").format(why=exc.strerror)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(path, _("not a regular file"))
        if info.st_size > limit:
            raise _too_large(path, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while we read it
            raise _too_large(path, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise FileReadError(path, _("cannot read ({why})").format(why=exc.strerror)) from None
    finally:
        os.close(fd)


def _too_large(path: Path, limit: int) -> FileReadError:
    return FileReadError(path, _("larger than {size} MB; not read").format(size=limit // 2**20))


def decode(raw: bytes, path: Path | str) -> str:
    """UTF-8 text (a leading BOM dropped); UTF-16 and other encodings named in the error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:64]):
        raise FileReadError(path, _("the file is UTF-16 text; save it as UTF-8 and try again"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        why = _("not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8")
        raise FileReadError(path, why.format(byte=raw[exc.start]), line) from None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace the file `path` names with `data`; an OSError names the file it was about."""
    target = resolved(path)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            mode: int | None = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = None  # mkstemp's 0600: new audits and reports are private
        _remove_stale_temps(folder, target.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _about(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)  # keep the file as readable as it was
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _about(exc, path) from None
        raise
    with contextlib.suppress(OSError):  # some file systems cannot fsync a folder
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _about(exc: OSError, path: Path) -> OSError:
    """The same error, naming the file the user asked for rather than a temp file."""
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


def _remove_stale_temps(folder: Path, name: str) -> None:
    cutoff = time.time() - STALE_TMP_SECONDS
    for stale in folder.glob(f".{_glob_escape(name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if stale.is_file() and stale.lstat().st_mtime < cutoff:
                stale.unlink()


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
