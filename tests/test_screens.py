"""The walkthrough as seen on real screens: tmux panes of a given size, captured as text.

Each test starts `cxaudit run` in a detached tmux session, types lines, and reads the pane
back: the progress line on top, the question on screen, nothing wider than the terminal
or than 99 columns.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
ROOT = Path(__file__).parent.parent


class Pane:
    def __init__(self, cwd: Path, width: int, height: int, args: list[str], env=None) -> None:
        self.name = f"cx{os.getpid()}{time.monotonic_ns() % 10**9}"
        self.socket = ["-L", self.name]  # a server of its own: no user's tmux is touched
        variables = {"TERM": "xterm-256color", "LANG": "C.UTF-8", **(env or {})}
        prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in variables.items())
        command = f"env {prefix} {shlex.quote(sys.executable)} -m audit " + " ".join(
            shlex.quote(a) for a in args
        )
        subprocess.run(
            ["tmux", *self.socket, "-f", "/dev/null", "new-session", "-d", "-s", self.name]
            + ["-x", str(width), "-y", str(height), "-c", str(cwd), command + "; sleep 60"],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.width, self.height = width, height

    def type(self, line: str) -> None:
        subprocess.run(["tmux", *self.socket, "send-keys", "-t", self.name, "-l", line], check=True)
        subprocess.run(["tmux", *self.socket, "send-keys", "-t", self.name, "Enter"], check=True)

    def key(self, key: str) -> None:
        subprocess.run(["tmux", *self.socket, "send-keys", "-t", self.name, key], check=True)

    def screen(self) -> list[str]:
        out = subprocess.run(
            ["tmux", *self.socket, "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return out.split("\n")[: self.height]

    def wait_for(self, *texts: str, timeout: float = 40) -> list[str]:
        """The screen once every text is on it (and the prompt, when the run asks one)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.screen()
            if all(any(text in line for line in lines) for text in texts):
                time.sleep(0.1)  # let the screen finish drawing
                return self.screen()
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} not on screen:\n" + "\n".join(self.screen()))

    def close(self) -> None:
        subprocess.run(["tmux", *self.socket, "kill-server"], check=False, capture_output=True)


@pytest.fixture
def pane(tmp_path):
    opened: list[Pane] = []

    def open_(width: int, height: int, *args: str, env=None) -> Pane:
        p = Pane(tmp_path, width, height, list(args), env)
        opened.append(p)
        return p

    yield open_
    for p in opened:
        p.close()


def new_run(pane, width, height, checklist="quick", *extra, env=None):
    return pane(
        width,
        height,
        "run",
        checklist,
        "--store",
        "Tea",
        "--segment",
        "b2b",
        "--auditor",
        "Dana",
        "--out",
        "t.yaml",
        *extra,
        env=env,
    )


def answer_one_and_stop(pane, line: str) -> None:
    """A B2B audit of `quick` in t.yaml with its first item answered, then Ctrl-C."""
    p = new_run(pane, 80, 24)
    p.wait_for("answer>")
    p.type(line)
    p.wait_for("2/16")
    p.key("C-c")
    p.wait_for("Resume with")
    p.close()


def answer_line(lines: list[str]) -> int:
    found = [n for n, line in enumerate(lines) if line.startswith("answer>")]
    assert found, "\n".join(lines)
    return found[-1]


def test_at_60x20_the_progress_and_the_question_stay_on_screen(pane, tmp_path):
    p = new_run(pane, 60, 20, "ecommerce")
    lines = p.wait_for("answer>")
    total = re.match(r"1/(\d+) · Explicit expectations", lines[0]).group(1)
    assert any(line.startswith("EXP-01  Do you keep a written list") for line in lines)
    assert "0  Not in place" in "\n".join(lines)  # the scale on a category's first item
    p.type("3 tracked")
    lines = p.wait_for(f"2/{total}", "answer>")
    assert lines[0].startswith(f"2/{total} · Explicit expectations")
    assert any("1 answered" in line for line in lines[:1])
    assert any(line.startswith("EXP-11  Does every product page") for line in lines)
    # after the first item of a category, a one-line legend instead of the whole scale
    legend = [line for line in lines if "0 Not in place · 1 Ad hoc" in line]
    assert legend and not any(line.startswith("0  Not in place") for line in lines)
    for typed, expected in (("9", "answer 0 to 4"), ("?", "Guidance: Check:"), ("", "type an")):
        p.type(typed)
        lines = p.wait_for(expected, "answer>")
        assert lines[0].startswith(f"2/{total} · Explicit"), typed  # never scrolled away
        assert any(line.startswith("EXP-11") for line in lines), typed
        # the message has a line of its own; the prompt line holds the prompt only
        assert lines[answer_line(lines)].strip() == "answer>", typed
    p.type("??")
    lines = p.wait_for("0  Not in place", "answer>")
    assert lines[0].startswith(f"2/{total}")
    assert all(len(line.rstrip()) <= 60 for line in lines)


@pytest.mark.parametrize(("width", "height"), [(60, 20), (80, 24), (200, 50)])
def test_every_quick_item_fits_its_screen(pane, width, height):
    p = new_run(pane, width, height)
    for n in range(1, 17):
        lines = p.wait_for(f"{n}/16 ·", "answer>")
        assert lines[0].startswith(f"{n}/16 · "), n
        question = [line for line in lines if re.match(r"[A-Z]{3}-\d\d  ", line)]
        assert question, "\n".join(lines)
        assert all(len(line.rstrip()) <= min(width, 99) for line in lines), n
        p.type("na" if n % 2 else "s")


def test_ctrl_c_at_60_columns_keeps_file_names_whole(pane, tmp_path):
    name = "a-rather-long-audit-file-name-for-the-tea-shop-2026.yaml"
    p = pane(60, 20, "run", "quick", "--store", "Tea", "--out", name)
    p.wait_for("Segment")
    p.type("")
    p.wait_for("Auditor")
    p.type("")
    p.wait_for("answer>")
    p.key("C-c")
    lines = p.wait_for("Resume with")
    # Lines break between words: the name is whole on a line, in both sentences.
    assert sum(name in line for line in lines) == 2, "\n".join(lines)
    assert all(len(line.rstrip()) <= 60 for line in lines)


def test_review_prefills_the_line_with_the_current_answer(pane, tmp_path):
    answer_one_and_stop(pane, "3 spec sheets on most product pages")
    p = pane(80, 24, "run", "--out", "t.yaml", "--review")
    lines = p.wait_for("answer> 3 spec sheets on most product pages")
    assert lines[0].startswith("1/16")
    p.key("C-u")  # the line editor clears the prefilled line ...
    p.type("4")  # ... and a new score alone keeps the note
    p.wait_for("2/16")
    saved = yaml.safe_load((tmp_path / "t.yaml").read_text())["answers"]["EXP-04"]
    assert saved == {"score": 4, "note": "spec sheets on most product pages"}


def test_another_segment_on_a_terminal_is_asked_for(pane, tmp_path):
    answer_one_and_stop(pane, "3")
    p = pane(80, 24, "run", "--out", "t.yaml", "--segment", "b2c")
    p.wait_for("Change it? (y/N)")
    p.type("y")
    p.wait_for("Segment changed from b2b to b2c.")
    assert yaml.safe_load((tmp_path / "t.yaml").read_text())["store"]["segment"] == "b2c"


def test_hebrew_screen_reads_right_to_left(pane, tmp_path):
    # quick is a selection of ecommerce: its categories are ecommerce's
    checklist = yaml.safe_load((ROOT / "checklists" / "ecommerce.yaml").read_text("utf-8"))
    title = checklist["categories"][0]["title"]["he"]
    args = "run quick --lang he --store חנות --segment b2c --auditor x --out he.yaml".split()
    p = pane(80, 24, *args, env={"CXAUDIT_BIDI": "reorder", "LANG": "he_IL.UTF-8"})
    lines = p.wait_for(title[::-1])
    assert lines[0].rstrip().endswith(title[::-1] + " · 1/16")  # progress at the right
    assert lines[0].rstrip().endswith(f"{title[::-1]} · 1/16")
    assert any(line.rstrip().endswith("EXP-04") for line in lines)  # the id at the right
    assert any(line.startswith("הבושת>") for line in lines)  # the prompt reads תשובה


def test_hebrew_tables_and_errors_are_mirrored_on_a_terminal(pane, tmp_path):
    env = {"CXAUDIT_BIDI": "reorder", "LANG": "he_IL.UTF-8"}
    p = pane(80, 40, "checklist", "show", "quick", "--lang", "he", env=env)
    lines = p.wait_for("EXP-05")
    rows = [line.rstrip() for line in lines if "EXP-0" in line]
    assert rows and all(row.endswith(("EXP-04", "EXP-05", "! EXP-04", "! EXP-05")) for row in rows)
    title = "סריקה מהירה של ציפיות הלקוחות"
    assert any(line.rstrip().endswith(title[::-1]) for line in lines)  # right-aligned, readable
    p = pane(80, 10, "score", "missing.yaml", "--lang", "he", env=env)
    lines = p.wait_for("missing.yaml")
    assert lines[0].rstrip().startswith(" ") and lines[0].rstrip().endswith(":missing.yaml")


def test_evidence_list_and_search_on_a_terminal(pane, tmp_path):
    p = new_run(pane, 80, 24)
    p.wait_for("answer>")
    p.type("e https://shop.example/p/tea observed")
    lines = p.wait_for("Evidence: observed · https://shop.example/p/tea", "answer>")
    assert lines[0].startswith("1/16")  # still the same item, nothing scrolled
    p.type("l")
    lines = p.wait_for("Categories: answered/items", "number (Enter: stay here)>")
    assert re.search(r"^\s*2\s+0/2\s+Implicit expectations", "\n".join(lines), re.M)
    p.type("2")
    lines = p.wait_for("3/16 · Implicit expectations", "answer>")
    p.type("/privacy")
    lines = p.wait_for("number (Enter: stay here)>")
    assert all(len(line.rstrip()) <= 80 for line in lines)
    match = next(line for line in lines if "DIG-05" in line)
    p.type(match.split()[0])
    p.wait_for("DIG-05  ", "answer>")
    saved = yaml.safe_load((tmp_path / "t.yaml").read_text())["answers"]
    assert saved["EXP-04"]["evidence"][0]["ref"] == "https://shop.example/p/tea"
    assert "score" not in saved["EXP-04"]  # evidence alone leaves the item to answer


def test_review_prefills_a_measure_as_typed_with_its_unit(pane, tmp_path, cli, mini):
    out = tmp_path / "m.yaml"
    cli(
        "run",
        mini,
        "--store",
        "A",
        "--segment",
        "b2b",
        "--out",
        out,
        input="4\n4\ny\n60\n2 days slow\n",
    )
    p = pane(80, 24, "run", "--out", "m.yaml", "--review")
    p.wait_for("answer> 4")
    p.key("C-u")
    p.type("g B3")
    p.wait_for("answer> 2 days slow")
    p.type("")  # the line as filled in: the same answer, unit and note
    p.wait_for("Audit complete")
    b3 = yaml.safe_load(out.read_text())["answers"]["B3"]
    assert b3 == {"value": 48, "given": "2 days", "note": "slow"}
