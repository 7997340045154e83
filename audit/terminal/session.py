"""The audit a `run` works on: an existing file resumed, or a new one from a few questions.

The session holds the audit's lock (see locking.py) from before the file is read until
`close()`, and its `saver` writes every answer. A default file name (`STORE-DATE.yaml`) is
resumed only when it is an audit of the same store; another store's audit is never taken over:
the new audit gets the next free name (`STORE-DATE-2.yaml`) and the user is told.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from audit import checklists, i18n
from audit.answers import audits
from audit.answers.locking import Saver, audit_lock
from audit.checklists import Loaded, drift
from audit.checklists.drift import Drift
from audit.errors import CxAuditError, UsageError
from audit.i18n import _
from audit.model import SEGMENTS, Audit, Store
from audit.render.reporting import content_language
from audit.terminal import isolate
from audit.terminal.walkthrough import default_out

SLUG_MAX = 60  # characters of the store name in a default file name


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
    saver: Saver | None = None
    held: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def save_pending(self) -> None:
        """Write an answer given but not yet on disk (a save cut short by Ctrl-C or a signal)."""
        if self.saver is not None and self.saver.unsaved(self.audit):
            self.saver.save(self.audit)

    def close(self) -> None:
        """Release the audit's lock."""
        self.held.close()


def open_session(
    checklist_ref: str | None,
    out: Path | None,
    store: str | None,
    segment: str | None,
    auditor: str | None,
    asker: Asker,
    lang: str | None = None,
    yes: bool = False,
    checklist_path: Path | None = None,
) -> Session:
    """The session for `run`, holding the audit's lock; call `close()` when done."""
    held = contextlib.ExitStack()
    try:
        session = _open(
            checklist_ref, out, store, segment, auditor, asker, lang, held, checklist_path, yes
        )
    except BaseException:
        held.close()
        raise
    session.held = held
    return session


def _open(
    checklist_ref: str | None,
    out: Path | None,
    store: str | None,
    segment: str | None,
    auditor: str | None,
    asker: Asker,
    lang: str | None,
    held: contextlib.ExitStack,
    checklist_path: Path | None = None,
    yes: bool = False,
) -> Session:
    store = store.strip() if store else store
    if out is not None and out.exists():
        held.enter_context(audit_lock(out))
        return _resume(checklist_ref, out, store, segment, auditor, asker, yes, checklist_path)
    loaded = checklists.load(checklist_path or checklist_ref or "ecommerce")
    # The audit is in the language chosen now (--lang, else the locale) if the checklist has it.
    language = content_language(loaded.checklist, lang, i18n.current())
    if asker.interactive:
        n = len(loaded.checklist.items)
        asker.notice(
            i18n.ngettext(
                "New audit: {title} ({n} item). Every answer is saved as soon as you give it.",
                "New audit: {title} ({n} items). Every answer is saved as soon as you give it.",
                n,
            ).format(title=checklists.title(loaded, language), n=n)
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
    if out is not None:
        path = out
        held.enter_context(audit_lock(path))
        if path.exists():  # created by someone else since we looked
            return _resume(checklist_ref, path, store, segment, auditor, asker, yes, checklist_path)
    else:
        path, resumable = _default_path(store, asker, held)
        if resumable:
            return _resume(checklist_ref, path, store, segment, auditor, asker, yes, checklist_path)
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
    saver = Saver.create(path, audit)
    return Session(loaded, audit, path, resumed=False, saver=saver)


def _default_path(store: str, asker: Asker, held: contextlib.ExitStack) -> tuple[Path, bool]:
    """`STORE-DATE.yaml`, or `-2`, `-3`... when that name holds another store's audit.

    Returns the path, locked, and whether it is this store's audit to resume.
    """
    first = default_out(store, audits.now().date().isoformat())
    stem = first.stem
    day = stem[-10:]
    slug = stem[: -len(day) - 1][:SLUG_MAX].rstrip("-") or "store"
    taken: list[str] = []
    for n in range(1, 1000):
        path = Path(f"{slug}-{day}.yaml" if n == 1 else f"{slug}-{day}-{n}.yaml")
        with contextlib.ExitStack() as lock:  # released unless handed over to `held`
            lock.enter_context(audit_lock(path))
            other = _store_of(path)
            if other is None or (other and _same_store(other, store)):
                _say_taken(asker, taken, path)
                held.enter_context(lock.pop_all())
                return path, other is not None
        taken.append(
            _("{path} is an audit of '{store}'").format(path=path, store=isolate(other))
            if other
            else _("{path} is not a readable audit").format(path=path)
        )
    raise UsageError(_("no free file name for this store's audit"), tip=_("pass --out FILE"))


def _store_of(path: Path) -> str | None:
    """The store name of the audit at `path`; None if there is no file, "" if unreadable."""
    if not path.exists():
        return None
    try:
        return audits.read(path).store.name
    except CxAuditError:
        return ""


def _say_taken(asker: Asker, taken: list[str], path: Path) -> None:
    if taken:
        asker.notice("; ".join(taken) + ": " + _("this audit is saved as {path}").format(path=path))


def _same_store(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _ask_segment(asker: Asker) -> str:
    while True:
        answer = asker.ask(_("Segment: b2c (consumers) or b2b (businesses)"), "b2c").strip().lower()
        if answer in SEGMENTS:
            return answer
        asker.problem(_("type b2c or b2b"))


def _confirm_segment(path: Path, old: str, new: str, asker: Asker, yes: bool) -> None:
    """Another segment asks other items and weighs them otherwise: only on purpose."""
    if yes:
        return
    what = _(
        "{path} is a {old} audit; --segment {new} changes which items apply and the score"
    ).format(path=path, old=old.upper(), new=new)
    if asker.interactive:
        reply = asker.ask(what + ". " + _("Change it? (y/N)")).strip().lower()
        if reply in ("y", "yes", _("y"), _("yes")):
            return
    raise UsageError(
        what,
        tip=_("leave out --segment to keep {old}, or add --yes to change it").format(
            old=old.upper()
        ),
    )


def _resume(
    checklist_ref: str | None,
    path: Path,
    store: str | None,
    segment: str | None,
    auditor: str | None,
    asker: Asker,
    yes: bool = False,
    checklist_path: Path | None = None,
) -> Session:
    saver = Saver.open(path)
    audit = saver.audit
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
    if segment and segment != audit.store.segment:
        _confirm_segment(path, audit.store.segment, segment, asker, yes)
    changes = {k: v for k, v in (("name", store), ("segment", segment), ("auditor", auditor)) if v}
    changes = {k: v for k, v in changes.items() if getattr(audit.store, k) != v}
    said = {
        "name": _("Store name changed from {old} to {new}."),
        "segment": _("Segment changed from {old} to {new}."),
        "auditor": _("Auditor changed from {old} to {new}."),
    }
    for key, value in changes.items():
        old = getattr(audit.store, key) or _("(none)")
        asker.notice(said[key].format(old=isolate(old), new=isolate(value)))
    if changes:
        audit.store = audit.store.model_copy(update=changes)
        audit.updated = audits.now()
        for text in saver.save(audit):
            asker.notice(text)
    # The audit now answers this version of the checklist (the drift is named first).
    changed = drift.check(audit, loaded)
    audit.checklist = audits.reference(loaded, path)
    return Session(loaded, audit, path, resumed=True, drift=changed, saver=saver)
