"""Audit files are written atomically: a kill at any moment leaves the last good file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import yaml

from audit import checklists
from audit.answers import audits
from audit.model import Answer, Store

from .conftest import DATA


def new_audit(path):
    loaded = checklists.load(DATA / "mini.yaml")
    return audits.new(loaded, Store(name="Acme"), path)


def test_save_leaves_no_temp_files_and_keeps_the_mode(tmp_path):
    path = tmp_path / "a.yaml"
    audit = new_audit(path)
    audits.save(audit, path)
    os.chmod(path, 0o640)
    for level in range(5):
        audit.answers["A1"] = Answer(score=level)
        audits.save(audit, path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
    assert path.stat().st_mode & 0o777 == 0o640
    assert audits.read(path).answers["A1"].score == 4


def test_round_trip_keeps_every_field(tmp_path):
    path = tmp_path / "a.yaml"
    audit = new_audit(path)
    audit.answers = {
        "A1": Answer(score=3, note="ünïcode: ok"),
        "A2": Answer(na=True),
        "B1": Answer(answer="no"),
        "B2": Answer(value=42.5),
        "OLD-1": Answer(score=1),
    }
    audits.save(audit, path)
    again = audits.read(path)
    assert again == audit
    assert "ünïcode" in path.read_text(encoding="utf-8")


def test_hand_written_bare_no_is_read_as_the_answer_no(tmp_path):
    path = tmp_path / "a.yaml"
    audits.save(new_audit(path), path)
    path.write_text(path.read_text().replace("answers: {}", "answers:\n  B1: {answer: no}\n"))
    assert audits.read(path).answers["B1"].answer == "no"


KILLED_WRITER = """
import sys
from pathlib import Path
from audit import checklists
from audit.answers import audits
from audit.model import Answer, Store
path = Path(sys.argv[1])
audit = audits.new(checklists.load(sys.argv[2]), Store(name="Acme"), path)
n = 0
while True:
    n += 1
    audit.answers[f"X{n}"] = Answer(score=n % 5, note="x" * 200)
    audits.save(audit, path)
    if n == 3:
        print("ready", flush=True)
"""


def test_kill_during_saves_never_corrupts_the_file(tmp_path):
    path = tmp_path / "a.yaml"
    for attempt in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITER, str(path), str(DATA / "mini.yaml")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.005 * attempt)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        audit = audits.read(path)  # raises if the file is torn
        assert len(audit.answers) >= 3
        assert yaml.safe_load(path.read_text())["cxaudit"] == 1
