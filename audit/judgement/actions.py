"""`cxaudit plan`: edit the action plan's bookkeeping in the audit file, or write it out.

The rules that place actions are in plan.py; this module loads, edits, saves and exports.
An edit that cannot be made raises before anything is written: the file stays unchanged.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.answers import audits
from audit.answers.locking import Saver, audit_lock
from audit.checklists import Loaded
from audit.errors import CxAuditError
from audit.files import atomic_write
from audit.i18n import _
from audit.judgement import plan, plan_files, scoring
from audit.model import Audit
from audit.render.reporting import content_language


class PlanError(CxAuditError):
    """An edit of the action plan that cannot be made."""


@dataclass
class Outcome:
    messages: list[str] = field(default_factory=list)
    show: tuple[Loaded, Audit, scoring.Result] | None = None


def run(
    audit_path: Path,
    item_id: str | None,
    edits: dict[str, Any],
    capacity: str | None,
    fmt: str | None,
    out: Path | None,
    lang: str | None,
) -> Outcome:
    outcome = Outcome()
    editing = item_id is not None or capacity is not None
    # An edit holds the audit's lock from reading to saving; reading the plan needs none.
    with audit_lock(audit_path) if editing else contextlib.nullcontext():
        saver = Saver.open(audit_path)
        audit = saver.audit
        loaded = audits.checklist_of(audit, audit_path)
        language = content_language(loaded.checklist, lang, audit.store.language)
        changed = audit
        try:
            if capacity is not None:
                changed = plan.with_capacity(changed, capacity)
            if item_id is not None:
                current = scoring.score(loaded.checklist, changed, language)
                changed = plan.edit(changed, item_id, current.actions, **edits)
        except plan.PlanEditError as exc:
            raise PlanError(f"{audit_path}: {exc}") from None
        if changed is not audit:
            changed = changed.model_copy(update={"updated": audit.updated})
            outcome.messages += saver.save(changed)
            outcome.messages.append(_("Saved the plan in {path}").format(path=audit_path))
    result = scoring.score(loaded.checklist, changed, language)
    if fmt is not None:
        target = out or audit_path.with_name(f"{audit_path.stem}-plan.{fmt}")
        if target.resolve() == audit_path.resolve():
            raise PlanError(
                _("{path} is the audit itself: choose another file").format(path=target)
            )
        if fmt == "csv":
            data = plan_files.to_csv(loaded.checklist, result, language)
        else:
            data = plan_files.to_ics(changed, loaded.checklist, result, language, audit_path.stem)
        atomic_write(target, data)
        outcome.messages.append(_("Wrote {path}").format(path=target))
    elif item_id is None or capacity is not None:
        outcome.show = (loaded, changed, result)
    return outcome
