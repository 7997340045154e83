"""Open the audit a `run` works on: resume an existing file, or create one from answers to a few questions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from audit import audits, checklists
from audit.checklists import Loaded
from audit.errors import UsageError
from audit.model import SEGMENTS, Audit, Store
from audit.walkthrough import default_out


class Asker(Protocol):
    interactive: bool

    def ask(self, question: str, default: str | None = None) -> str: ...
    def problem(self, text: str) -> None: ...
    def notice(self, text: str) -> None: ...


@dataclass
class Session:
    loaded: Loaded
    audit: Audit
    path: Path
    resumed: bool


def open_session(checklist_ref: str | None, out: Path | None, store: str | None,
                 segment: str | None, auditor: str | None, asker: Asker) -> Session:
    if out is not None and out.exists():
        return _resume(checklist_ref, out, store, segment, auditor)
    loaded = checklists.load(checklist_ref or "ecommerce")
    if asker.interactive:
        cl = loaded.checklist
        asker.notice(f"New audit: {checklists.title(loaded)} ({len(cl.items)} items). "
                     f"Every answer is saved as soon as you give it.")
    if not store:
        if not asker.interactive:
            raise UsageError("a new audit needs the store's name",
                             tip="pass --store NAME (standard input is not a terminal)")
        while not store:
            store = asker.ask("Store name").strip()
    if segment is None:
        segment = _ask_segment(asker) if asker.interactive else "b2c"
    if auditor is None and asker.interactive:
        auditor = asker.ask("Auditor (Enter to leave empty)").strip() or None
    path = out or default_out(store, audits.now().date().isoformat())
    if path.exists():
        return _resume(checklist_ref, path, store, segment, auditor)
    audit = audits.new(loaded, Store(name=store, segment=segment, auditor=auditor,  # type: ignore[arg-type]
                                     language=loaded.checklist.default_language), path)
    audits.save(audit, path)
    return Session(loaded, audit, path, resumed=False)


def _ask_segment(asker: Asker) -> str:
    while True:
        answer = asker.ask("Segment: b2c (consumers) or b2b (businesses)", "b2c").strip().lower()
        if answer in SEGMENTS:
            return answer
        asker.problem("type b2c or b2b")


def _resume(checklist_ref: str | None, path: Path, store: str | None, segment: str | None,
            auditor: str | None) -> Session:
    audit = audits.read(path)
    loaded = audits.checklist_of(audit, path)
    if checklist_ref is not None:
        wanted = checklists.load(checklist_ref).checklist.id
        if wanted != loaded.checklist.id:
            raise UsageError(
                f"{path} is an audit on the '{loaded.checklist.id}' checklist, not '{wanted}'",
                tip=f"leave out the checklist to resume it, or choose another --out for a new audit",
            )
    changes = {k: v for k, v in (("name", store), ("segment", segment), ("auditor", auditor)) if v}
    if changes:
        audit.store = audit.store.model_copy(update=changes)
    # The audit now answers this version of the checklist.
    audit.checklist = audits.reference(loaded, path)
    return Session(loaded, audit, path, resumed=True)
