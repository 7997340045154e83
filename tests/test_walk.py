"""The walkthrough, second edition, through the CLI: moving about, keeping what was said,
resume flags, languages, help and tables (piped; the terminal screens are in test_screens.py).
"""

from __future__ import annotations

import re
import sys

import pytest
import yaml

from .conftest import write
from .test_cli import COMMANDS as CLI_COMMANDS


def answers_of(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


def start(cli, tmp_path, mini, lines: str, *extra: str):
    out = tmp_path / "a.yaml"
    result = cli("run", mini, "--store", "Acme", "--out", out, *extra, input=lines)
    return out, result


# --- navigation ----------------------------------------------------------------------


def test_a_script_jumps_with_g_and_then_goes_round_to_what_it_passed(cli, tmp_path, mini):
    out, result = start(cli, tmp_path, mini, "3\ng b2\n40\n2\ny\n")
    assert result.exit_code == 0, result.output
    asked = re.findall(r"^\d/4 · [^·]+ · (\w+):", result.stdout, re.M)
    assert asked == ["A1", "A2", "B2", "A2", "B1"]  # after B2, round to A2 then on to B1
    assert answers_of(out) == {
        "A1": {"score": 3},
        "B2": {"value": 40},
        "A2": {"score": 2},
        "B1": {"answer": "yes"},
    }
    assert "Audit complete" in result.stdout


def test_g_to_an_unknown_item_says_so_and_the_next_line_answers_the_same_item(cli, tmp_path, mini):
    out, result = start(cli, tmp_path, mini, "g ZZ-9\n3\n")
    assert "no item ZZ-9 in this audit" in result.stderr
    assert answers_of(out) == {"A1": {"score": 3}}


def test_resume_goes_from_unanswered_to_unanswered(cli, tmp_path, mini):
    out, _result = start(cli, tmp_path, mini, "3\ns\nn\n")  # A1, skip A2, B1 answered
    result = cli("run", "--out", out, input="1\n30\n")
    asked = re.findall(r"^\d/4 · [^·]+ · (\w+):", result.stdout, re.M)
    assert asked == ["A2", "B2"]  # never A1 or B1 again
    assert answers_of(out) == {
        "A1": {"score": 3},
        "B1": {"answer": "no"},
        "A2": {"score": 1},
        "B2": {"value": 30},
    }


def test_search_lists_matches_and_a_number_goes_there(cli, tmp_path, mini):
    out, result = start(cli, tmp_path, mini, "/nps\n1\n55\n")
    assert "1 item has nps" in result.stdout
    assert re.search(r"1\s+B2\s+·\s+What is your NPS\?", result.stdout)
    assert answers_of(out) == {"B2": {"value": 55}}


def test_search_with_no_match_says_so(cli, tmp_path, mini):
    out, result = start(cli, tmp_path, mini, "/parrots\n2\n")
    assert "no question has parrots" in result.stderr
    assert answers_of(out) == {"A1": {"score": 2}}


def test_l_lists_categories_with_progress_and_goes_to_the_first_open_item(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "4\n")
    result = cli("run", "--out", out, input="l\n2\ny\n")
    assert "Categories: answered/items" in result.stdout
    assert re.search(r"1\s+1/2\s+Category one", result.stdout)
    assert re.search(r"2\s+0/2\s+Category two", result.stdout)
    assert answers_of(out)["B1"] == {"answer": "yes"}


def test_n_goes_to_the_next_unanswered_item_and_on_yes_no_items_n_is_no(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "4\n4\n")  # category one done
    result = cli("run", "--out", out, "--review", input="n\nn\n")
    # From A1 in review, n jumps to B1 (first unanswered); there n answers "no".
    assert answers_of(out)["B1"] == {"answer": "no"}
    assert "B1: Do replies take days?" in result.stdout


# --- review keeps what was said --------------------------------------------------------


@pytest.fixture
def noted(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "3 spec sheets on most product pages\n2 by email\nn\n40\n")
    return out


def test_review_empty_line_keeps_answer_note_and_evidence(cli, noted, tmp_path):
    (tmp_path / "sheet.txt").write_text("spec sheet", encoding="utf-8")
    result = cli("run", "--out", noted, "--review", input=f"e {tmp_path / 'sheet.txt'}\n\n")
    assert result.exit_code == 0, result.output
    a1 = answers_of(noted)["A1"]
    assert a1["score"] == 3 and a1["note"] == "spec sheets on most product pages"
    assert a1["evidence"][0]["kind"] == "observed"  # a file with no kind named
    assert a1["evidence"][0]["ref"].endswith(".txt")


def test_review_a_new_score_alone_keeps_the_note(cli, noted):
    cli("run", "--out", noted, "--review", input="4\n")
    assert answers_of(noted)["A1"] == {"score": 4, "note": "spec sheets on most product pages"}


def test_review_a_score_with_a_note_replaces_the_note(cli, noted):
    cli("run", "--out", noted, "--review", input="3 on every page now\n")
    assert answers_of(noted)["A1"] == {"score": 3, "note": "on every page now"}


def test_review_score_dash_clears_the_note_and_dash_alone_keeps_the_score(cli, noted):
    cli("run", "--out", noted, "--review", input="2 -\n-\n\n")
    answers = answers_of(noted)
    assert answers["A1"] == {"score": 2}
    assert answers["A2"] == {"score": 2}


def test_evidence_on_an_unanswered_item_is_kept_and_the_item_still_asked(cli, tmp_path, mini):
    out, result = start(cli, tmp_path, mini, "e https://shop.example/stock observed\n")
    assert "Evidence attached to A1: https://shop.example/stock" in result.stdout
    assert answers_of(out)["A1"]["evidence"][0]["kind"] == "observed"
    result = cli("run", "--out", out, input="3 fine\n")
    assert "1/4 · Category one · A1" in result.stdout  # evidence alone is no answer
    a1 = answers_of(out)["A1"]
    assert a1["score"] == 3 and a1["note"] == "fine" and len(a1["evidence"]) == 1


def test_evidence_that_cannot_be_attached_is_one_line_and_nothing_is_lost(cli, tmp_path, mini):
    out, result = start(cli, tmp_path, mini, "3\ne /no/such/file.pdf document\n2\n")
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    assert "/no/such/file.pdf" in result.stderr
    assert answers_of(out) == {"A1": {"score": 3}, "A2": {"score": 2}}


# --- resume flags ------------------------------------------------------------------------


def test_store_and_auditor_on_resume_update_the_audit_with_a_line(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "3\n")
    result = cli("run", "--out", out, "--store", "Acme Ltd", "--auditor", "Dana", input="")
    assert "Store name changed from Acme to Acme Ltd." in result.stdout
    assert "Auditor changed from (none) to Dana." in result.stdout
    store = yaml.safe_load(out.read_text())["store"]
    assert store["name"] == "Acme Ltd" and store["auditor"] == "Dana"


def test_another_segment_on_resume_is_refused_without_yes(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "3\n")
    before = out.read_text()
    result = cli("run", "--out", out, "--segment", "b2b", input="4\n")
    assert result.exit_code == 2
    assert "is a B2C audit; --segment b2b changes which items apply" in result.stderr
    assert "--yes" in result.stderr
    assert out.read_text() == before
    result = cli("run", "--out", out, "--segment", "B2B", "--yes", input="")
    assert result.exit_code == 0, result.output
    assert "Segment changed from b2c to b2b." in result.stdout
    assert yaml.safe_load(out.read_text())["store"]["segment"] == "b2b"


def test_segment_is_case_insensitive_on_the_command_line(cli, tmp_path, mini):
    out, result = start(cli, tmp_path, mini, "4\n4\ny\n60\n30\n", "--segment", "B2B")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text())["store"]["segment"] == "b2b"


# --- languages -------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["fr", "zh", "klingon"])
def test_lang_accepts_only_shipped_languages(cli, tmp_path, code):
    result = cli("checklist", "show", "quick", "--lang", code)
    assert result.exit_code == 2
    assert f"{code} is not a language cxaudit speaks" in result.stderr
    assert "en, ar, he, zh-Hant" in result.stderr


@pytest.mark.parametrize(
    ("code", "word"),
    [("EN", "Quick"), ("zh-TW", "快速"), ("zh_Hant", "快速"), ("he_IL", "מהירה"), ("HE", "מהירה")],
)
def test_lang_matches_case_and_aliases(cli, code, word):
    result = cli("checklist", "show", "quick", "--lang", code)
    assert result.exit_code == 0, result.output
    assert word in result.stdout.splitlines()[0]


def test_checklist_title_in_the_chosen_language_when_a_run_starts(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    import sys

    child = pexpect.spawn(
        sys.executable,
        ["-m", "audit", "run", "quick", "--lang", "zh-TW", "--out", str(tmp_path / "z.yaml")],
        env={"TERM": "xterm", "PATH": "/usr/bin:/bin"},
        encoding="utf-8",
        dimensions=(30, 100),
        timeout=60,  # generous: the machine is shared
    )
    child.expect_exact("商店名稱")  # the store's name asked in Chinese ...
    assert "客戶期望快速檢核" in child.before, child.before  # ... after the checklist's title
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


# --- help ------------------------------------------------------------------------------

COMMANDS = [c for c in CLI_COMMANDS if c != ["checklist"]]  # a group has no examples


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_examples_and_clean_metavars(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert "Examples:" in text
    assert re.search(r"^\s*cxaudit " + " ".join(command), text, re.M)
    for leak in ("<str>", "<bool>", "<path>", "<int>", "list[Path]", "<list"):
        assert leak not in text, (command, leak)


def test_run_help_gives_the_answer_grammar(cli):
    text = " ".join(cli("run", "--help").stdout.split())
    for part in ("g ID", "/words", "?? the full scale", "3 - (score 3 and clear the note)", "e "):
        assert part in text, part
    assert "--yes" in text


def test_checklist_show_lang_help_mentions_no_audit(cli):
    text = cli("checklist", "show", "--help").stdout
    lang = text.split("--lang")[1].split("--help")[0]
    assert "locale" in lang and "audit" not in lang


# --- tables ----------------------------------------------------------------------------


def test_checklist_show_is_a_readable_list_and_full_has_everything(cli):
    short = cli("checklist", "show", "ecommerce").stdout.splitlines()
    full = cli("checklist", "show", "ecommerce", "--full").stdout.splitlines()
    assert len(short) * 5 < len(full)  # one line an item, against every field
    assert max(len(line) for line in short) <= 80
    assert any(re.match(r"\s+EXP-04 !\s+Does every product", line) for line in short)
    assert any("b2b" in line for line in short)  # segment flags
    assert any(re.search(r"\s4/3\s", line) for line in short)  # per-segment weights


def test_compare_shows_answers_not_only_levels(cli, tmp_path, mini):
    old, _ = start(cli, tmp_path, mini, "1\n2\ny\n10\n")
    new = tmp_path / "b.yaml"
    cli("run", mini, "--store", "Acme", "--out", new, input="3\n2\nn\n45\n")
    data = yaml.safe_load(old.read_text())
    data["updated"] = "2026-01-01T10:00:00+00:00"
    old.write_text(yaml.safe_dump(data))
    out = cli("compare", old, new).stdout
    assert re.search(r"B1\s+yes → no\s+Do replies take days\?", out)
    assert re.search(r"B2\s+10 NPS points → 45 NPS points", out)
    assert re.search(r"A1\s+1 → 3", out)
    assert max(len(line) for line in out.splitlines()) <= 80


# --- rough edges -----------------------------------------------------------------------


def test_emoji_notes_are_written_as_themselves(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "3 👍 great\n")
    assert "👍 great" in out.read_text(encoding="utf-8")
    assert "\\U0001F44D" not in out.read_text(encoding="utf-8")


def test_one_item_is_singular(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "3\n4\nn\n")
    assert "Incomplete audit: 1 item unanswered." in cli("score", out).stdout


def test_stop_summary_counts_as_the_header_does_and_a_finished_run_gives_the_score(
    cli, tmp_path, mini
):
    out, result = start(cli, tmp_path, mini, "3\nna none\nn\n40\n")
    assert "Audit complete: 3 answered, 1 N/A, 0 open of 4 items." in result.stdout
    assert re.search(r"Overall score: \d+\.\d · \w+", result.stdout)


def test_report_to_an_unknown_suffix_is_refused(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "3\n4\nn\n40\n")
    result = cli("report", out, "-o", tmp_path / "a.txt")
    assert result.exit_code == 2
    assert ".txt is not a report format" in result.stderr
    assert not (tmp_path / "a.txt").exists()


def test_report_to_a_folder_that_does_not_exist_makes_it(cli, tmp_path, mini):
    out, _ = start(cli, tmp_path, mini, "3\n4\nn\n40\n")
    result = cli("report", out, "-o", tmp_path / "reports", "-f", "md")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "a.md").exists()


def test_rising_thresholds_message_names_better_lower(cli, tmp_path, mini):
    text = mini.read_text().replace("    better: lower\n", "")
    bad = write(tmp_path, "bad.yaml", text)
    result = cli("checklist", "validate", bad)
    assert result.exit_code == 2
    assert "items[4] (B3)" in result.stderr
    assert "add `better: lower`" in result.stderr
    assert "1 problem. Fix it and run" in result.stderr


def test_portfolio_leaves_checklists_in_the_folder_alone(cli, tmp_path, mini):
    start(cli, tmp_path, mini, "3\n4\nn\n40\n")  # a.yaml beside mini.yaml
    (tmp_path / "broken.yaml").write_text("cxaudit: 1\nstore: [\n", encoding="utf-8")
    result = cli("portfolio", tmp_path)
    assert result.exit_code == 0, result.output
    skipped = result.stdout.split("Skipped")[1]
    assert "mini.yaml" not in skipped  # a checklist is not an unreadable audit
    assert "Skipped 1 file that is not a readable audit:" in result.stdout
    assert "broken.yaml" in result.stdout


@pytest.mark.parametrize(
    ("text", "where", "said"),
    [
        ("id: x\n  version: 1.0.0\n", ":2:10:", "check this line's indentation"),
        ("id: x\ncategories:\n  - id: a\n   title: A\n", ":4:4:", "not indented like the lines"),
        ("id: x\ntitle: [a, b\n", ":", "is not closed"),
    ],
)
def test_yaml_mistakes_are_said_in_plain_words(cli, tmp_path, text, where, said):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("checklist", "validate", path)
    assert result.exit_code == 2
    assert f"{path}{where}" in result.stderr and said in result.stderr
    for pyyaml in ("mapping values are not allowed", "while parsing", "expected <block end>"):
        assert pyyaml not in result.stderr


def test_help_reads_right_to_left_on_a_terminal_that_does_not_reorder():
    """Typer's help screen in Hebrew: each line reordered for the screen, options kept whole."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "audit", "score", "--help"],
        env={
            "TERM": "xterm",
            "PATH": "/usr/bin:/bin",
            "LANG": "he_IL.UTF-8",
            "CXAUDIT_BIDI": "reorder",
        },
        encoding="utf-8",
        dimensions=(40, 100),
        timeout=60,
    )
    screen = child.read()
    assert "תויורשפא" in screen  # "אפשרויות" (Options), in the order the screen shows it
    assert "אפשרויות" not in screen
    assert "--json" in screen and "json--" not in screen
