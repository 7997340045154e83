"""One writer per audit file, and no save that silently undoes someone else's edit.

Any command that changes an audit (`run`, `plan` edits, `measure`, evidence) does it like this:

    from audit.answers.locking import Saver, audit_lock

    with audit_lock(path):                 # AuditBusyError (exit 2) if another cxaudit has it
        saver = Saver.open(path)           # reads the audit, remembers the file's sha256
        audit = saver.audit
        ...change audit...
        for notice in saver.save(audit):   # a few lines for the user, maybe none
            print(notice)

`audit_lock` takes `.NAME.lock` beside the real file (a symbolic link is followed, so two links
to one audit share one lock) and holds it until the block ends, however it ends. The lock is
an `flock` on that file, which the system releases when its process dies, even by kill -9: a
lock left behind by a dead process is simply taken over. The file holds the holder's pid and
host, so the refusal can say who has it.

`Saver.save` checks, before writing, that the file on disk is still the one last read or
written (its sha256). If it is not (a hand edit in an editor, a tool that does not lock), it
reads it again and merges: what only the other side changed is kept, what only we changed is
written, and where both changed the same answer or field the file's version is kept and ours
is refused with a message. The audit object passed in is updated in place to what was saved,
so the caller goes on with the merged audit. New audits are written with `Saver.create`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.answers import audits
from audit.errors import CxAuditError
from audit.files import FileReadError, atomic_write, decode, read_capped, resolved
from audit.i18n import _
from audit.model import Audit
from audit.yamlio import dump

try:
    import fcntl
except ImportError:  # Windows: the lock file alone, with the pid check
    fcntl = None  # type: ignore[assignment]


class AuditBusyError(CxAuditError):
    """Another live cxaudit process is changing this audit."""


class AuditChangedError(CxAuditError):
    """The audit file was changed on disk into something that cannot be read: nothing saved."""


def lock_path(path: Path) -> Path:
    target = resolved(path)
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def audit_lock(path: Path) -> Iterator[Path]:
    """Hold the audit's lock for the block; yields the lock file's path."""
    where = lock_path(path)
    where.parent.mkdir(parents=True, exist_ok=True)  # `run --out new/folder/audit.yaml`
    fd = _acquire(where, path)
    try:
        yield where
    finally:
        with contextlib.suppress(OSError):
            where.unlink()  # still holding the lock: no one can take it between the two
        os.close(fd)


def _acquire(where: Path, path: Path) -> int:
    for _attempt in range(20):
        fd = os.open(where, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 200).decode("utf-8", "replace").split()
                os.close(fd)
                raise _busy(path, where, holder) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(where).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the holder removed the file as we opened it: try the new one
                os.close(fd)
                continue
        else:
            holder = os.read(fd, 200).decode("utf-8", "replace").split()
            if holder and _alive(holder):
                os.close(fd)
                raise _busy(path, where, holder)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        return fd
    raise _busy(path, where, [])


def _alive(holder: list[str]) -> bool:
    """Whether the pid in a lock file (written on this host) is a running process."""
    if len(holder) > 1 and holder[1] != socket.gethostname():
        return True  # another machine's process: we cannot tell, so assume it runs
    if os.name == "nt":
        return True  # os.kill(pid, 0) would terminate the process there
    try:
        os.kill(int(holder[0]), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _busy(path: Path, where: Path, holder: list[str]) -> AuditBusyError:
    who = _("process {pid}").format(pid=holder[0]) if holder else _("another process")
    if len(holder) > 1 and holder[1] != socket.gethostname():
        who += " " + _("on {host}").format(host=holder[1])
    return AuditBusyError(
        _("{path} is being changed by another cxaudit ({who}); nothing was written").format(
            path=path, who=who
        ),
        tip=_("wait until it has finished, then run the command again (lock file: {lock})").format(
            lock=where
        ),
    )


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


class Saver:
    """Saves one audit, merging with changes made to its file since it was last read."""

    def __init__(self, path: Path, audit: Audit, data: bytes | None) -> None:
        self.path = path
        self.audit = audit
        self.digest = _digest(data)
        self.base: dict[str, Any] = audit.to_yaml()

    @classmethod
    def open(cls, path: Path) -> Saver:
        """Read the audit at `path` (AuditFileError, NotFoundError as audits.read raises)."""
        data = _read_bytes(path)
        if data is None:
            audits.read(path)  # raises the usual "no such audit file"
        assert data is not None
        return cls(path, audits.parsed(_decode(data, path), path), data)

    @classmethod
    def create(cls, path: Path, audit: Audit) -> Saver:
        """Write a new audit and remember it."""
        data = dump(audit.to_yaml()).encode("utf-8")
        atomic_write(path, data)
        return cls(path, audit, data)

    def unsaved(self, audit: Audit) -> bool:
        """Whether `audit` differs from what this saver last wrote or read."""
        return audit.to_yaml() != self.base

    def save(self, audit: Audit) -> list[str]:
        """Write `audit`, merged with any change on disk; returns notices for the user."""
        notices: list[str] = []
        on_disk = _read_bytes(self.path)
        if _digest(on_disk) != self.digest:
            if on_disk is None:
                notices.append(
                    _("{path} was removed or moved while open: written again").format(
                        path=self.path
                    )
                )
            else:
                notices += self._merge_into(audit, on_disk)
        data = dump(audit.to_yaml()).encode("utf-8")
        atomic_write(self.path, data)
        self.digest = _digest(data)
        self.base = audit.to_yaml()
        self.audit = audit
        return notices

    def _merge_into(self, audit: Audit, on_disk: bytes) -> list[str]:
        try:
            theirs = audits.parsed(_decode(on_disk, self.path), self.path)
        except CxAuditError as exc:
            what = _("{path} was changed on disk and cannot be read; the last answer was not saved")
            raise AuditChangedError(
                what.format(path=self.path) + "\n" + exc.message,
                tip=_("fix the file (or undo the edit), then resume with: {command}").format(
                    command=f"cxaudit run --out {self.path}"
                ),
            ) from None
        merged, taken, refused = merge(self.base, audit.to_yaml(), theirs.to_yaml())
        result = Audit.model_validate(merged)
        for name in Audit.model_fields:
            setattr(audit, name, getattr(result, name))
        notices = []
        if taken:
            notices.append(
                _("{path} was changed meanwhile; kept its changes to {what}").format(
                    path=self.path, what=", ".join(taken)
                )
            )
        for where, mine, kept in refused:
            notices.append(
                _(
                    "{what}: not saved: the file was changed meanwhile to {kept}; yours was {mine}"
                ).format(what=where, kept=_short(kept), mine=_short(mine))
            )
        return notices


def _read_bytes(path: Path) -> bytes | None:
    try:
        return read_capped(path)
    except FileNotFoundError:
        return None
    except FileReadError as exc:
        raise AuditChangedError(exc.message) from None


def _decode(data: bytes, path: Path) -> str:
    try:
        return decode(data, path)
    except FileReadError as exc:
        raise AuditChangedError(exc.message) from None


def _short(value: Any) -> str:
    text = "-" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


_KEYED = ("answers", "actions", "store", "plan", "checklist")  # merged entry by entry
_MISSING = object()


def merge(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str], list[tuple[str, Any, Any]]]:
    """Three-way merge of audit files as dicts: (merged, what was taken from theirs, conflicts).

    A conflict is (where, mine, theirs): both sides changed it differently; theirs is kept.
    """
    merged: dict[str, Any] = {}
    taken: list[str] = []
    refused: list[tuple[str, Any, Any]] = []
    for key in dict.fromkeys([*theirs, *mine]):
        b, m, t = base.get(key, _MISSING), mine.get(key, _MISSING), theirs.get(key, _MISSING)
        if key == "updated":
            merged[key] = max(v for v in (m, t) if v is not _MISSING)
            continue
        if key in _KEYED and all(isinstance(v, dict) or v is _MISSING for v in (b, m, t)):
            sub, sub_taken, sub_refused = _merge_entries(
                key,
                {} if b is _MISSING else b,
                {} if m is _MISSING else m,
                {} if t is _MISSING else t,
            )
            if sub or key in ("answers", "store", "checklist"):
                merged[key] = sub
            taken += sub_taken
            refused += sub_refused
            continue
        value = _pick(key, b, m, t, taken, refused)
        if value is not _MISSING:
            merged[key] = value
    return merged, taken, refused


def _merge_entries(
    section: str, base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str], list[tuple[str, Any, Any]]]:
    out: dict[str, Any] = {}
    taken: list[str] = []
    refused: list[tuple[str, Any, Any]] = []
    for key in dict.fromkeys([*theirs, *mine]):
        where = str(key) if section == "answers" else f"{section}.{key}"
        value = _pick(
            where,
            base.get(key, _MISSING),
            mine.get(key, _MISSING),
            theirs.get(key, _MISSING),
            taken,
            refused,
        )
        if value is not _MISSING:
            out[key] = value
    return out, taken, refused


def _pick(
    where: str, base: Any, mine: Any, theirs: Any, taken: list[str], refused: list[tuple]
) -> Any:
    if mine == theirs:
        return theirs
    if mine == base:
        taken.append(where)
        return theirs
    if theirs == base:
        return mine
    refused.append(
        (where, None if mine is _MISSING else mine, None if theirs is _MISSING else theirs)
    )
    return theirs
