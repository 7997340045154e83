"""The README opens with the two set-up commands and documents every command."""

from __future__ import annotations

from pathlib import Path

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_readme_opens_with_make_demo_and_make_test():
    block = README.split("```")[1]
    lines = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert lines == ["make demo", "make test"]


def test_readme_documents_every_command():
    from audit.cli import app, checklist_app

    for command in app.registered_commands:
        assert f"cxaudit {command.name or command.callback.__name__} " in README
    usage = next(line for line in README.splitlines() if line.startswith("cxaudit checklist "))
    for command in checklist_app.registered_commands:
        assert f" {command.name} " in usage + " ", command.name


def test_ci_runs_make_test():
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci
