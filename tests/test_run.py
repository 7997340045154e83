"""`cxaudit run` with answers on standard input, as scripts fill an audit."""

from __future__ import annotations

import yaml

from .conftest import write


def answers_of(path):
    return yaml.safe_load(path.read_text())["answers"]


def test_piped_answers_fill_the_audit(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    result = cli(
        "run",
        mini,
        "--store",
        "Acme",
        "--out",
        out,
        input="3 stock shown everywhere\nna no such thing\nn\n42\n",
    )
    assert result.exit_code == 0, result.output
    assert "Audit complete" in result.stdout
    assert answers_of(out) == {
        "A1": {"score": 3, "note": "stock shown everywhere"},
        "A2": {"na": True, "note": "no such thing"},
        "B1": {"answer": "no"},
        "B2": {"value": 42},
    }
    # yes/no answers are stored quoted: YAML 1.1 would read a bare no as false
    assert "answer: 'no'" in out.read_text()


def test_only_the_segments_items_are_asked(cli, tmp_path, mini):
    out = tmp_path / "b2b.yaml"
    result = cli(
        "run",
        mini,
        "--store",
        "Acme",
        "--segment",
        "b2b",
        "--out",
        out,
        input="4\n4\ny\n60\n30 hours on average\n",
    )
    assert result.exit_code == 0, result.output
    assert "5/5" in result.stdout
    assert answers_of(out)["B3"] == {"value": 30, "given": "30 hours", "note": "on average"}
    b2c = tmp_path / "b2c.yaml"
    result = cli("run", mini, "--store", "Acme", "--out", b2c, input="4\n4\ny\n60\n")
    assert "B3" not in result.stdout


def test_end_of_input_saves_and_a_rerun_resumes_at_the_first_unanswered(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    first = cli("run", mini, "--store", "Acme", "--out", out, input="2\ns\n")
    assert first.exit_code == 0
    assert "Resume with: cxaudit run --out" in first.stdout
    assert answers_of(out) == {"A1": {"score": 2}}
    second = cli("run", "--out", out, input="1\n")
    assert second.exit_code == 0
    assert "Resuming" in second.stdout
    assert "2/4" in second.stdout.splitlines()[1]
    assert answers_of(out) == {"A1": {"score": 2}, "A2": {"score": 1}}


def test_back_goes_to_the_previous_item(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="2\nb\n4 fixed it\n3\n")
    assert answers_of(out) == {"A1": {"score": 4, "note": "fixed it"}, "A2": {"score": 3}}


def test_review_keeps_answers_on_an_empty_line(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="2 first\n3\ny\n10\n")
    result = cli("run", "--out", out, "--review", input="\n1 worse\n\n\n")
    assert result.exit_code == 0, result.output
    assert answers_of(out) == {
        "A1": {"score": 2, "note": "first"},
        "A2": {"score": 1, "note": "worse"},
        "B1": {"answer": "yes"},
        "B2": {"value": 10},
    }


def test_a_complete_audit_is_not_asked_again(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="2\n3\ny\n10\n")
    again = cli("run", "--out", out, input="4\n")
    assert again.exit_code == 0
    assert "Audit complete" in again.stdout
    assert answers_of(out)["A1"] == {"score": 2}


def test_quit_stops_and_keeps_what_was_answered(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    result = cli("run", mini, "--store", "Acme", "--out", out, input="3\nq\n4\n")
    assert result.exit_code == 0
    assert "Stopped" in result.stdout
    assert answers_of(out) == {"A1": {"score": 3}}


def test_a_line_that_is_no_answer_is_reported_and_skipped(cli, tmp_path, mini):
    out = tmp_path / "audit.yaml"
    result = cli("run", mini, "--store", "Acme", "--out", out, input="7\n3\nmaybe\nabc\n")
    assert result.exit_code == 2
    assert "A1: '7' is not an answer: answer 0 to 4" in result.stderr
    assert "B1: 'maybe' is not an answer: answer y or n" in result.stderr
    assert "B2: 'abc' is not an answer: answer with a number" in result.stderr
    assert answers_of(out) == {"A2": {"score": 3}}


def test_a_new_audit_off_a_terminal_needs_the_store_name(cli, tmp_path, mini):
    result = cli("run", mini, "--out", tmp_path / "a.yaml", input="3\n")
    assert result.exit_code == 2
    assert "needs the store's name" in result.stderr
    assert "--store" in result.stderr
    assert not (tmp_path / "a.yaml").exists()


def test_default_file_name_comes_from_the_store(cli, tmp_path, mini, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("run", mini, "--store", "Café Lumière", input="3\n")
    assert result.exit_code == 0
    files = list(tmp_path.glob("café-lumière-*.yaml"))
    assert len(files) == 1, list(tmp_path.iterdir())


def test_checklist_given_by_path_is_found_again_from_elsewhere(cli, tmp_path, mini, monkeypatch):
    folder = tmp_path / "audits"
    folder.mkdir()
    out = folder / "a.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="3\n")
    recorded = yaml.safe_load(out.read_text())["checklist"]
    assert recorded["path"] == "../mini.yaml"
    assert recorded["id"] == "mini" and len(recorded["sha256"]) == 64
    monkeypatch.chdir(folder)
    assert cli("score", "a.yaml").exit_code == 0
    resumed = cli("run", "--out", "a.yaml", input="4\n")
    assert resumed.exit_code == 0
    assert answers_of(out)["A2"] == {"score": 4}


def test_shipped_checklist_is_recorded_by_id(cli, tmp_path):
    out = tmp_path / "q.yaml"
    cli("run", "quick", "--store", "Acme", "--out", out, input="3\n")
    recorded = yaml.safe_load(out.read_text())["checklist"]
    assert recorded["id"] == "quick" and "path" not in recorded


def test_resuming_with_another_checklist_is_refused(cli, tmp_path, mini):
    out = tmp_path / "a.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="3\n")
    result = cli("run", "quick", "--out", out, input="3\n")
    assert result.exit_code == 2
    assert "is an audit on the 'mini' checklist, not 'quick'" in result.stderr


def test_answers_for_items_no_longer_in_the_checklist_are_kept(cli, tmp_path, mini):
    out = tmp_path / "a.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="3\n2\n")
    # The checklist loses A2; the answer stays on disk, is reported, and survives another save.
    text = mini.read_text()
    start = text.index("  - id: A2")
    mini.write_text(text[:start] + text[text.index("  - id: B1") :])
    score = cli("score", out)
    assert "no longer in the checklist (kept): A2" in score.stdout
    cli("run", "--out", out, input="y\n")
    assert answers_of(out)["A2"] == {"score": 2}
    assert cli("score", out, "--json").stdout.count('"A2"') >= 1


def test_help_in_a_pipe_prints_guidance(cli, tmp_path, mini):
    out = tmp_path / "a.yaml"
    result = cli("run", mini, "--store", "Acme", "--out", out, input="?\n3\n")
    assert "Check: A1. Exceeds: A1 everywhere." in result.stdout
    assert answers_of(out) == {"A1": {"score": 3}}


def test_malformed_audit_file_is_a_located_error_and_is_left_alone(cli, tmp_path, mini):
    out = write(
        tmp_path,
        "a.yaml",
        f"""
        cxaudit: 1
        checklist: {{id: mini, version: 1.2.0, path: {mini.name}}}
        store: {{name: Acme, segment: b2x}}
        started: 2026-11-23T10:00:00+00:00
        updated: 2026-11-23T10:00:00+00:00
        answers:
          A1: {{score: 7}}
          A2: {{score: 2, na: true}}
    """,
    )
    before = out.read_text()
    result = cli("run", "--out", out, input="3\n")
    assert result.exit_code == 2
    assert f"{out}:3:30: store.segment: Input should be 'b2c' or 'b2b'" in result.stderr
    assert f"{out}:7:15: answers.A1.score: Input should be less than or equal to 4" in result.stderr
    assert (
        f"{out}:8:7: answers.A2: an answer has one of score, answer, value or na" in result.stderr
    )
    assert out.read_text() == before


def test_foreign_file_is_named_as_such(cli, tmp_path, mini):
    result = cli("score", mini)
    assert result.exit_code == 2
    assert "not a cxaudit audit file" in result.stderr
    assert (
        f"This looks like a checklist: start an audit on it with `cxaudit run {mini}`"
        in result.stderr
    )
    missing = cli("score", tmp_path / "nope.yaml")
    assert missing.exit_code == 2
    assert "no such audit file" in missing.stderr
