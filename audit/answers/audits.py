"""Read and write audit files. Every write is atomic: an answer once given is on disk."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from audit import checklists
from audit.checklists import Loaded
from audit.errors import AuditFileError, NotFoundError, Problem
from audit.files import FileReadError, atomic_write, decode, read_capped, resolved
from audit.i18n import _
from audit.model import Audit, ChecklistRef, Store
from audit.validation import validate
from audit.yamlio import dump, parse


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def new(loaded: Loaded, store: Store, audit_path: Path) -> Audit:
    stamp = now()
    return Audit(
        cxaudit=1,
        checklist=reference(loaded, audit_path),
        store=store,
        started=stamp,
        updated=stamp,
        answers={},
    )


def reference(loaded: Loaded, audit_path: Path) -> ChecklistRef:
    """How the audit names its checklist: a shipped one by id, any other by path."""
    path = None
    if not loaded.shipped:
        target = loaded.path.resolve()
        try:
            path = os.path.relpath(target, audit_path.resolve().parent)
        except ValueError:  # another drive on Windows
            path = str(target)
    cl = loaded.checklist
    return ChecklistRef(id=cl.id, version=cl.version, sha256=loaded.sha256, path=path)


def read(path: Path) -> Audit:
    """Parse and validate an audit file; raise AuditFileError with every problem."""
    return parsed(read_text(path), path)


def read_text(path: Path) -> str:
    """The text of an audit file: a regular file under the size cap, in UTF-8."""
    try:
        return decode(read_capped(path), path)
    except FileNotFoundError:
        raise NotFoundError(_("{path}: no such audit file").format(path=path)) from None
    except FileReadError as exc:
        column = 1 if exc.line else 0
        raise AuditFileError([Problem(str(path), exc.line, column, exc.why)]) from None


_AUDIT_KEY = re.compile(r"^cxaudit\s*:", re.MULTILINE)


def looks_like_audit(text: str) -> bool:
    """Whether the text has the top-level `cxaudit:` key, checked before any parsing."""
    return _AUDIT_KEY.search(text) is not None


def parsed(text: str, path: Path) -> Audit:
    """The audit in `text` (read from `path`), validated; AuditFileError with every problem."""
    doc, problems = parse(text, str(path))
    if not problems and (not isinstance(doc.data, dict) or "cxaudit" not in doc.data):
        raise _foreign(path, doc.data)
    if problems:
        raise AuditFileError(problems)
    audit, problems = validate(doc, Audit)
    if problems:
        raise AuditFileError(
            problems, _("Fix the lines above in the audit file; no answer was changed.")
        )
    return audit


def _foreign(path: Path, data: object) -> AuditFileError:
    looks_like_checklist = isinstance(data, dict) and "items" in data and "categories" in data
    what = _("the file is empty") if data is None else _("not a cxaudit audit file")
    problem = Problem(str(path), 1, 1, what + " " + _("(an audit starts with `cxaudit: 1`)"))
    advice = (
        _("This looks like a checklist: start an audit on it with `cxaudit run {path}`.").format(
            path=path
        )
        if looks_like_checklist
        else None
    )
    return AuditFileError([problem], advice)


def checklist_of(audit: Audit, audit_path: Path) -> Loaded:
    """Find the checklist an audit was made with, by path (relative to the audit) or id."""
    ref = audit.checklist
    if ref.path:
        candidate = Path(ref.path)
        if not candidate.is_absolute():  # relative to the real file, as `reference` wrote it
            candidate = resolved(audit_path).parent / candidate
        if not candidate.is_file():
            raise NotFoundError(
                _("{audit}: its checklist {path} is not there any more").format(
                    audit=audit_path, path=ref.path
                ),
                tip=_("put the checklist back, or give its new place with --checklist PATH"),
            )
        return checklists.load(candidate)
    try:
        return checklists.load(ref.id)
    except NotFoundError:
        raise NotFoundError(
            _("{audit}: its checklist '{id}' is not a shipped checklist").format(
                audit=audit_path, id=ref.id
            ),
            tip=_("add `path:` to the `checklist:` mapping of the audit file"),
        ) from None


def load_with_checklist(path: Path) -> tuple[Loaded, Audit]:
    audit = read(path)
    return checklist_of(audit, path), audit


def save(audit: Audit, path: Path) -> None:
    """Write the audit atomically (see files.atomic_write): an answer once given is on disk."""
    atomic_write(path, dump(audit.to_yaml()).encode("utf-8"))
