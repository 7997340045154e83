"""Evidence behind an answer: attach a file or URL, find a kept copy again, make thumbnails.

A file given as evidence is checked (a regular, readable file of at most 20 MB; an image
by its content is opened with Pillow to prove it is one), then copied into the folder
`<audit file stem>.evidence/` beside the audit as `<item id>-<8 hex of sha256><suffix>`, and
recorded with that path (relative to the audit file) and its sha256. A URL is recorded as
text and never fetched.

The functions other modules call:

- `attach(audit_path, item_id, target, kind=None) -> Evidence` (raises EvidenceError);
- `local_copy(audit_path, evidence) -> Path | None`: the kept copy, only from the evidence
  folder and only when its sha256 matches (raises UnsafeEvidenceError otherwise);
- `thumbnail(path, max_px=480) -> bytes` (PNG or JPEG; `mime_type(data)` names which);
- `counts(audit) -> dict[str, int]`: answers by their strongest evidence kind;
- `split_line(text) -> (target, kind)`: the words after the walkthrough's `e`.

Nothing here prints, and nothing here reads the checklist.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from audit.errors import CxAuditError
from audit.files import atomic_write
from audit.i18n import _
from audit.model import EVIDENCE_KINDS, ID_PATTERN, Answer, Audit, Evidence, EvidenceKind

MAX_BYTES = 20 * 1024 * 1024  # the largest file kept as evidence
MAX_PIXELS = 50_000_000  # an image larger than this is refused: a decompression bomb or worse
DEFAULT_KIND: EvidenceKind = "observed"
# Strongest first: what the answer rests on, from data down to someone's word.
STRENGTH: tuple[EvidenceKind, ...] = ("measured", "test", "observed", "document", "reported")
# The image formats we open; Pillow's other plugins (EPS runs Ghostscript) are never used.
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".jpe", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
)
_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
)
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")
_ITEM_ID = re.compile(ID_PATTERN)


class EvidenceError(CxAuditError):
    """Evidence that cannot be kept: a one-line message naming the file or URL."""


class UnsafeEvidenceError(EvidenceError):
    """A recorded `ref` that does not name a verified copy in the evidence folder.

    The report warns with the message and does not embed the file.
    """


# --- names ------------------------------------------------------------------------


def folder(audit_path: Path) -> Path:
    """The evidence folder of an audit: `<stem>.evidence/` beside the audit file."""
    return audit_path.parent / f"{audit_path.stem}.evidence"


def is_url(target: str) -> bool:
    """An http or https address with a host and no spaces (recorded as text, never fetched)."""
    target = target.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in target):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def parse_kind(kind: str | None) -> EvidenceKind:
    """The evidence kind named (any case), `observed` when none; an unknown one is an error."""
    if kind is None or not kind.strip():
        return DEFAULT_KIND
    word = kind.strip().lower()
    for known in EVIDENCE_KINDS:
        if word == known:
            return known
    raise EvidenceError(
        _("'{kind}' is not an evidence kind (use one of: {kinds})").format(
            kind=kind, kinds=", ".join(EVIDENCE_KINDS)
        )
    )


def split_line(text: str) -> tuple[str, str | None]:
    """What follows `e` in the walkthrough -> (file or URL, kind word or None).

    Quotes and backslash escapes work as in a shell (a path dragged into a terminal comes
    that way); an unquoted path may hold spaces. The last word is the kind when it is one,
    or when the words before it name an existing file or a URL (so `shot.png photo` reaches
    `attach` as an unknown kind, not as a missing file `shot.png photo`).
    """
    import shlex

    text = text.strip()
    try:
        words = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the line as typed
        words = text.split()
    if len(words) < 2:
        return (words[0] if words else ""), None
    head, last = " ".join(words[:-1]), words[-1]
    if last.lower() in EVIDENCE_KINDS:
        return head, last
    whole = " ".join(words)
    if not is_url(whole) and not Path(whole).expanduser().exists():
        if is_url(head) or Path(head).expanduser().exists():
            return head, last
    return whole, None


# --- attaching --------------------------------------------------------------------


def attach(audit_path: Path, item_id: str, target: str, kind: str | None = None) -> Evidence:
    """Check `target` and keep it as evidence for `item_id`; the caller adds it to the answer.

    A URL becomes `Evidence(kind, ref=URL, date=today)`. A file is checked, copied into the
    evidence folder (the same content twice is one copy) and recorded relatively with its
    sha256. Raises EvidenceError with a one-line message naming the file; nothing is written
    then.
    """
    chosen = parse_kind(kind)
    target = target.strip()
    if not target:
        raise EvidenceError(_("give a file or an http(s) address as evidence"))
    if is_url(target):
        return Evidence(kind=chosen, ref=target, date=date.today())
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", target):
        raise EvidenceError(
            _("{target}: only http and https addresses, without spaces, are kept as links").format(
                target=target
            )
        )
    if not _ITEM_ID.match(item_id):
        raise EvidenceError(_("'{id}' is not an item id").format(id=item_id))
    source = _as_typed(target)
    data = _read_checked(source)
    if _looks_like_image(data) or source.suffix.lower() in IMAGE_SUFFIXES:
        _check_image(data, source)
    digest = hashlib.sha256(data).hexdigest()
    home = folder(audit_path)
    _check_folder(home)
    name = _free_name(home, item_id, digest, _safe_suffix(source))
    if not (home / name).exists():
        atomic_write(home / name, data)
    return Evidence(
        kind=chosen,
        ref=f"{home.name}/{name}",
        sha256=digest,
        date=date.today(),
    )


def _as_typed(target: str) -> Path:
    """The file meant: a path dragged into a terminal comes quoted or with escaped spaces."""
    import shlex

    path = Path(target).expanduser()
    if not path.exists() and not path.is_symlink():
        try:
            words = shlex.split(target)
        except ValueError:
            return path
        if len(words) == 1 and Path(words[0]).expanduser().exists():
            return Path(words[0]).expanduser()
    return path


def _read_checked(source: Path) -> bytes:
    """The file's bytes, or EvidenceError naming it: missing, folder, device, too big."""
    try:
        info = os.stat(source)
    except FileNotFoundError:
        raise EvidenceError(_("{path}: no such file").format(path=source)) from None
    except OSError as exc:
        raise EvidenceError(
            _("{path}: cannot read it ({why})").format(path=source, why=exc.strerror or exc)
        ) from None
    _check_kind_and_size(source, info)
    try:
        # O_NONBLOCK: a FIFO swapped in after the check does not hang the walkthrough.
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise EvidenceError(
            _("{path}: cannot read it ({why})").format(path=source, why=exc.strerror or exc)
        ) from None
    try:
        _check_kind_and_size(source, os.fstat(fd))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise EvidenceError(
            _("{path}: cannot read it ({why})").format(path=source, why=exc.strerror or exc)
        ) from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise _too_big(source, len(data))
    if not data:
        raise EvidenceError(_("{path}: the file is empty").format(path=source))
    return data


def _check_kind_and_size(source: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise EvidenceError(
            _("{path}: is a folder; give one file (zip a folder first)").format(path=source)
        )
    if not stat.S_ISREG(info.st_mode):
        raise EvidenceError(
            _("{path}: not a regular file (a pipe, socket or device)").format(path=source)
        )
    if info.st_size > MAX_BYTES:
        raise _too_big(source, info.st_size)


def _too_big(source: Path, size: int) -> EvidenceError:
    return EvidenceError(
        _("{path}: {size:.1f} MB is over the {limit} MB limit for evidence").format(
            path=source, size=size / 1024 / 1024, limit=MAX_BYTES // (1024 * 1024)
        )
    )


def _looks_like_image(data: bytes) -> bool:
    if data.startswith(_MAGIC):
        return True
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _open_image(data: bytes, name: Path):
    """A loaded Pillow image, or EvidenceError: not an image, broken, or too many pixels."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                image.close()
                raise EvidenceError(
                    _(
                        "{path}: {w}x{h} pixels is too large an image (limit {mp} megapixels)"
                    ).format(path=name, w=width, h=height, mp=MAX_PIXELS // 1_000_000)
                )
            return image
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceError(
            _("{path}: not a readable image (PNG, JPEG, GIF, WebP, BMP or TIFF)").format(path=name)
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise EvidenceError(
            _("{path}: a broken image ({why})").format(path=name, why=_why(exc))
        ) from None


def _why(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]


@contextmanager
def _decoding(path: Path) -> Iterator[None]:
    """Pixels being decoded: a bomb or a broken file becomes an EvidenceError naming `path`."""
    from PIL import Image, ImageFile

    # WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when imported: a cut-off
    # file must still be refused here, whatever was rendered before in this process.
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as exc:
        raise EvidenceError(
            _("{path}: a broken image ({why})").format(path=path, why=_why(exc))
        ) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _check_image(data: bytes, source: Path) -> None:
    """Prove an image is one: open it and decode every pixel."""
    image = _open_image(data, source)
    try:
        with _decoding(source):
            image.load()
    finally:
        image.close()


def _check_folder(home: Path) -> None:
    if home.is_symlink() or (home.exists() and not home.is_dir()):
        raise EvidenceError(
            _("{path}: the evidence folder must be a plain folder, not a link or a file").format(
                path=home
            )
        )


def _safe_suffix(source: Path) -> str:
    suffix = source.suffix
    return suffix if _SUFFIX.match(suffix) else ""


def _free_name(home: Path, item_id: str, digest: str, suffix: str) -> str:
    """`<id>-<8 hex><suffix>`, longer hash when another content already has that name."""
    for width in (8, 16, 64):
        name = f"{item_id}-{digest[:width]}{suffix}"
        existing = home / name
        if not existing.exists() or _sha256_of(existing) == digest:
            return name
    raise EvidenceError(
        _("{path}: already exists with other content").format(path=home / name)
    )  # pragma: no cover - needs a full sha256 collision


def _sha256_of(path: Path) -> str | None:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# --- finding a kept copy again ------------------------------------------------------------


def local_copy(audit_path: Path, evidence: Evidence) -> Path | None:
    """The kept copy an evidence `ref` names, verified; None for a URL or no ref.

    The copy is returned only when the ref is relative, has no `..`, resolves (symlinks
    followed) to a regular file inside the audit's evidence folder, and the file's sha256
    is the recorded one. Anything else raises UnsafeEvidenceError, whose message is the
    warning to show (the file is then neither read further nor embedded).
    """
    ref = evidence.ref
    if not ref or is_url(ref):
        return None

    def unsafe(why: str) -> UnsafeEvidenceError:
        return UnsafeEvidenceError(
            _("{audit}: evidence '{ref}' not shown: {why}").format(
                audit=audit_path, ref=ref, why=why
            )
        )

    if "\x00" in ref:
        raise unsafe(_("the path holds a NUL character"))
    if PurePosixPath(ref).is_absolute() or PureWindowsPath(ref).is_absolute() or ref[:1] in "\\/":
        raise unsafe(_("an absolute path; evidence is kept in the audit's evidence folder"))
    parts = re.split(r"[\\/]", ref)
    if ".." in parts:
        raise unsafe(_("a path with '..'; evidence is kept in the audit's evidence folder"))
    home = folder(audit_path)
    if home.is_symlink():
        raise unsafe(_("the evidence folder is a link"))
    try:
        root = home.resolve(strict=True)
        candidate = (audit_path.parent / ref).resolve(strict=True)
    except (OSError, RuntimeError):
        raise unsafe(_("the file is missing")) from None
    if not candidate.is_relative_to(root) or candidate == root:
        raise unsafe(_("outside the audit's evidence folder {folder}").format(folder=home.name))
    try:
        info = candidate.stat()
    except OSError:
        raise unsafe(_("the file is missing")) from None
    if not stat.S_ISREG(info.st_mode):
        raise unsafe(_("not a regular file"))
    if info.st_size > MAX_BYTES:
        raise unsafe(_("over the {limit} MB limit").format(limit=MAX_BYTES // (1024 * 1024)))
    if not evidence.sha256:
        raise unsafe(_("no sha256 recorded for it"))
    if _sha256_of(candidate) != evidence.sha256.lower():
        raise unsafe(_("its content changed (sha256 does not match)"))
    return candidate


# --- thumbnails ----------------------------------------------------------------------------


def thumbnail(path: Path, max_px: int = 480) -> bytes:
    """A thumbnail of an image file at most `max_px` on its longer side: PNG or JPEG bytes.

    JPEG for opaque pictures, PNG when the image has transparency or a palette.
    `mime_type(data)` gives the type for a data URI. Raises EvidenceError for a file that
    is not an image, is broken, is over 20 MB or decodes to more than 50 megapixels.
    """
    from PIL import ImageOps

    if max_px < 1:
        raise ValueError("max_px must be at least 1")
    data = _read_checked(path)
    image = _open_image(data, path)
    out = io.BytesIO()
    try:
        with _decoding(path):
            if image.format == "JPEG":
                image.draft("RGB", (max_px, max_px))  # decode at a reduced size: much faster
            if image.getexif().get(0x0112, 1) != 1:  # a phone photo taken sideways
                image = ImageOps.exif_transpose(image) or image
            image.thumbnail((max_px, max_px))
            transparent = image.mode in ("RGBA", "LA", "PA") or (
                image.mode == "P" and "transparency" in image.info
            )
            if transparent or image.mode in ("P", "1"):
                # fast, not small: WeasyPrint re-encodes the pixels for the PDF anyway
                image.convert("RGBA" if transparent else "RGB").save(out, "PNG", compress_level=1)
            else:
                image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    finally:
        image.close()
    return out.getvalue()


def mime_type(data: bytes) -> str:
    """`image/png` or `image/jpeg` for the bytes `thumbnail` made."""
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


# --- counting -----------------------------------------------------------------------------


def strongest(answer: Answer) -> EvidenceKind:
    """The strongest kind of evidence an answer rests on; `reported` when it has none."""
    kinds = {e.kind for e in answer.evidence}
    return next((k for k in STRENGTH if k in kinds), "reported")


def is_answered(answer: Answer) -> bool:
    """A score, yes/no or value given (N/A and evidence alone are not answers)."""
    return any(v is not None for v in (answer.score, answer.answer, answer.value))


def counts(audit: Audit, only: Iterable[str] | None = None) -> dict[str, int]:
    """Answers by their strongest evidence kind, every kind present (in EVIDENCE_KINDS order).

    Counts the answered items (a score, yes/no or value; not N/A, not evidence alone);
    with `only`, just those item ids (e.g. the items of the store's segment). Pure.
    """
    wanted = None if only is None else set(only)
    out: dict[str, int] = dict.fromkeys(EVIDENCE_KINDS, 0)
    for item_id, answer in audit.answers.items():
        if (wanted is None or item_id in wanted) and is_answered(answer):
            out[strongest(answer)] += 1
    return out
