"""The walkthrough in a real pseudo-terminal: typing, guidance, Ctrl-C and resume."""

from __future__ import annotations

import sys

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")


def spawn(*args: str, cwd):
    child = pexpect.spawn(
        sys.executable,
        ["-m", "audit", *args],
        cwd=str(cwd),
        encoding="utf-8",
        dimensions=(40, 110),
        timeout=20,
        env={"TERM": "xterm", "PATH": "/usr/bin:/bin"},
    )
    return child


def test_walkthrough_in_a_terminal_ctrl_c_saves_and_resume_continues(tmp_path, mini):
    child = spawn("run", str(mini), "--out", "audit.yaml", cwd=tmp_path)
    child.expect("New audit: Mini checklist")
    child.expect("Store name")
    child.sendline("Corner Shop")
    child.expect("Segment")
    child.sendline("")  # default b2c
    child.expect("Auditor")
    child.sendline("Dana")
    child.expect("1/4 · Category one")
    child.expect("The first category.")  # the category's definition on its first item
    child.expect("Is A1 in place")
    child.expect("answer>")
    child.sendline("9")
    child.expect("answer 0 to 4")
    child.sendline("?")
    child.expect("Exceeds: A1 everywhere.")
    child.sendline("2 only on big orders")
    child.expect("2/4 · Category one")
    child.expect("answer>")
    child.sendcontrol("c")
    child.expect("Interrupted. Every answer given is saved in audit.yaml")
    child.expect("Resume with: cxaudit run --out audit.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = yaml.safe_load((tmp_path / "audit.yaml").read_text())
    assert saved["store"] == {
        "name": "Corner Shop",
        "segment": "b2c",
        "auditor": "Dana",
        "language": "en",
    }
    assert saved["answers"] == {"A1": {"score": 2, "note": "only on big orders"}}

    child = spawn("run", "--out", "audit.yaml", cwd=tmp_path)
    child.expect("2/4 · Category one")
    child.expect("Resuming audit.yaml at item 2")
    child.expect("answer>")
    child.sendline("b")
    child.expect("Current answer: ")
    child.expect("2 Partly in place · only on big orders")
    child.sendline("")  # keep it
    child.expect("2/4")
    child.sendline("4")
    child.expect("Do replies take days")
    child.expect("y/n")
    child.sendline("n")
    child.expect("Enter the number \\(NPS points\\)")
    child.sendline("q")
    child.expect("Resume with")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = yaml.safe_load((tmp_path / "audit.yaml").read_text())
    assert saved["answers"]["A2"] == {"score": 4}
    assert saved["answers"]["B1"] == {"answer": "no"}
