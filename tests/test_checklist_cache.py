"""Checklists kept between runs (checklists/cache.py): used only while nothing they were
built from has changed."""

from __future__ import annotations

import os
import shutil

import pytest

from audit import checklists, i18n
from audit.errors import ChecklistError

from .conftest import DATA, write


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "cxaudit"


def entries(folder) -> list:
    return sorted(folder.glob("checklist-*.pickle")) if folder.is_dir() else []


def test_a_second_load_reads_the_kept_checklist(tmp_path, cache_home):
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    first = checklists.load(path)
    assert len(entries(cache_home)) == 1
    assert oct(cache_home.stat().st_mode & 0o777) == "0o700"
    again = checklists.load(path)
    assert again.checklist == first.checklist and again.sha256 == first.sha256
    assert again.path == path and again is not first


def test_an_edited_checklist_is_read_again(tmp_path, cache_home):
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    checklists.load(path)
    path.write_text(path.read_text().replace("Is A1 in place?", "Is A1 in place at last?"))
    assert checklists.load(path).checklist.item("A1").question == "Is A1 in place at last?"


def test_an_edited_base_is_read_again(tmp_path, cache_home):
    base = tmp_path / "base.yaml"
    shutil.copy(DATA / "mini.yaml", base)
    os.utime(base, (1e9, 1e9))  # saved long ago: kept with the checklist built on it
    path = write(tmp_path, "mine.yaml", "extends: base.yaml\nid: mine\n")
    assert checklists.load(path).checklist.item("A1").question == "Is A1 in place?"
    assert len(entries(cache_home)) == 1
    base.write_text(base.read_text().replace("Is A1 in place?", "Is A1 shown?"))
    os.utime(base, (1e9 + 1, 1e9 + 1))  # however its clock reads, only the content tells
    assert checklists.load(path).checklist.item("A1").question == "Is A1 shown?"


def test_a_base_saved_just_now_is_not_kept(tmp_path, cache_home):
    """An editor saving the base while cxaudit reads it: the hash taken after the parse might
    be of the new text, so nothing is kept rather than the old text under the new hash."""
    shutil.copy(DATA / "mini.yaml", tmp_path / "base.yaml")
    path = write(tmp_path, "mine.yaml", "extends: base.yaml\nid: mine\n")
    assert len(checklists.load(path).checklist.items) == 5
    assert entries(cache_home) == []


def test_warnings_are_in_the_language_of_the_run(tmp_path, cache_home):
    """An entry made in English is not used in Hebrew: the warnings are worded anew."""
    path = write(
        tmp_path,
        "m.yaml",
        (DATA / "mini.yaml").read_text().replace("    range: [-100, 100]\n", ""),
    )
    english = [w.message for w in checklists.load(path).warnings]
    i18n.use("he")
    hebrew = [w.message for w in checklists.load(path).warnings]
    assert english and hebrew and english != hebrew


def test_a_broken_entry_is_ignored_and_written_again(tmp_path, cache_home):
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    checklists.load(path)
    (entry,) = entries(cache_home)
    entry.write_bytes(b"not a pickle")
    assert len(checklists.load(path).checklist.items) == 5
    assert entry.read_bytes() != b"not a pickle"


def test_a_folder_open_to_others_is_closed_before_use(tmp_path, cache_home):
    cache_home.mkdir(parents=True)
    os.chmod(cache_home, 0o777)
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    checklists.load(path)
    assert oct(cache_home.stat().st_mode & 0o777) == "0o700"
    assert len(entries(cache_home)) == 1


def test_a_folder_that_is_a_link_elsewhere_is_not_used(tmp_path, cache_home):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache_home.parent.mkdir(parents=True)
    cache_home.symlink_to(elsewhere)
    path = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    assert len(checklists.load(path).checklist.items) == 5
    assert entries(elsewhere) == []


def test_an_invalid_checklist_is_never_kept(tmp_path, cache_home):
    path = write(tmp_path, "bad.yaml", "id: bad\nversion: 1\n")
    with pytest.raises(ChecklistError):
        checklists.load(path)
    assert entries(cache_home) == []


def test_only_the_latest_checklists_are_kept(tmp_path, cache_home, monkeypatch):
    from audit.checklists import cache

    monkeypatch.setattr(cache, "KEPT", 2)
    paths = []
    for n in range(3):
        path = tmp_path / f"m{n}.yaml"
        shutil.copy(DATA / "mini.yaml", path)
        checklists.load(path)
        paths.append(path)
        # the entry just written is dated second n: in turn, whatever the file clock's grain
        (newest,) = [e for e in entries(cache_home) if e.stat().st_mtime > 1e9 + n]
        os.utime(newest, (1e9 + n, 1e9 + n))
    assert len(entries(cache_home)) == 2
    assert cache.get(paths[0], paths[0].read_bytes()) is None  # the first written went
    assert cache.get(paths[2], paths[2].read_bytes()) is not None


def test_a_run_keeps_its_checklist_and_compiled_template_in_one_folder(cli, tmp_path, mini):
    import subprocess
    import sys

    audit = tmp_path / "shop.yaml"
    answered = cli("run", mini, "--store", "Shop", "--out", audit, input="3\nna\nn\n42\n")
    assert answered.exit_code == 0, answered.output
    home = tmp_path / "fresh-cache"
    done = subprocess.run(
        [sys.executable, "-m", "audit", "report", str(audit), "-f", "html"],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(home)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    kept = sorted(p.name for p in (home / "cxaudit").iterdir())
    assert len(kept) == 2 and kept[0].startswith("__jinja2_") and kept[1].startswith("checklist-")
