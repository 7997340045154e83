"""`cxaudit demo` and the shipped data: what a new user sees first."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import PARTS


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path, str]:
    """Render the demo once for the module: it is the slowest thing we test."""
    from typer.testing import CliRunner

    from audit.cli import app

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out / "demo-audit.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return out, pdf, text


def test_demo_prints_where_its_files_are(demo):
    out, pdf, _ = demo
    audit = out / "demo-audit.yaml"
    assert audit.is_file() and pdf.is_file()


def test_demo_report_names_the_store_and_has_every_part(demo):
    _, pdf, text = demo
    assert "Hollow Oak Tea Co." in text
    for heading in PARTS:
        assert heading in text, heading
    pages = len(PdfReader(pdf).pages)
    assert 15 <= pages <= 60, pages
    assert f"page 1 of {pages}" in text


def test_demo_audit_is_complete_and_mixed(demo, cli):
    """Every report part needs content: red flags, quick wins, all three plan horizons, notes."""
    out, _, text = demo
    result = cli("score", out / "demo-audit.yaml", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["completion"]["unanswered"] == 0
    assert data["red_flags"] and data["quick_wins"]
    assert all(data["plan"][h] for h in ("30", "60", "90"))
    bands = {c["band"] for c in data["categories"].values()}
    assert len(bands) >= 3, bands
    assert "Auditor's note" in text


def test_demo_runs_again_into_the_same_folder(demo, cli):
    """Running the demo twice into the same folder replaces its own files."""
    out, _, _ = demo
    result = cli("demo", "--out-dir", out)
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_wheel_ships_checklists_reports_and_demo(tmp_path):
    """An installed copy (not the source tree) finds its checklists, templates and demo."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("cxaudit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "audit/data/checklists/ecommerce.yaml",
        "audit/data/checklists/quick.yaml",
        "audit/data/checklists/checklist.schema.json",
        "audit/data/reports/report.html.j2",
        "audit/data/reports/report.css",
        "audit/data/reports/demo/demo-audit.yaml",
    ):
        assert needed in names, needed
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import audit.resources as r, audit.checklists as c; "
        "print(r.data_dir('checklists')); print(len(c.load('ecommerce').checklist.items))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    where, count = done.stdout.split()
    assert where.startswith(str(site)) and int(count) >= 64
