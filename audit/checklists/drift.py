"""Checklist drift: has the checklist changed since the audit was made? Pure: no printing.

An audit records the id, version and sha256 of the checklist it was answered on. When the
checklist loaded now has another sha256, the audit's scores may move without any change in the
store. `check` names the recorded and current versions and, where the recorded version is still
available (the shipped checklists keep every release in checklists/history/ID-VERSION.yaml),
the items added, removed and changed, with the fields that changed.

`load_with_checklist` reads an audit with the checklist it records, or with the one given by
`--checklist PATH` (a moved audit, or an audit scored on another version of its checklist).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import checklists, resources
from audit.answers import audits
from audit.checklists import Loaded
from audit.errors import CxAuditError, UsageError
from audit.i18n import _
from audit.model import Audit, Checklist

# Top-level fields whose change moves scores or the report, besides the items.
CHECKLIST_FIELDS = ("scale", "categories", "strategies")


@dataclass(frozen=True)
class ItemChange:
    id: str
    fields: list[str]  # the item's fields that differ (weight, critical, thresholds, ...)


@dataclass
class Drift:
    """The checklist an audit recorded against the one loaded now."""

    checklist: str  # the id recorded
    recorded_version: str
    current_version: str
    recorded_sha256: str | None
    current_sha256: str
    released: Path | None  # the recorded version as released, when it is kept
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # top-level fields that differ
    current_id: str | None = None  # when the checklist loaded now has another id

    @property
    def named(self) -> bool:
        """The recorded version was available, so the differences are named."""
        return self.released is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "checklist": self.checklist,
            "recorded": {"version": self.recorded_version, "sha256": self.recorded_sha256},
            "current": {
                "id": self.current_id or self.checklist,
                "version": self.current_version,
                "sha256": self.current_sha256,
            },
            "named": self.named,
            "added": self.added,
            "removed": self.removed,
            "changed": [{"id": c.id, "fields": c.fields} for c in self.changed],
            "other": self.other,
        }


def check(audit: Audit, loaded: Loaded) -> Drift | None:
    """None when the loaded checklist is the one the audit recorded.

    Without a recorded sha256 (a hand-written audit) only the versions can be compared. When the
    recorded version is available and has the same content as the loaded one (a comment or the
    layout changed, not a field), that is not drift either.
    """
    ref, current = audit.checklist, loaded.checklist
    if ref.sha256 is not None and ref.sha256 == loaded.sha256:
        return None
    if ref.sha256 is None and (ref.id, ref.version) == (current.id, current.version):
        return None
    drift = Drift(ref.id, ref.version, current.version, ref.sha256, loaded.sha256, None)
    if current.id != ref.id:
        drift.current_id = current.id
    released = resources.released_checklist(ref.id, ref.version)
    if released is not None and released.resolve() == loaded.path.resolve():
        return None  # scored on the recorded version as released (`--checklist` to history)
    if released is None:
        return drift
    try:
        before = checklists.load(released).checklist
    except CxAuditError:
        return drift  # a broken release copy: the versions are still worth a warning
    drift.released = released
    differences(before, current, drift)
    if (
        ref.version == current.version
        and ref.id == current.id
        and not (drift.added or drift.removed or drift.changed or drift.other)
    ):
        return None
    return drift


def differences(before: Checklist, after: Checklist, drift: Drift) -> None:
    """Fill in the items added, removed and changed (by field) from `before` to `after`."""
    old = {item.id: item for item in before.items}
    new = {item.id: item for item in after.items}
    drift.added = [i for i in new if i not in old]
    drift.removed = [i for i in old if i not in new]
    for item_id, item in new.items():
        if item_id not in old:
            continue
        a = old[item_id]
        fields = [k for k in type(item).model_fields if getattr(a, k) != getattr(item, k)]
        if fields:
            drift.changed.append(ItemChange(item_id, fields))
    drift.other = [
        name for name in CHECKLIST_FIELDS if getattr(before, name) != getattr(after, name)
    ]


def lines(drift: Drift, audit_path: Path, limit: int = 12) -> list[str]:
    """The warning for people: what changed, then how to score on the recorded version."""
    out = [
        _(
            "{audit}: the checklist changed since this audit was made: "
            "{id} {recorded} recorded, {current} loaded now"
        ).format(
            audit=audit_path,
            id=drift.checklist,
            recorded=_version(drift.recorded_version, drift.recorded_sha256),
            current=(f"{drift.current_id} " if drift.current_id else "")
            + _version(drift.current_version, drift.current_sha256),
        )
    ]
    if not drift.named:
        out.append(
            "  " + _("the recorded version is not available, so the items that changed are unknown")
        )
        return out

    def ids(values: list[str]) -> str:
        shown = ", ".join(values[:limit])
        return shown + (f", … (+{len(values) - limit})" if len(values) > limit else "")

    if drift.added:
        out.append("  " + _("items added: {ids}").format(ids=ids(drift.added)))
    if drift.removed:
        out.append("  " + _("items removed: {ids}").format(ids=ids(drift.removed)))
    if drift.changed:
        out.append(
            "  "
            + _("items changed: {ids}").format(
                # The fields that changed, while the list is short enough to read them.
                ids=ids(
                    [
                        f"{c.id} ({', '.join(c.fields)})" if len(drift.changed) <= 3 else c.id
                        for c in drift.changed
                    ]
                )
            )
        )
    if drift.other:
        out.append("  " + _("also changed: {fields}").format(fields=", ".join(drift.other)))
    if drift.released is not None:
        out.append(
            "  "
            + _("to score on the recorded version: --checklist {path}").format(path=drift.released)
        )
    return out


def twin(loaded: Loaded) -> Drift | None:
    """A checklist file that keeps a shipped checklist's id but differs from it (and from its
    released copy of the same version): audits made on it would be taken for the shipped one."""
    cl = loaded.checklist
    shipped = resources.shipped_checklists()
    if loaded.shipped or cl.id not in shipped:
        return None
    released = resources.released_checklist(cl.id, cl.version)
    if released is not None and released.resolve() == loaded.path.resolve():
        return None
    # Compared with the released copy of its own version where there is one (the closest
    # base), else with the shipped file.
    original = checklists.load(released or shipped[cl.id])
    found = Drift(
        cl.id, original.checklist.version, cl.version, original.sha256, loaded.sha256, None
    )
    differences(original.checklist, cl, found)
    same = not (found.added or found.removed or found.changed or found.other)
    if same and cl.version == original.checklist.version:
        return None  # a faithful copy
    found.released = shipped[cl.id]
    return found


def twin_lines(found: Drift, path: Path) -> list[str]:
    """The `checklist validate` warning for `twin`."""
    out = [
        _(
            "{path}: keeps the id '{id}' of a shipped checklist but differs from it "
            "({version} shipped, {own} here)"
        ).format(
            path=path, id=found.checklist, version=found.recorded_version, own=found.current_version
        )
    ]
    out += [line for line in lines(found, path)[1:] if "--checklist" not in line]
    out.append(
        "  " + _("give it an id of its own, so its audits are not taken for the shipped one")
    )
    return out


def _version(version: str, sha256: str | None) -> str:
    return f"{version} (sha256 {sha256[:12]})" if sha256 else version


def load_with_checklist(audit_path: Path, checklist: Path | None = None) -> tuple[Loaded, Audit]:
    """The audit with the checklist it records, or with the file `--checklist` names."""
    audit = audits.read(audit_path)
    if checklist is None:
        return audits.checklist_of(audit, audit_path), audit
    return given(audit, audit_path, checklist), audit


def given(audit: Audit, audit_path: Path, checklist: Path) -> Loaded:
    """The checklist file given with `--checklist`: it must be a version of the audit's own."""
    loaded = checklists.load(checklist)
    if loaded.checklist.id != audit.checklist.id:
        raise UsageError(
            _("{path} is the checklist '{given}'; {audit} was made on '{recorded}'").format(
                path=checklist,
                given=loaded.checklist.id,
                audit=audit_path,
                recorded=audit.checklist.id,
            ),
            tip=_("give a version of the '{id}' checklist").format(id=audit.checklist.id),
        )
    return loaded


def scan(paths: list[Path]) -> list[tuple[Path, Drift]]:
    """The drift of every audit that has one; an unreadable audit is left to the caller."""
    found = []
    cache: dict[tuple[str, str | None], Loaded] = {}  # a checklist is loaded once for all
    for path in paths:
        try:
            audit = audits.read(path)
            ref = audit.checklist
            key = (ref.id, str((path.parent / ref.path).resolve()) if ref.path else None)
            if key not in cache:
                cache[key] = audits.checklist_of(audit, path)
            loaded = cache[key]
        except CxAuditError:
            continue
        drift = check(audit, loaded)
        if drift is not None:
            found.append((path, drift))
    return found
