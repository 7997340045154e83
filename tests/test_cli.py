"""Every command has help; `score` prints tables and the JSON shape of the spec."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from audit.cli import app

COMMANDS = [
    ["run"],
    ["score"],
    ["report"],
    ["compare"],
    ["portfolio"],
    ["plan"],
    ["bundle"],
    ["demo"],
    ["checklist"],
    ["checklist", "list"],
    ["checklist", "show"],
    ["checklist", "validate"],
    ["checklist", "schema"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert len(result.stdout.strip().splitlines()) > 4


def test_every_registered_command_is_in_the_list_above():
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups}
    assert names == {c[0] for c in COMMANDS}


def test_help_does_not_import_the_heavy_libraries():
    code = (
        "import sys; from audit.cli import app; from typer.testing import CliRunner; "
        "CliRunner().invoke(app, ['--help']); "
        "print(sorted(m for m in ('weasyprint', 'pydantic', 'jinja2', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_usage_error_exits_2(cli):
    result = cli("run", "--segment", "b2x")
    assert result.exit_code == 2


@pytest.fixture
def scored(cli, tmp_path, mini):
    out = tmp_path / "a.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="3 mostly\n4\ny\n25\n")
    return out


def test_score_json_has_the_spec_shape(cli, scored):
    result = cli("score", scored, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["overall"] == {"score": 37.5, "band": "falls short"}
    assert data["categories"]["c1"] == {
        "score": 83.33,
        "band": "meets",
        "answered": 2,
        "na": 0,
        "unanswered": 0,
    }
    assert data["strategies"]["s2"]["score"] == 25.0
    assert data["completion"] == {"items": 4, "answered": 4, "na": 0, "unanswered": 0}
    assert data["red_flags"] == ["B1"]
    assert data["gaps"][0] == {
        "id": "B1",
        "impact": 4.0,
        "level": 0,
        "weight": 4,
        "effort": "high",
        "critical": True,
    }
    assert data["quick_wins"] == ["B2"]
    assert data["plan"] == {"30": ["B1", "B2"], "60": [], "90": [], "backlog": []}
    assert data["polish"] == ["A1"]
    assert set(data["evidence"]) == {"observed", "test", "measured", "document", "reported"}
    assert data["orphans"] == []


def test_score_tables(cli, scored):
    result = cli("score", scored)
    assert result.exit_code == 0
    out = result.stdout
    assert "Overall 37.5 falls short" in out
    assert "Category one" in out and "83.3" in out
    assert "Red flags" in out and "B1" in out
    assert "Quick wins: B2" in out


def test_score_of_an_incomplete_audit_says_so(cli, tmp_path, mini):
    out = tmp_path / "a.yaml"
    cli("run", mini, "--store", "Acme", "--out", out, input="3\n")
    result = cli("score", out)
    assert "Incomplete audit: 3 items unanswered." in result.stdout
    data = json.loads(cli("score", out, "--json").stdout)
    assert data["categories"]["c2"]["score"] is None
