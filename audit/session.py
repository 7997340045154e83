"""The audit a `run` works on: an existing file resumed, or a new one from a few questions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from audit import audits, checklists, drift, i18n
from audit.checklists import Loaded
from audit.drift import Drift
from audit.errors import UsageError
from audit.i18n import _
from audit.model import SEGMENTS, Audit, Store
from audit.reporting import content_language
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
    drift: Drift | None = None  # the checklist changed since the audit was last answered


def open_session(
    checklist_ref: str | None,
    out: Path | None,
    store: str | None,
    segment: str | None,
    auditor: str | None,
    asker: Asker,
    lang: str | None = None,
    checklist_path: Path | None = None,
) -> Session:
    if out is not None and out.exists():
        return _resume(checklist_ref, out, store, segment, auditor, checklist_path)
    loaded = checklists.load(checklist_path or checklist_ref or "ecommerce")
    if asker.interactive:
        cl = loaded.checklist
        asker.notice(
            _(
                "New audit: {title} ({n} items). Every answer is saved as soon as you give it."
            ).format(title=checklists.title(loaded), n=len(cl.items))
        )
    if not store:
        if not asker.interactive:
            raise UsageError(
                _("a new audit needs the store's name"),
                tip=_("pass --store NAME (standard input is not a terminal)"),
            )
        while not store:
            store = asker.ask(_("Store name")).strip()
    if segment is None:
        segment = _ask_segment(asker) if asker.interactive else "b2c"
    if auditor is None and asker.interactive:
        auditor = asker.ask(_("Auditor (Enter to leave empty)")).strip() or None
    path = out or default_out(store, audits.now().date().isoformat())
    if path.exists():
        return _resume(checklist_ref, path, store, segment, auditor, checklist_path)
    # The audit is in the language chosen now (--lang, else the locale) if the checklist has it.
    language = content_language(loaded.checklist, lang, i18n.current())
    audit = audits.new(
        loaded,
        Store(
            name=store,
            segment=segment,  # type: ignore[arg-type]  # checked against SEGMENTS above
            auditor=auditor,
            language=language,
        ),
        path,
    )
    audits.save(audit, path)
    return Session(loaded, audit, path, resumed=False)


def _ask_segment(asker: Asker) -> str:
    while True:
        answer = asker.ask(_("Segment: b2c (consumers) or b2b (businesses)"), "b2c").strip().lower()
        if answer in SEGMENTS:
            return answer
        asker.problem(_("type b2c or b2b"))


def _resume(
    checklist_ref: str | None,
    path: Path,
    store: str | None,
    segment: str | None,
    auditor: str | None,
    checklist_path: Path | None = None,
) -> Session:
    audit = audits.read(path)
    if checklist_path is not None:
        loaded = drift.given(audit, path, checklist_path)
    else:
        loaded = audits.checklist_of(audit, path)
    if checklist_ref is not None:
        wanted = checklists.load(checklist_ref).checklist.id
        if wanted != loaded.checklist.id:
            raise UsageError(
                _("{path} is an audit on the '{used}' checklist, not '{wanted}'").format(
                    path=path, used=loaded.checklist.id, wanted=wanted
                ),
                tip=_(
                    "leave out the checklist to resume it, or choose another --out for a new audit"
                ),
            )
    changes = {k: v for k, v in (("name", store), ("segment", segment), ("auditor", auditor)) if v}
    if changes:
        audit.store = audit.store.model_copy(update=changes)
    # The audit now answers this version of the checklist (the drift is named first).
    changed = drift.check(audit, loaded)
    audit.checklist = audits.reference(loaded, path)
    return Session(loaded, audit, path, resumed=True, drift=changed)
