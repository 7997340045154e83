from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.cli import app

DATA = Path(__file__).parent / "data"
# The report's parts after the cover, in the spec's order (their headings in English).
PARTS = [
    "Executive summary",
    "Scores at a glance",
    "Action plan",
    "Red flags, quick wins and gaps",
    "Customer experience measures",
    "Appendix",
]


@pytest.fixture(autouse=True, scope="session")
def _a_cache_of_the_sessions_own(tmp_path_factory):
    """Checklists loaded in tests are kept in a folder of the session's (checklists/cache.py),
    shared by its tests and their subprocesses, never in the user's own cache."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """A command run in-process with --lang leaves its language behind (it is process-wide,
    as for a real run): put English back so the next test does not read another language."""
    yield
    from audit import i18n

    i18n.use("en")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner):
    """Invoke the CLI like a user would; stdout and stderr stay separate."""

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini checklist in tmp_path (tests may edit it)."""
    target = tmp_path / "mini.yaml"
    shutil.copy(DATA / "mini.yaml", target)
    return target


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path
