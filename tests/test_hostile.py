"""Issue 15, the second adversarial sweep: never lose, mix up or leak an answer; never hang;
never a traceback. One test (or table row) per case, numbered as in the issue."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from audit import checklists
from audit.answers import audits
from audit.answers.locking import AuditBusyError, Saver, audit_lock, lock_path, merge
from audit.model import Answer, Store

from .conftest import DATA

CXAUDIT = [sys.executable, "-m", "audit"]
TODAY = datetime.now(UTC).date().isoformat()


def answers_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text())["answers"]


def new_audit(cli, path: Path, store: str = "Acme", answers: str = "") -> Path:
    result = cli("run", DATA / "mini.yaml", "--store", store, "--out", path, input=answers)
    assert result.exit_code == 0, result.output
    return path


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in (result.stderr if hasattr(result, "stderr") else "")


class Piped:
    """`cxaudit run` in its own process, answers typed one line at a time."""

    def __init__(self, *args) -> None:
        self.proc = subprocess.Popen(
            [*CXAUDIT, "run", *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.wait_for_item()  # an item is on screen: the lock is held, the file read

    def wait_for_item(self) -> str:
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line or re.match(r"\d+/\d+ · |Audit complete|End of the checklist", line):
                return line

    def answer(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        self.wait_for_item()  # the next item (or the end): the answer is saved

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out, err


# --- 1. two writers ----------------------------------------------------------------------


def test_1_a_second_run_on_an_audit_in_use_is_refused_and_loses_nothing(cli, tmp_path):
    path = new_audit(cli, tmp_path / "c.yaml")
    first = Piped("--out", path)
    second = cli("run", "--out", path, input="4\n4\n")
    assert second.exit_code == 2
    assert "is being changed by another cxaudit" in second.stderr
    assert f"process {first.proc.pid}" in second.stderr
    first.answer("1")
    code, _out, _err = first.finish()
    assert code == 0
    assert answers_of(path) == {"A1": {"score": 1}}
    assert not lock_path(path).exists()  # released at the end of the run


def test_1_a_lock_left_by_a_killed_run_is_taken_over(cli, tmp_path):
    path = new_audit(cli, tmp_path / "c.yaml")
    killed = Piped("--out", path)
    killed.answer("2")
    killed.proc.kill()
    killed.proc.wait()
    assert lock_path(path).exists()  # kill -9 ran no clean-up
    result = cli("run", "--out", path, input="3\n")
    assert result.exit_code == 0, result.output
    assert answers_of(path) == {"A1": {"score": 2}, "A2": {"score": 3}}


def test_1_a_hand_edit_during_a_run_is_kept_and_said(cli, tmp_path):
    path = new_audit(cli, tmp_path / "h.yaml")
    run = Piped("--out", path)
    run.answer("2")
    text = path.read_text().replace("name: Acme", "name: Acme Tea")
    path.write_text(text.replace("answers:\n", "answers:\n  B1: {answer: 'yes'}\n"))
    run.answer("3")
    code, _out, err = run.finish()
    assert code == 0
    data = yaml.safe_load(path.read_text())
    assert data["store"]["name"] == "Acme Tea"
    assert data["answers"] == {"A1": {"score": 2}, "A2": {"score": 3}, "B1": {"answer": "yes"}}
    assert "was changed meanwhile; kept its changes to store.name, B1" in err


def test_1_a_conflicting_answer_is_refused_with_a_message(tmp_path):
    path = tmp_path / "a.yaml"
    loaded = checklists.load(DATA / "mini.yaml")
    with audit_lock(path):
        saver = Saver.create(path, audits.new(loaded, Store(name="Acme"), path))
        audit = saver.audit
        edited = audits.read(path)
        edited.answers["A1"] = Answer(score=4, note="checked by hand")
        audits.save(edited, path)  # someone else's write, without the lock
        audit.answers["A1"] = Answer(score=1)
        audit.answers["A2"] = Answer(score=2)
        notices = saver.save(audit)
    assert notices == [
        "A1: not saved: the file was changed meanwhile to "
        "{'score': 4, 'note': 'checked by hand'}; yours was {'score': 1}"
    ]
    assert answers_of(path) == {"A1": {"score": 4, "note": "checked by hand"}, "A2": {"score": 2}}
    assert audit.answers["A1"].score == 4  # the caller goes on with what was saved


def test_1_the_lock_is_exclusive_and_released_on_an_exception(tmp_path):
    path = tmp_path / "a.yaml"
    with pytest.raises(RuntimeError), audit_lock(path):
        raise RuntimeError("boom")
    assert not lock_path(path).exists()
    with audit_lock(path):
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path\n"
                "from audit.answers.locking import audit_lock\n"
                "try:\n    audit_lock(Path(sys.argv[1])).__enter__()\n"
                "except Exception as e:\n    print(type(e).__name__)",
                str(path),
            ],
            capture_output=True,
            text=True,
        )
    assert probe.stdout.strip() == AuditBusyError.__name__


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "merged", "taken", "refused"),
    [
        ({"a": 1}, {"a": 2}, {"a": 1}, {"a": 2}, [], []),  # only we changed it
        ({"a": 1}, {"a": 1}, {"a": 3}, {"a": 3}, ["answers.a"], []),  # only they did
        ({"a": 1}, {"a": 2}, {"a": 2}, {"a": 2}, [], []),  # both, the same way
        ({"a": 1}, {"a": 2}, {"a": 3}, {"a": 3}, [], [("answers.a", 2, 3)]),  # a conflict
        ({}, {"n": 1}, {"m": 2}, {"m": 2, "n": 1}, ["answers.m"], []),  # two new answers
        ({"a": 1}, {"a": 1}, {}, {}, ["answers.a"], []),  # they removed it
    ],
)
def test_1_three_way_merge(base, mine, theirs, merged, taken, refused):
    def wrap(d):
        return {"plan": d}  # a keyed section named plan.<key>

    out, got_taken, got_refused = merge(wrap(base), wrap(mine), wrap(theirs))
    assert out.get("plan", {}) == merged
    assert got_taken == [t.replace("answers", "plan") for t in taken]
    assert got_refused == [(w.replace("answers", "plan"), m, t) for w, m, t in refused]


# --- 2. a different store takes over an audit ---------------------------------------------


def test_2_a_default_name_is_resumed_only_for_the_same_store(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mini = DATA / "mini.yaml"
    assert cli("run", mini, "--store", "Tea & Co", input="1\n").exit_code == 0
    second = cli("run", mini, "--store", "Tea Co", "--auditor", "Mallory", input="4\n")
    assert second.exit_code == 0, second.output
    first, other = Path(f"tea-co-{TODAY}.yaml"), Path(f"tea-co-{TODAY}-2.yaml")
    assert f"{first} is an audit of 'Tea & Co': this audit is saved as {other}" in second.stdout
    kept = yaml.safe_load(first.read_text())
    assert kept["store"] == {"name": "Tea & Co", "segment": "b2c", "language": "en"}
    assert kept["answers"] == {"A1": {"score": 1}}
    assert yaml.safe_load(other.read_text())["store"]["auditor"] == "Mallory"
    again = cli("run", mini, "--store", "tea  & co", input="2\n")  # same store, other spacing
    assert "Resuming" in again.stdout and answers_of(first) == {
        "A1": {"score": 1},
        "A2": {"score": 2},
    }


def test_2_names_that_slug_to_nothing_do_not_share_a_file(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mini = DATA / "mini.yaml"
    for name in ("🍵", "..", "🍵"):
        assert cli("run", mini, "--store", name, input="").exit_code == 0
    files = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".yaml")
    assert files == [f"store-{TODAY}-2.yaml", f"store-{TODAY}.yaml"]
    assert yaml.safe_load(Path(f"store-{TODAY}-2.yaml").read_text())["store"]["name"] == ".."
    blank = cli("run", mini, "--store", "   ", input="")
    assert blank.exit_code == 2 and "needs the store's name" in blank.stderr


# --- 3. alias bombs -----------------------------------------------------------------------


def bomb(levels: int = 30) -> str:
    lines = ["cxaudit: 1", "x0: &x0 [a, b]"]
    lines += [f"x{i}: &x{i} [*x{i - 1}, *x{i - 1}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_3_an_alias_bomb_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb())
    started = time.monotonic()
    result = subprocess.run(
        [*CXAUDIT, "score", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert f"{path}:32:18: aliases (*name) expand to more than 200,000 values" in result.stderr
    assert time.monotonic() - started < 30  # before the fix: forever


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cxaudit: 1\na: &a [1]\nb: [" + ", ".join(["*a"] * 101) + "]\n", "more than 100 aliases"),
        ("cxaudit: 1\na: &a [*a]\n", "refers to a value that contains it"),
    ],
)
def test_3_many_aliases_or_a_cycle_are_refused(cli, tmp_path, text, message):
    path = tmp_path / "a.yaml"
    path.write_text(text)
    result = cli("score", path)
    assert result.exit_code == 2
    assert message in result.stderr


def test_3_a_bomb_in_a_folder_does_not_block_the_portfolio(cli, tmp_path):
    new_audit(cli, tmp_path / "good.yaml", answers="3\n")
    (tmp_path / "bomb.yaml").write_text(bomb())
    result = cli("portfolio", tmp_path)
    assert result.exit_code == 0, result.output
    assert "1 store, 1 audit read" in result.stdout
    assert "bomb.yaml:32:18: aliases" in result.output.replace("\n", "")


# --- 4. tracebacks where a located error is due -------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("updated: ", "updated: 2026-11-31T10:00:00+00:00\n#", "12:10", "not a real date and time"),
        ("answers: {}", "answers:\n  A2: {score: !!int abc}", "14:15", "not a number"),
        ("answers: {}", "answers:\n  B2: {value: !!float abc}", "14:15", "not a number"),
        ("started: ", "started: !!timestamp abc\n#", "11:10", "not a real date and time"),
        ("answers: {}", "answers:\n  A2: {score: " + "9" * 5000 + "}", "14:15", "too many digits"),
        ("answers: {}", "answers:\n  B2: {value: 1e400}", "14:15", "finite number"),
    ],
)
def test_4_every_loader_exception_is_a_located_problem(cli, tmp_path, old, new, where, message):
    path = new_audit(cli, tmp_path / "a.yaml")
    path.write_text(path.read_text().replace(old, new, 1))
    result = cli("score", path)
    no_traceback(result)
    assert result.exit_code == 2
    assert f"{path}:{where}: " in result.stderr
    assert message in result.stderr


def test_4_a_symlink_loop_as_output_is_a_message(cli, tmp_path):
    audit = new_audit(cli, tmp_path / "a.yaml")
    os.symlink("loop.html", tmp_path / "loop.html")
    result = cli("report", audit, "-o", tmp_path / "loop.html", "-f", "html")
    no_traceback(result)
    assert result.exit_code == 2
    assert "loop.html: cannot follow this path (symbolic link loop)" in result.stderr


def test_4_compare_and_baseline_across_checklist_ids_are_a_warning(cli, tmp_path):
    mini = new_audit(cli, tmp_path / "mini.yaml", answers="3\n")
    quick = tmp_path / "quick.yaml"
    assert cli("run", "quick", "--store", "Acme", "--out", quick, input="3\n").exit_code == 0
    result = cli("compare", mini, quick)
    no_traceback(result)
    assert result.exit_code == 0
    warning = " ".join(result.output.split())
    assert "different checklists (mini, quick): they are compared on the 0 items" in warning
    result = cli("report", quick, "--baseline", mini, "-f", "html")
    no_traceback(result)
    assert result.exit_code == 0


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_4_a_device_or_fifo_is_refused_without_reading_it(tmp_path, kind):
    path = Path("/dev/zero") if kind == "device" else tmp_path / "fifo.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    result = subprocess.run(
        [*CXAUDIT, "score", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert f"{path}: not a regular file" in result.stderr


def test_4_one_bad_file_never_aborts_a_report_batch_or_a_portfolio(cli, tmp_path):
    good = new_audit(cli, tmp_path / "a.yaml", answers="3\n")
    bad = tmp_path / "b.yaml"
    bad.write_text(good.read_text().replace("updated: ", "updated: 2026-11-31T10:00:00+00:00\n#"))
    out = tmp_path / "out"
    out.mkdir()
    batch = cli("report", good, bad, "-o", out, "-f", "html", "-j", "1")
    no_traceback(batch)
    assert batch.exit_code == 2
    assert "1 of 2 reports written." in batch.stdout
    assert (out / "a.html").is_file() and not (out / "b.html").exists()
    assert "b.yaml:12:10: cannot read the value" in batch.stderr
    folder = cli("portfolio", tmp_path)
    assert folder.exit_code == 0
    assert "b.yaml:12:10: cannot read the value" in folder.output.replace("\n", "")


def test_4_a_worker_killed_mid_batch_is_reported_and_the_rest_written(cli, tmp_path):
    paths = [new_audit(cli, tmp_path / f"a{n}.yaml", answers="3\n") for n in range(3)]
    proc = subprocess.Popen(
        [*CXAUDIT, "report", *map(str, paths), "-o", str(tmp_path), "-f", "pdf", "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        children = subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
        ).stdout.split()
        for child in children:
            try:  # a forked render worker has its parent's command line; helpers do not
                own = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
                if Path(f"/proc/{child}/cmdline").read_bytes() != own:
                    continue
                time.sleep(0.5)  # let it start on a report
                os.kill(int(child), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                continue
            killed = int(child)
            break
        time.sleep(0.05)
    out, err = proc.communicate(timeout=300)
    assert killed is not None, "no worker process to kill"
    assert "Traceback" not in err
    assert "BrokenProcessPool" not in err
    written = [p for p in paths if p.with_suffix(".pdf").is_file()]
    assert f"{len(written)} of 3 reports written." in out
    assert proc.returncode == (0 if len(written) == 3 else 2)


# --- 5. a batch overwrites its own outputs -------------------------------------------------


def test_5_two_audits_of_one_name_get_two_reports(cli, tmp_path):
    one = new_audit(cli, (tmp_path / "b1").mkdir() or tmp_path / "b1" / "audit.yaml", "One")
    two = new_audit(cli, (tmp_path / "b2").mkdir() or tmp_path / "b2" / "audit.yaml", "Two")
    out = tmp_path / "out"
    out.mkdir()
    result = cli("report", one, two, one, "-o", out, "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "2 of 2 reports written." in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["audit-2.html", "audit.html"]
    stores = {p.name: ("One" in p.read_text()) for p in out.iterdir()}
    assert stores == {"audit.html": True, "audit-2.html": False}
    assert f"is already the report of {one}; writing {out / 'audit-2.html'}" in result.stderr
    assert f"{one} is given twice: rendered once" in result.stderr


# --- 6. symlinked audit files --------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs a second file system")
def test_6_a_link_to_another_file_system_is_written_through(cli, tmp_path):
    elsewhere = Path(f"/dev/shm/cxaudit-test-{os.getpid()}")
    elsewhere.mkdir(exist_ok=True)
    try:
        real = new_audit(cli, elsewhere / "real.yaml")
        link = tmp_path / "link.yaml"
        link.symlink_to(real)
        result = cli("run", "--out", link, input="3\n")
        assert result.exit_code == 0, result.output
        assert link.is_symlink() and answers_of(real) == {"A1": {"score": 3}}
    finally:
        shutil.rmtree(elsewhere)


def test_6_a_link_stays_a_link_and_its_relative_checklist_is_found(cli, tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "audits").mkdir()
    (tmp_path / "links" / "deeper").mkdir(parents=True)
    checklist = tmp_path / "lists" / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", checklist)
    real = tmp_path / "audits" / "a.yaml"
    assert cli("run", checklist, "--store", "Acme", "--out", real, input="").exit_code == 0
    link = tmp_path / "links" / "deeper" / "a.yaml"
    link.symlink_to(real)
    assert cli("run", "--out", link, input="2\n").exit_code == 0
    assert link.is_symlink()
    assert answers_of(real) == {"A1": {"score": 2}}
    score = cli("score", link)
    assert score.exit_code == 0, score.output


# --- 7. content reaching the terminal ------------------------------------------------------

HOSTILE = r"Is A1 \e]0;pwned\a\e[2J\e[31min place?\x9b2J"


def test_7_control_sequences_in_a_checklist_never_reach_the_terminal(cli, tmp_path):
    checklist = tmp_path / "c.yaml"
    text = (DATA / "mini.yaml").read_text()
    checklist.write_text(text.replace("question: Is A1 in place?", f'question: "{HOSTILE}"'))
    shown = cli("checklist", "show", checklist)
    run = cli("run", checklist, "--store", "X", "--out", tmp_path / "a.yaml", input="3\n")
    for result in (shown, run):
        assert result.exit_code == 0, result.output
        assert "Is A1 in" in result.stdout and "pwned" not in result.stdout
        assert not any(c in result.output for c in "\x1b\x07\x9b")
    assert "A1: Is A1 in place?" in run.stdout  # whole sequences gone, no "[31m" residue


def test_7_a_store_name_cannot_reverse_or_recolour_the_score_screen(cli, tmp_path):
    evil = new_audit(cli, tmp_path / "e.yaml", store="Evil\u202eCo \x1b[8mhidden", answers="3\n")
    result = cli("score", evil)
    assert result.exit_code == 0, result.output
    assert "EvilCo hidden" in result.stdout
    assert "\u202e" not in result.stdout and "\x1b" not in result.stdout
    hebrew = new_audit(cli, tmp_path / "h.yaml", store="חנות תה", answers="3\n")
    assert "\u2068חנות תה\u2069" in cli("score", hebrew).stdout  # isolated in the sentence


def test_7_json_on_a_terminal_escapes_c1_and_bidi_controls():
    from audit.terminal import json_text

    text = json_text({"note": "a\x9b2Jb\u202ec\x1b"})
    assert text == '{"note": "a\\u009b2Jb\\u202ec\\u001b"}'


def test_7_answer_keys_must_be_item_ids(cli, tmp_path):
    path = new_audit(cli, tmp_path / "a.yaml")
    key = "'[click](https://evil.example) <img src=x onerror=alert(1)>'"
    path.write_text(path.read_text().replace("answers: {}", f"answers:\n  {key}: {{score: 1}}"))
    result = cli("score", path)
    assert result.exit_code == 2
    assert f"{path}:14:3: answers: key " in result.stderr
    assert "not an item id" in result.stderr


# --- 8. resources --------------------------------------------------------------------------


def test_8_jobs_are_capped_by_cores_and_the_user_is_told(cli, tmp_path):
    paths = [new_audit(cli, tmp_path / f"a{n}.yaml") for n in range(2)]
    result = cli("report", *paths, "-o", tmp_path, "-f", "json", "-j", "64")
    assert result.exit_code == 0, result.output
    cores = os.cpu_count()
    assert f"--jobs 64: using 2 ({cores} cores," in result.stderr


def test_8_a_huge_note_is_refused_at_input(cli, tmp_path):
    path = tmp_path / "a.yaml"
    result = cli("run", DATA / "mini.yaml", "--store", "X", "--out", path, input="3 " + "x" * 5000)
    assert result.exit_code == 2
    assert "the note has 5000 characters; keep it under 2000" in result.stderr
    assert answers_of(path) == {}
    path.write_text(
        path.read_text().replace("answers: {}", f"answers:\n  A1: {{note: {'y' * 3000}}}")
    )
    assert "String should have at most 2000 characters" in cli("score", path).stderr


def test_8_portfolio_skips_a_large_or_foreign_yaml_without_parsing_it(cli, tmp_path):
    new_audit(cli, tmp_path / "a.yaml", answers="3\n")
    with open(tmp_path / "huge.yaml", "w") as handle:
        handle.write("cxaudit: 1\nnotes:\n" + ("  - " + "y" * 1020 + "\n") * 11_000)
    (tmp_path / "other.yaml").write_text("title: [unclosed\n")  # would be a YAML error
    result = cli("portfolio", tmp_path)
    assert result.exit_code == 0, result.output
    skipped = result.output.replace("\n", "")
    assert "huge.yaml: larger than 10 MB; not read" in skipped
    assert "other.yaml:1:1:" in skipped and "YAML syntax" not in skipped


# --- 9. small but real ---------------------------------------------------------------------


def test_9_stale_temp_files_are_removed_and_new_files_are_private(cli, tmp_path):
    path = new_audit(cli, tmp_path / "s.yaml")
    assert path.stat().st_mode & 0o777 == 0o600
    stale, fresh = tmp_path / ".s.yaml.dead1234.tmp", tmp_path / ".s.yaml.live5678.tmp"
    stale.write_text("half")
    fresh.write_text("being written")
    os.utime(stale, (1, 1))
    assert cli("run", "--out", path, input="3\n").exit_code == 0
    assert not stale.exists() and fresh.exists()
    report = tmp_path / "s.html"
    assert cli("report", path, "-o", report).exit_code == 0
    assert report.stat().st_mode & 0o777 == 0o600
    os.chmod(report, 0o644)
    assert cli("report", path, "-o", report).exit_code == 0
    assert report.stat().st_mode & 0o777 == 0o644  # an existing file keeps its mode


def test_9_pdf_layout_warnings_are_collected_not_dropped():
    from audit.render import pdf, reporting

    # lang: a tagged PDF (PDF/UA) of a document without one logs that too
    pdf.html_to_pdf('<html lang="en"><p>x<img src="file:///etc/passwd"></p></html>')
    assert reporting.pdf_warnings("pdf") == [
        "Failed to load image at 'file:///etc/passwd': ValueError: "
        "cxaudit reports load only their own files, not file:///etc/passwd"
    ]


def test_9_a_400_digit_metric_answer_is_refused(cli, tmp_path):
    path = tmp_path / "a.yaml"
    huge = "9" * 400
    result = cli(
        "run", DATA / "mini.yaml", "--store", "X", "--out", path, input=f"3\n3\nn\n{huge}\n"
    )
    assert result.exit_code == 2
    assert "is too long: a number has at most 15 digits" in result.stderr
    assert "B2" not in answers_of(path)


def test_9_a_bom_on_piped_answers_is_not_an_answer(cli, tmp_path):
    path = tmp_path / "a.yaml"
    result = cli("run", DATA / "mini.yaml", "--store", "X", "--out", path, input="\ufeff3\n1\n")
    assert result.exit_code == 0, result.output
    assert answers_of(path) == {"A1": {"score": 3}, "A2": {"score": 1}}


def test_9_utf16_is_named(cli, tmp_path, runner):
    audit = new_audit(cli, tmp_path / "a.yaml")
    utf16 = tmp_path / "u.yaml"
    utf16.write_bytes(audit.read_text().encode("utf-16"))
    assert "u.yaml: the file is UTF-16 text; save it as UTF-8" in cli("score", utf16).stderr
    checklist = tmp_path / "c.yaml"
    checklist.write_bytes((DATA / "mini.yaml").read_text().encode("utf-16"))
    assert "the file is UTF-16 text" in cli("checklist", "validate", checklist).stderr
    from audit.cli import app

    piped = runner.invoke(app, ["run", "--out", str(audit)], input="3\n".encode("utf-16"))
    assert piped.exit_code == 2
    assert "standard input is UTF-16 text: pipe the answers as UTF-8" in piped.stderr
    assert "Resume with: cxaudit run --out" in piped.stderr


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_9_sigterm_and_sighup_save_and_say_so(cli, tmp_path, sig, code):
    path = new_audit(cli, tmp_path / "a.yaml")
    run = Piped("--out", path)
    run.answer("3")
    run.proc.send_signal(sig)
    returncode, _out, err = run.finish()
    assert returncode == code
    assert f"Stopped by {signal.Signals(sig).name}." in err
    assert f"Resume with: cxaudit run --out {path}" in err
    assert answers_of(path) == {"A1": {"score": 3}}
    assert not lock_path(path).exists()


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare and a tmpfs mount")
def test_9_disk_full_names_the_file_and_how_to_resume(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    audit = disk / "a.yaml"
    script = (
        f"mount -t tmpfs -o size=12k tmpfs {disk} && "
        f"{sys.executable} -m audit run {DATA / 'mini.yaml'} --store Acme --out {audit}"
    )
    note = "n" * 1900
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        input=f"3 {note}\n3 {note}\ny {note}\n42 {note}\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert result.returncode == 2, result.stderr
    assert f"{audit}: No space left on device. The last answer was not saved." in result.stderr
    assert f"Every earlier answer is saved in {audit}." in result.stderr
    assert f"Resume with: cxaudit run --out {audit}" in result.stderr
    assert "Traceback" not in result.stderr
