"""`cxaudit bundle`: one zip that opens elsewhere and reports with no edit."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from PIL import Image

from audit.answers import audits, evidence

ANSWERS = "3 checked on mobile\n2\ny\n42\n"


def make_audit(cli, folder: Path, checklist: Path | str, name: str = "shop.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    result = cli("run", checklist, "--store", "Shop", "--segment", "b2c", "-o", path, input=ANSWERS)
    assert result.exit_code == 0, result.output
    return path


def add_evidence(audit_path: Path, tmp_path: Path) -> list:
    """Attach a screenshot and a URL as the walkthrough's `e` command does."""
    shot = tmp_path / "incoming" / "screenshot.png"
    shot.parent.mkdir(exist_ok=True)
    Image.new("RGB", (320, 200), (30, 140, 90)).save(shot)
    data = audits.read(audit_path)
    kept = [
        evidence.attach(audit_path, "A1", str(shot)),
        evidence.attach(audit_path, "A2", "https://shop.example/returns", "document"),
    ]
    data.answers["A1"].evidence.append(kept[0])
    data.answers["A2"].evidence.append(kept[1])
    audits.save(data, audit_path)
    return kept


def names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return sorted(archive.namelist())


def unpack(zip_path: Path, into: Path) -> None:
    into.mkdir(parents=True)
    if shutil.which("unzip"):
        subprocess.run(["unzip", "-q", str(zip_path), "-d", str(into)], check=True)
    else:  # pragma: no cover - every test machine here has unzip
        zipfile.ZipFile(zip_path).extractall(into)


def test_round_trip_bundle_unzip_report(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path / "work", mini)
    kept = add_evidence(audit_path, tmp_path)
    assert cli("report", audit_path, "--format", "md").exit_code == 0
    zip_path = tmp_path / "out" / "handover.zip"
    zip_path.parent.mkdir()

    result = cli("bundle", audit_path, "-o", zip_path)

    assert result.exit_code == 0, result.output
    assert str(zip_path) in result.stdout
    assert names(zip_path) == [
        "shop/mini.yaml",
        f"shop/{kept[0].ref}",
        "shop/shop.md",
        "shop/shop.yaml",
    ]
    # Opened on another machine: a folder that never saw the originals.
    shutil.rmtree(tmp_path / "work")
    mini.unlink()
    elsewhere = tmp_path / "consultant"
    unpack(zip_path, elsewhere)
    opened = elsewhere / "shop" / "shop.yaml"
    report = cli("report", opened, "--format", "html")
    assert report.exit_code == 0, report.output
    assert report.stderr == ""  # no drift warning: the checklist's bytes are unchanged
    html = (elsewhere / "shop" / "shop.html").read_text(encoding="utf-8")
    assert "Shop" in html
    assert cli("score", opened).exit_code == 0
    reopened = audits.read(opened)
    assert reopened.checklist.path == "mini.yaml"
    assert evidence.local_copy(opened, reopened.answers["A1"].evidence[0]) is not None
    assert reopened.answers["A2"].evidence[0].ref == "https://shop.example/returns"
    assert reopened.answers["A1"].note == "checked on mobile"


def test_absolute_checklist_path_is_rewritten(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path / "work", mini)
    data = audits.read(audit_path)
    data.checklist.path = str(mini.resolve())
    audits.save(data, audit_path)
    assert cli("bundle", audit_path).exit_code == 0
    zip_path = audit_path.with_suffix(".zip")
    with zipfile.ZipFile(zip_path) as archive:
        inside = yaml.safe_load(archive.read("shop/shop.yaml"))
        assert inside["checklist"]["path"] == "mini.yaml"
        assert archive.read("shop/mini.yaml") == mini.read_bytes()
    assert audits.read(audit_path).checklist.path == str(mini.resolve())  # original untouched


def test_a_checklist_named_like_the_audit_does_not_clash(cli, mini, tmp_path):
    other = tmp_path / "lists" / "shop.yaml"
    other.parent.mkdir()
    shutil.copy(mini, other)
    audit_path = make_audit(cli, tmp_path / "work", other)
    assert cli("bundle", audit_path, "-o", tmp_path / "b.zip").exit_code == 0
    assert names(tmp_path / "b.zip") == ["shop/checklist-shop.yaml", "shop/shop.yaml"]
    unpack(tmp_path / "b.zip", tmp_path / "x")
    assert cli("score", tmp_path / "x" / "shop" / "shop.yaml").exit_code == 0


def test_a_shipped_checklist_is_named_by_id_and_the_audit_kept_as_is(cli, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    audit_path = folder / "shop.yaml"
    result = cli(
        "run", "quick", "--store", "Shop", "--segment", "b2c", "-o", audit_path, input="3\n"
    )
    assert result.exit_code == 0, result.output
    assert cli("bundle", audit_path, "-o", tmp_path / "q.zip").exit_code == 0
    with zipfile.ZipFile(tmp_path / "q.zip") as archive:
        assert archive.namelist() == ["shop/shop.yaml"]
        assert archive.read("shop/shop.yaml") == audit_path.read_bytes()


def test_refuses_to_overwrite_the_audit(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path, mini)
    before = audit_path.read_bytes()
    result = cli("bundle", audit_path, "-o", audit_path)
    assert result.exit_code == 2
    assert "would overwrite" in result.stderr and "Traceback" not in result.output
    assert audit_path.read_bytes() == before


def test_refuses_to_overwrite_a_file_it_packs(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path, mini)
    result = cli("bundle", audit_path, "-o", mini)
    assert result.exit_code == 2
    assert "mini.yaml" in result.stderr
    assert yaml.safe_load(mini.read_text())["id"] == "mini"


def test_refuses_to_write_into_the_evidence_folder(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path, mini)
    add_evidence(audit_path, tmp_path)
    result = cli("bundle", audit_path, "-o", evidence.folder(audit_path) / "b.zip")
    assert result.exit_code == 2
    assert "inside the evidence folder" in result.stderr
    assert not (evidence.folder(audit_path) / "b.zip").exists()


def test_an_existing_zip_is_replaced_whole(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path, mini)
    target = tmp_path / "shop.zip"
    with zipfile.ZipFile(target, "w") as old:
        old.writestr("stale.txt", "old bundle")
    assert cli("bundle", audit_path, "-o", target).exit_code == 0
    assert "stale.txt" not in names(target)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_out_may_be_a_folder(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path / "work", mini)
    (tmp_path / "outbox").mkdir()
    assert cli("bundle", audit_path, "-o", tmp_path / "outbox").exit_code == 0
    assert (tmp_path / "outbox" / "shop.zip").is_file()


def test_a_missing_audit_is_one_line_exit_2(cli, tmp_path):
    result = cli("bundle", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'nope.yaml'}: no such audit file"


def test_a_missing_checklist_is_refused(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path, mini)
    mini.unlink()
    result = cli("bundle", audit_path)
    assert result.exit_code == 2
    assert "is not there any more" in result.stderr
    assert not audit_path.with_suffix(".zip").exists()


def test_hostile_refs_and_links_are_warned_and_left_out(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path / "work", mini)
    add_evidence(audit_path, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    home = evidence.folder(audit_path)
    (home / "A9-link.txt").symlink_to(secret)
    data = audits.read(audit_path)
    data.answers["A2"].evidence.append(
        evidence.Evidence(
            kind="observed",
            ref="../secret.txt",
            sha256=hashlib.sha256(b"private").hexdigest(),
        )
    )
    audits.save(data, audit_path)

    result = cli("bundle", audit_path, "-o", tmp_path / "b.zip")

    assert result.exit_code == 0, result.output
    assert "A9-link.txt: left out" in result.stderr
    assert "'../secret.txt' not shown" in result.stderr
    inside = names(tmp_path / "b.zip")
    assert not any("secret" in n or "A9-link" in n for n in inside)
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert all(b"private" != archive.read(n) for n in inside)


def test_images_are_stored_and_text_compressed(cli, mini, tmp_path):
    audit_path = make_audit(cli, tmp_path, mini)
    kept = add_evidence(audit_path, tmp_path)
    assert cli("bundle", audit_path).exit_code == 0
    with zipfile.ZipFile(audit_path.with_suffix(".zip")) as archive:
        assert archive.getinfo(f"shop/{kept[0].ref}").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("shop/shop.yaml").compress_type == zipfile.ZIP_DEFLATED
        image = Image.open(io.BytesIO(archive.read(f"shop/{kept[0].ref}")))
        assert image.size == (320, 200)
        assert archive.getinfo("shop/shop.yaml").external_attr >> 16 & 0o777 == 0o644


def test_help_has_an_example(cli):
    result = cli("bundle", "--help")
    assert result.exit_code == 0
    assert "cxaudit bundle shop.yaml -o shop.zip" in " ".join(result.stdout.split())


@pytest.mark.parametrize("suffix", [".pdf", ".html", ".md", ".json", ".csv", ".xlsx"])
def test_every_report_suffix_is_packed(cli, mini, tmp_path, suffix):
    audit_path = make_audit(cli, tmp_path, mini)
    audit_path.with_suffix(suffix).write_bytes(b"report")
    (tmp_path / "shop-notes.md").write_text("not a report of this audit")
    assert cli("bundle", audit_path).exit_code == 0
    assert f"shop/shop{suffix}" in names(audit_path.with_suffix(".zip"))
    assert "shop/shop-notes.md" not in names(audit_path.with_suffix(".zip"))


def test_a_checklist_built_on_another_file_carries_its_base(cli, mini, tmp_path):
    pytest.importorskip("audit.checklists.inheritance")  # `extends:` (the checklists work)
    (tmp_path / "lists" / "mine").mkdir(parents=True)
    shutil.move(mini, tmp_path / "lists" / "base.yaml")
    own = tmp_path / "lists" / "mine" / "own.yaml"
    own.write_text("extends: ../base.yaml\nid: own\nversion: 1.0.0\nexclude: [B2]\n")
    audit_path = make_audit(cli, tmp_path / "work", own)
    assert cli("bundle", audit_path, "-o", tmp_path / "b.zip").exit_code == 0
    assert names(tmp_path / "b.zip") == [
        "shop/checklists/base.yaml",
        "shop/checklists/mine/own.yaml",
        "shop/shop.yaml",
    ]
    shutil.rmtree(tmp_path / "lists")
    unpack(tmp_path / "b.zip", tmp_path / "x")
    result = cli("score", tmp_path / "x" / "shop" / "shop.yaml")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
