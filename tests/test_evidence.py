"""Evidence: attaching files and URLs, every bad-evidence case, hostile refs, thumbnails, counts."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from audit.answers import audits, evidence
from audit.answers.evidence import EvidenceError, UnsafeEvidenceError
from audit.errors import CxAuditError
from audit.model import Answer, Audit, Evidence


def png_bytes(size=(64, 40), color=(200, 30, 30), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(64, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text("cxaudit: 1\n", encoding="utf-8")
    return path


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- attaching -----------------------------------------------------------------------


def test_a_url_is_recorded_as_text(audit_path):
    ev = evidence.attach(audit_path, "DIG-03", "https://shop.example/p/tea")
    assert ev == Evidence(kind="observed", ref="https://shop.example/p/tea", date=date.today())
    assert not evidence.folder(audit_path).exists()  # nothing fetched, nothing written


def test_a_url_takes_a_kind_in_any_case(audit_path):
    assert evidence.attach(audit_path, "X", "http://a.example/policy", "Document").kind == (
        "document"
    )


def test_a_file_is_copied_named_by_item_and_hash(audit_path, tmp_path):
    data = png_bytes()
    source = put(tmp_path / "elsewhere" / "Screen Shot.png", data)
    ev = evidence.attach(audit_path, "DIG-03", str(source), "test")
    digest = hashlib.sha256(data).hexdigest()
    assert ev.kind == "test"
    assert ev.sha256 == digest
    assert ev.date == date.today()
    assert ev.ref == f"shop.evidence/DIG-03-{digest[:8]}.png"
    assert (audit_path.parent / ev.ref).read_bytes() == data


def test_two_files_never_collide_and_the_same_content_is_one_copy(audit_path, tmp_path):
    one = put(tmp_path / "a" / "shot.png", png_bytes(color=(1, 2, 3)))
    two = put(tmp_path / "b" / "shot.png", png_bytes(color=(3, 2, 1)))
    again = put(tmp_path / "c" / "other-name.png", one.read_bytes())
    refs = [evidence.attach(audit_path, "A1", str(p)).ref for p in (one, two, again)]
    assert refs[0] != refs[1]
    assert refs[0] == refs[2]
    assert len(list(evidence.folder(audit_path).iterdir())) == 2


def test_a_name_taken_by_other_content_gets_a_longer_hash(audit_path, tmp_path):
    data = b"order 1042: paid, shipped next day\n"
    digest = hashlib.sha256(data).hexdigest()
    put(evidence.folder(audit_path) / f"A1-{digest[:8]}.txt", b"something else")
    ev = evidence.attach(audit_path, "A1", str(put(tmp_path / "order.txt", data)))
    assert ev.ref == f"shop.evidence/A1-{digest[:16]}.txt"
    assert (evidence.folder(audit_path) / f"A1-{digest[:8]}.txt").read_bytes() == b"something else"


def test_a_document_that_is_not_an_image_is_kept(audit_path, tmp_path):
    source = put(tmp_path / "returns-policy.pdf", b"%PDF-1.4 a policy")
    ev = evidence.attach(audit_path, "HON-01", str(source), "document")
    assert ev.ref.endswith(".pdf") and ev.kind == "document"


def test_an_image_is_known_by_its_content_not_its_suffix(audit_path, tmp_path):
    # PNG bytes under a .txt name are checked as an image: a broken one is refused.
    broken = png_bytes()[:60]
    with pytest.raises(EvidenceError, match="notes.txt"):
        evidence.attach(audit_path, "A1", str(put(tmp_path / "notes.txt", broken)))
    # and a good one under any name is kept
    assert evidence.attach(audit_path, "A1", str(put(tmp_path / "pic.dat", jpeg_bytes()))).sha256


def test_a_suffix_that_claims_an_image_must_be_one(audit_path, tmp_path):
    with pytest.raises(EvidenceError, match=r"fake\.png: not a readable image"):
        evidence.attach(audit_path, "A1", str(put(tmp_path / "fake.png", b"just text")))
    assert not evidence.folder(audit_path).exists()


def test_an_odd_suffix_is_dropped(audit_path, tmp_path):
    ev = evidence.attach(audit_path, "A1", str(put(tmp_path / "x.t;xt", b"note")))
    assert ev.ref == f"shop.evidence/A1-{hashlib.sha256(b'note').hexdigest()[:8]}"


@pytest.mark.parametrize("typed", ["'{p}'", '"{p}"', "{e}"])
def test_a_dragged_path_is_unquoted(audit_path, tmp_path, typed):
    path = put(tmp_path / "My Shot (1).png", png_bytes())
    escaped = str(path).replace(" ", "\\ ").replace("(", "\\(").replace(")", "\\)")
    ev = evidence.attach(audit_path, "A1", typed.format(p=path, e=escaped))
    assert ev.ref.endswith(".png")


def test_a_home_relative_path_is_expanded(audit_path, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    put(tmp_path / "note.txt", b"called support, answered in 2 min")
    assert evidence.attach(audit_path, "A1", "~/note.txt", "test").kind == "test"


# --- bad evidence ----------------------------------------------------------------------


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_missing_file(audit_path, tmp_path):
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", str(tmp_path / "nope.png"))
    assert "nope.png: no such file" in one_line(exc)


def test_a_folder(audit_path, tmp_path):
    (tmp_path / "shots").mkdir()
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", str(tmp_path / "shots"))
    assert "shots: is a folder" in one_line(exc)


def test_too_big(audit_path, tmp_path):
    big = tmp_path / "export.csv"
    with big.open("wb") as handle:
        handle.truncate(evidence.MAX_BYTES + 1)
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", str(big))
    assert "export.csv: 20.0 MB is over the 20 MB limit" in one_line(exc)


def test_exactly_the_limit_is_kept(audit_path, tmp_path):
    path = tmp_path / "export.csv"
    with path.open("wb") as handle:
        handle.write(b"a")
        handle.truncate(evidence.MAX_BYTES)
    assert evidence.attach(audit_path, "A1", str(path), "measured").sha256


def test_empty_file(audit_path, tmp_path):
    with pytest.raises(EvidenceError, match="empty.txt: the file is empty"):
        evidence.attach(audit_path, "A1", str(put(tmp_path / "empty.txt", b"")))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable(audit_path, tmp_path):
    path = put(tmp_path / "secret.png", png_bytes())
    path.chmod(0)
    try:
        with pytest.raises(EvidenceError) as exc:
            evidence.attach(audit_path, "A1", str(path))
        assert "secret.png: cannot read it" in one_line(exc)
    finally:
        path.chmod(0o600)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc")
def test_a_file_that_fails_to_read(audit_path):
    # A regular file whose read fails (EIO), even for root.
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", "/proc/self/mem")
    assert "/proc/self/mem: cannot read it" in one_line(exc)


def test_a_fifo_is_refused_without_hanging(audit_path, tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", str(fifo))
    assert "pipe.png: not a regular file" in one_line(exc)


def test_a_device_is_refused(audit_path):
    with pytest.raises(EvidenceError, match="/dev/null: not a regular file"):
        evidence.attach(audit_path, "A1", "/dev/null")


@pytest.mark.skipif(sys.platform == "win32", reason="unix sockets")
def test_a_socket_is_refused(audit_path, tmp_path):
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(EvidenceError, match="not a regular file"):
            evidence.attach(audit_path, "A1", str(path))
    finally:
        server.close()


def test_a_broken_symlink(audit_path, tmp_path):
    (tmp_path / "link.png").symlink_to(tmp_path / "gone.png")
    with pytest.raises(EvidenceError, match="link.png: no such file"):
        evidence.attach(audit_path, "A1", str(tmp_path / "link.png"))


def test_a_truncated_jpeg(audit_path, tmp_path):
    out = io.BytesIO()
    Image.effect_noise((400, 300), 80).convert("RGB").save(out, "JPEG")
    path = put(tmp_path / "cut.jpg", out.getvalue()[:800])
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", str(path))
    assert "cut.jpg: a broken image" in one_line(exc)
    assert not evidence.folder(audit_path).exists()


def test_a_truncated_image_is_refused_after_weasyprint_was_imported(audit_path, tmp_path):
    import weasyprint  # noqa: F401  (it makes Pillow accept truncated files process-wide)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    path = put(tmp_path / "cut.png", png_bytes((300, 300))[:-40])
    with pytest.raises(EvidenceError, match="cut.png: a broken image"):
        evidence.attach(audit_path, "A1", str(path))
    with pytest.raises(EvidenceError, match="cut.png: a broken image"):
        evidence.thumbnail(path)
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # put back as WeasyPrint wants it


def test_a_decompression_bomb(audit_path, tmp_path):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 megapixels in a few KB
    path = put(tmp_path / "bomb.png", out.getvalue())
    assert path.stat().st_size < 100_000
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", str(path))
    assert "bomb.png" in one_line(exc)
    with pytest.raises(EvidenceError, match="bomb.png"):
        evidence.thumbnail(path)


def test_an_unknown_kind_lists_the_kinds(audit_path):
    with pytest.raises(EvidenceError) as exc:
        evidence.attach(audit_path, "A1", "https://a.example", "photo")
    assert "'photo' is not an evidence kind" in one_line(exc)
    assert "observed, test, measured, document, reported" in str(exc.value)


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://a.example/x", "https://", "https://a.example/a b"]
)
def test_other_addresses_are_refused(audit_path, target):
    with pytest.raises(EvidenceError, match="only http and https"):
        evidence.attach(audit_path, "A1", target)


def test_an_empty_target(audit_path):
    with pytest.raises(EvidenceError, match="give a file"):
        evidence.attach(audit_path, "A1", "  ")


def test_an_item_id_that_is_not_a_file_name(audit_path, tmp_path):
    with pytest.raises(EvidenceError, match="not an item id"):
        evidence.attach(audit_path, "../x", str(put(tmp_path / "a.txt", b"a")))


def test_an_evidence_folder_that_is_a_link_is_refused(audit_path, tmp_path):
    (tmp_path / "far").mkdir()
    evidence.folder(audit_path).symlink_to(tmp_path / "far")
    with pytest.raises(EvidenceError, match="plain folder"):
        evidence.attach(audit_path, "A1", str(put(tmp_path / "a.txt", b"a")))
    assert not list((tmp_path / "far").iterdir())


def test_evidence_errors_exit_2():
    assert issubclass(EvidenceError, CxAuditError)
    assert EvidenceError("x").exit_code == 2


# --- finding the copy again -------------------------------------------------------------


def test_local_copy_of_an_attached_file(audit_path, tmp_path):
    ev = evidence.attach(audit_path, "A1", str(put(tmp_path / "a.png", png_bytes())))
    assert evidence.local_copy(audit_path, ev) == (audit_path.parent / ev.ref).resolve()


def test_local_copy_works_from_another_folder(audit_path, tmp_path, monkeypatch):
    ev = evidence.attach(audit_path, "A1", str(put(tmp_path / "a.png", png_bytes())))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert evidence.local_copy(Path("..") / audit_path.name, ev) is not None


def test_local_copy_of_a_url_or_no_ref_is_none(audit_path):
    assert (
        evidence.local_copy(audit_path, Evidence(kind="observed", ref="https://a.example")) is None
    )
    assert evidence.local_copy(audit_path, Evidence(kind="reported")) is None


@pytest.fixture
def kept(audit_path, tmp_path) -> Evidence:
    return evidence.attach(audit_path, "A1", str(put(tmp_path / "a.png", png_bytes())))


def hostile(audit_path, kept, ref, sha=None):
    ev = kept.model_copy(update={"ref": ref, "sha256": sha or kept.sha256})
    with pytest.raises(UnsafeEvidenceError) as exc:
        evidence.local_copy(audit_path, ev)
    return one_line(exc)


def test_hostile_absolute_ref(audit_path, kept):
    absolute = str((audit_path.parent / kept.ref).resolve())
    assert "an absolute path" in hostile(audit_path, kept, absolute)
    assert "an absolute path" in hostile(audit_path, kept, "/etc/passwd")


def test_hostile_dotdot_ref(audit_path, kept, tmp_path):
    put(tmp_path / "outside.png", png_bytes())
    assert "'..'" in hostile(audit_path, kept, "shop.evidence/../outside.png")
    assert "'..'" in hostile(audit_path, kept, "shop.evidence\\..\\outside.png")


def test_hostile_ref_outside_the_folder(audit_path, kept, tmp_path):
    data = png_bytes(color=(9, 9, 9))
    put(tmp_path / "beside.png", data)
    sha = hashlib.sha256(data).hexdigest()
    assert "outside the audit's evidence folder" in hostile(audit_path, kept, "beside.png", sha)


def test_hostile_symlink_inside_the_folder(audit_path, kept, tmp_path):
    data = png_bytes(color=(5, 5, 5))
    put(tmp_path / "private.png", data)
    (evidence.folder(audit_path) / "A1-link.png").symlink_to(tmp_path / "private.png")
    sha = hashlib.sha256(data).hexdigest()
    assert "outside" in hostile(audit_path, kept, "shop.evidence/A1-link.png", sha)


def test_hostile_folder_that_is_a_link(tmp_path):
    data = png_bytes()
    put(tmp_path / "home" / "x.png", data)
    audit_path = tmp_path / "a.yaml"
    (tmp_path / "a.evidence").symlink_to(tmp_path / "home")
    ev = Evidence(kind="observed", ref="a.evidence/x.png", sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(UnsafeEvidenceError, match="is a link"):
        evidence.local_copy(audit_path, ev)


def test_hash_mismatch(audit_path, kept):
    assert "sha256 does not match" in hostile(audit_path, kept, kept.ref, "0" * 64)
    (audit_path.parent / kept.ref).write_bytes(png_bytes(color=(0, 0, 0)))
    assert "sha256 does not match" in hostile(audit_path, kept, kept.ref)


def test_no_hash_recorded(audit_path, kept):
    ev = kept.model_copy(update={"sha256": None})
    with pytest.raises(UnsafeEvidenceError, match="no sha256"):
        evidence.local_copy(audit_path, ev)


def test_missing_copy(audit_path, kept):
    (audit_path.parent / kept.ref).unlink()
    assert "missing" in hostile(audit_path, kept, kept.ref)


def test_the_folder_itself_or_a_fifo_in_it(audit_path, kept):
    assert "outside" in hostile(audit_path, kept, "shop.evidence")
    os.mkfifo(evidence.folder(audit_path) / "p.png")
    assert "not a regular file" in hostile(audit_path, kept, "shop.evidence/p.png")


def test_the_warning_names_audit_and_ref(audit_path, kept):
    message = hostile(audit_path, kept, "/etc/passwd")
    assert str(audit_path) in message and "'/etc/passwd'" in message


# --- thumbnails ---------------------------------------------------------------------------


def test_thumbnail_of_a_photo_is_a_small_jpeg(tmp_path):
    path = put(tmp_path / "big.jpg", jpeg_bytes((2000, 1000)))
    data = evidence.thumbnail(path)
    assert evidence.mime_type(data) == "image/jpeg"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (480, 240)


def test_thumbnail_keeps_transparency_as_png(tmp_path):
    path = put(tmp_path / "logo.png", png_bytes((100, 300), (0, 0, 0, 0), "RGBA"))
    data = evidence.thumbnail(path, max_px=60)
    assert evidence.mime_type(data) == "image/png"
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (20, 60) and image.mode == "RGBA"


def test_thumbnail_never_enlarges(tmp_path):
    data = evidence.thumbnail(put(tmp_path / "s.png", png_bytes((30, 20))))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (30, 20)


def test_thumbnail_refuses_a_non_image(tmp_path):
    with pytest.raises(EvidenceError, match="policy.pdf: not a readable image"):
        evidence.thumbnail(put(tmp_path / "policy.pdf", b"%PDF-1.4"))


def test_thumbnail_refuses_formats_pillow_should_not_open(tmp_path):
    # EPS would run Ghostscript: only the plain image formats are opened.
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
    with pytest.raises(EvidenceError, match="not a readable image"):
        evidence.thumbnail(put(tmp_path / "x.eps", eps))


# --- counts -------------------------------------------------------------------------------


def make_audit(answers: dict[str, Answer]) -> Audit:
    return Audit.model_validate(
        {
            "cxaudit": 1,
            "checklist": {"id": "mini", "version": "1.0.0"},
            "store": {"name": "S"},
            "started": "2026-11-23T10:00:00+00:00",
            "updated": "2026-11-23T10:00:00+00:00",
            "answers": answers,
        }
    )


def ev(*kinds):
    return [Evidence(kind=k, ref="https://a.example") for k in kinds]


def test_counts_by_the_strongest_kind():
    audit = make_audit(
        {
            "A": Answer(score=3, evidence=ev("observed", "measured", "reported")),
            "B": Answer(answer="no", evidence=ev("document", "test")),
            "C": Answer(value=42, evidence=ev("document")),
            "D": Answer(score=4),  # no evidence: the owner's word
            "E": Answer(na=True, evidence=ev("observed")),  # N/A is not counted
            "F": Answer(evidence=ev("observed")),  # evidence before answering: not yet counted
            "G": Answer(score=1, evidence=ev("observed")),
        }
    )
    assert evidence.counts(audit) == {
        "observed": 1,
        "test": 1,
        "measured": 1,
        "document": 1,
        "reported": 1,
    }
    assert list(evidence.counts(audit)) == ["observed", "test", "measured", "document", "reported"]
    assert evidence.counts(audit, only=["D", "G", "X"]) == {
        "observed": 1,
        "test": 0,
        "measured": 0,
        "document": 0,
        "reported": 1,
    }


def test_counts_of_an_empty_audit():
    assert sum(evidence.counts(make_audit({})).values()) == 0


def test_score_shows_how_the_answers_are_evidenced(cli, mini, tmp_path):
    audit_path = tmp_path / "shop.yaml"
    run = cli("run", mini, "--store", "S", "--segment", "b2c", "-o", audit_path, input="3\n2\ny\n")
    assert run.exit_code == 0, run.output
    data = audits.read(audit_path)
    shot = put(tmp_path / "shot.png", png_bytes())
    data.answers["A1"].evidence.append(evidence.attach(audit_path, "A1", str(shot)))
    data.answers["A2"].evidence.append(evidence.attach(audit_path, "A2", str(shot), "test"))
    data.answers["B1"].evidence.append(Evidence(kind="reported", note="the owner says so"))
    audits.save(data, audit_path)
    result = cli("score", audit_path)
    assert result.exit_code == 0, result.output
    assert "Evidence behind 2 of 3 answers (1 observed, 1 test); 1 reported" in result.stdout


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("shot.png", ("shot.png", None)),
        ("  shot.png test ", ("shot.png", "test")),
        ("https://shop.example/p?a=1 Document", ("https://shop.example/p?a=1", "Document")),
        ("'My Shot 2026.png' measured", ("My Shot 2026.png", "measured")),
        (r"My\ Shot.png", ("My Shot.png", None)),
        ("My Shot.png observed", ("My Shot.png", "observed")),
        ("'unbalanced.png", ("'unbalanced.png", None)),
        ("", ("", None)),
    ],
)
def test_split_line(line, expected):
    assert evidence.split_line(line) == expected


def test_split_line_takes_a_wrong_kind_as_a_kind_when_the_file_exists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path / "shot.png", png_bytes())
    assert evidence.split_line("shot.png photo") == ("shot.png", "photo")
    assert evidence.split_line("https://a.example photo") == ("https://a.example", "photo")
    put(tmp_path / "my shot.png", png_bytes())
    assert evidence.split_line("my shot.png") == ("my shot.png", None)
    assert evidence.split_line("no such file.png") == ("no such file.png", None)


def test_thumbnail_turns_a_sideways_photo_upright(tmp_path):
    image = Image.new("RGB", (200, 100), (0, 0, 0))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees to display
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    data = evidence.thumbnail(put(tmp_path / "phone.jpg", out.getvalue()))
    with Image.open(io.BytesIO(data)) as thumb:
        assert thumb.size == (100, 200)
