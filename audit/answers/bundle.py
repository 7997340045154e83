"""One zip to carry an audit: the audit, its checklist, its evidence folder and its reports.

The zip holds one folder named after the audit (`shop/` for `shop.yaml`), so `unzip`
spreads nothing. Inside it the audit keeps its name, a checklist given by path sits
beside it (its bytes unchanged, so its sha256 still matches; the audit's
`checklist.path` is rewritten to the new name), and the evidence folder and the reports
(`shop.pdf`, `shop.html`, ...) keep their names. `cxaudit report shop/shop.yaml` then
works wherever the zip was opened.
"""

from __future__ import annotations

import io
import os
import stat
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from audit import resources
from audit.answers import audits, evidence
from audit.checklists import Loaded
from audit.errors import CxAuditError, UsageError
from audit.files import atomic_write
from audit.i18n import _
from audit.yamlio import dump

REPORT_SUFFIXES = (".pdf", ".html", ".md", ".json", ".csv", ".xlsx")
# Already compressed: stored as they are, deflating them again costs time for nothing.
_STORED = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".xlsx", ".zip", ".gz"})


class BundleError(CxAuditError):
    """A bundle that cannot be written."""


@dataclass
class Bundle:
    """What went into the zip (names inside it) and what was left out, with why."""

    path: Path
    audit: str
    checklist: str | None = None
    evidence: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def default_out(audit_path: Path) -> Path:
    return audit_path.with_suffix(".zip")


def bundle(audit_path: Path, out: Path | None = None) -> Bundle:
    """Write the zip for `audit_path` to `out` (default `<stem>.zip` beside it), atomically.

    Raises NotFoundError / AuditFileError for an audit (or its checklist) that cannot be
    read, UsageError when `out` would overwrite a file that goes into the bundle.
    """
    audit = audits.read(audit_path)
    loaded = audits.checklist_of(audit, audit_path)
    target = default_out(audit_path) if out is None else out
    if target.is_dir():
        target = target / default_out(audit_path).name
    root = PurePosixPath(audit_path.stem)
    result = Bundle(path=target, audit=str(root / audit_path.name))
    files: dict[str, Path | bytes] = {}  # name in the zip -> file to copy, or bytes

    if audit.checklist.path:
        placed = _place_checklists(loaded, audit_path, result.warnings)
        for name, source in placed.items():
            files[str(root / name)] = source
        name = next(iter(placed))
        result.checklist = str(root / name)
        ref = audit.checklist.model_copy(update={"path": name})
        audit = audit.model_copy(update={"checklist": ref})
        files[result.audit] = dump(audit.to_yaml()).encode("utf-8")
    else:
        files[result.audit] = audit_path

    home = evidence.folder(audit_path)
    for path, relative in _evidence_files(home, result.warnings):
        name = str(root / home.name / relative)
        files[name] = path
        result.evidence.append(name)
    result.warnings.extend(_unsafe_refs(audit_path, audit))

    for suffix in REPORT_SUFFIXES:
        report = audit_path.with_suffix(suffix)
        if report != audit_path and _is_regular(report):
            name = str(root / report.name)
            files[name] = report
            result.reports.append(name)

    _refuse_overwrite(target, audit_path, files)
    atomic_write(target, _zip(files))
    return result


def _place_checklists(loaded: Loaded, audit_path: Path, warnings: list[str]) -> dict[str, Path]:
    """Names in the bundle folder for the checklist (first) and the files it extends.

    One file sits beside the audit. A chain of files (`extends: base.yaml`) keeps its layout
    under `checklists/`, so every `extends:` still finds its base with the bytes unchanged
    (the recorded sha256 still matches). Shipped bases are found by id wherever cxaudit is.
    """
    shipped_home = resources.checklists_dir().resolve()
    chain = [
        p.resolve()
        for p in (getattr(loaded, "sources", None) or [loaded.path])
        if shipped_home not in p.resolve().parents
    ]
    _warn_absolute_extends(chain, warnings)
    if len(chain) == 1:
        name = chain[0].name
        if name == audit_path.name or name.startswith(audit_path.stem + "."):
            name = "checklist-" + name  # never clash with the audit, its reports or evidence
        return {name: chain[0]}
    common = Path(os.path.commonpath([p.parent for p in chain]))
    return {f"checklists/{p.relative_to(common).as_posix()}": p for p in chain}


def _warn_absolute_extends(chain: list[Path], warnings: list[str]) -> None:
    for path in chain:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        base = data.get("extends") if isinstance(data, dict) else None
        if isinstance(base, str) and Path(base).is_absolute():
            warnings.append(
                _(
                    "{path}: extends {base} by an absolute path; make it relative so the"
                    " bundle opens elsewhere"
                ).format(path=path, base=base)
            )


def _evidence_files(home: Path, warnings: list[str]) -> list[tuple[Path, str]]:
    """The regular files under the evidence folder; links and others are left out, with why."""
    if not home.exists() and not home.is_symlink():
        return []
    if home.is_symlink() or not home.is_dir():
        warnings.append(
            _("{path}: left out: the evidence folder is a link or not a folder").format(path=home)
        )
        return []
    found = []
    for folder, dirs, names in os.walk(home):
        for name in sorted(dirs):
            if (Path(folder) / name).is_symlink():
                warnings.append(_("{path}: left out: a link").format(path=Path(folder) / name))
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_symlink() or not _is_regular(path):
                warnings.append(_("{path}: left out: not a regular file").format(path=path))
            elif path.stat().st_size > evidence.MAX_BYTES:
                warnings.append(
                    _("{path}: left out: over the {limit} MB limit").format(
                        path=path, limit=evidence.MAX_BYTES // (1024 * 1024)
                    )
                )
            else:
                found.append((path, path.relative_to(home).as_posix()))
    return found


def _unsafe_refs(audit_path: Path, audit) -> list[str]:
    """Evidence refs that will not resolve in the bundle (missing, outside, changed)."""
    out = []
    for answer in audit.answers.values():
        for item in answer.evidence:
            try:
                evidence.local_copy(audit_path, item)
            except evidence.UnsafeEvidenceError as exc:
                out.append(exc.message)
    return out


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _refuse_overwrite(target: Path, audit_path: Path, files: dict[str, Path | bytes]) -> None:
    sources = [audit_path, *(p for p in files.values() if isinstance(p, Path))]
    resolved = target.resolve()
    home = evidence.folder(audit_path).resolve()
    if resolved.is_relative_to(home):
        raise UsageError(
            _("{out}: a bundle inside the evidence folder would pack itself next time").format(
                out=target
            )
        )
    for source in sources:
        if source.resolve() == resolved:
            raise UsageError(
                _("{out}: would overwrite {path}, which goes into the bundle").format(
                    out=target, path=source
                ),
                tip=_("give another name with -o, e.g. -o {name}").format(
                    name=default_out(audit_path).name
                ),
            )


def _zip(files: dict[str, Path | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, source in files.items():
            if isinstance(source, bytes):
                data, mtime = source, time.time()
            else:
                data, mtime = source.read_bytes(), source.stat().st_mtime
            info = zipfile.ZipInfo(name, date_time=_zip_time(mtime))
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            stored = PurePosixPath(name).suffix.lower() in _STORED
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    moment = time.localtime(max(mtime, 315_532_800 + 86_400))  # zip dates start in 1980
    return moment[:6]
