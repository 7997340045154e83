"""How a report process starts and ends: library lookup, and garbage collection left on
wherever the process goes on after the report (tests, a batch's workers)."""

from __future__ import annotations

import ctypes.util
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit import gc_pause
from audit.render.linker_cache import libraries_from_linker_cache

linux = pytest.mark.skipif(
    not hasattr(ctypes.util, "_findSoname_ldconfig"), reason="the linker-cache lookup is Linux's"
)


@linux
def test_library_lookup_answers_from_the_linker_cache_and_is_restored():
    usual = ctypes.util.find_library
    with libraries_from_linker_cache():
        assert ctypes.util.find_library("pango-1.0") == usual("pango-1.0")
        assert ctypes.util.find_library("pango-1.0").startswith("libpango-1.0.so")
        # a Windows name: no gcc, no ld, simply not there
        assert ctypes.util.find_library("libgobject-2.0-0") is None
    assert ctypes.util.find_library is usual


@linux
def test_weasyprint_loads_every_library_it_loads_without_the_shortcut():
    """The shortcut must not lose the HarfBuzz subsetter (PDFs 2x slower without it)."""
    probe = (
        "from audit.render.linker_cache import libraries_from_linker_cache\n"
        "with libraries_from_linker_cache():\n"
        "    from weasyprint.text import ffi\n"
        "names = ('gobject', 'pango', 'harfbuzz', 'harfbuzz_subset', 'fontconfig', 'pangoft2')\n"
        "print(' '.join(n for n in names if getattr(ffi, n) is not None))\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == [
        "gobject",
        "pango",
        "harfbuzz",
        "harfbuzz_subset",
        "fontconfig",
        "pangoft2",
    ]


def test_a_report_rendered_in_process_leaves_collection_on(cli, tmp_path, mini):
    """Only the console process, which exits with its command, skips the last collection."""
    audit = tmp_path / "a.yaml"
    answered = cli("run", mini, "--store", "Shop", "--out", audit, input="3\nna\nn\n42\n")
    assert answered.exit_code == 0, answered.output
    assert gc.isenabled()
    result = cli("report", audit, "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert audit.with_suffix(".pdf").stat().st_size > 0
    assert gc.isenabled()


def _paused_last_step_in_child() -> bool:
    """Whether collection is on after a last-step pause, in a forked child (a batch worker)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        with gc_pause.collections_paused(last_step=True):
            pass
        os.write(writer, b"1" if gc.isenabled() else b"0")
        os._exit(0)
    os.waitpid(pid, 0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        return pipe.read() == b"1"


def test_the_console_process_leaves_its_last_collection_to_the_exit(monkeypatch):
    monkeypatch.setattr(gc_pause, "_ends_with_command", None)
    gc_pause.process_ends_with_command()
    try:
        with gc_pause.collections_paused():  # a checklist parsed: collection resumes
            pass
        assert gc.isenabled()
        # a worker forked from it resumes collection after each report
        assert _paused_last_step_in_child()
        with gc_pause.collections_paused(last_step=True):  # the PDF it ends with
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- the PDF laid out by a child while the audit is read (pdf_aside.py) ---------------------

forks = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is Linux's")
PAGE = '<html lang="en"><body><h1>Aside</h1><p>Laid out by the child.</p>{extra}</body></html>'


def _text(data: bytes) -> tuple[str, int]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@forks
def test_the_child_lays_out_the_same_pdf_as_this_process():
    from audit.render import pdf, pdf_aside

    html = PAGE.format(extra="")
    with pdf_aside.started(True) as aside:
        assert aside is not None and aside.pid is not None
        pid = aside.pid
        by_child = aside.to_pdf(html)
    assert _gone(pid)
    text, pages = _text(by_child)
    assert (text, pages) == _text(pdf.html_to_pdf(html))
    assert text.split() == "Aside Laid out by the child.".split() and pages == 1


@forks
def test_the_childs_warnings_reach_this_process():
    from audit.render import pdf, pdf_aside

    pdf.WARNINGS.clear()
    with pdf_aside.started(True) as aside:
        assert aside is not None
        aside.to_pdf(PAGE.format(extra='<img src="file:///etc/passwd">'))
    assert any("file:///etc/passwd" in w for w in pdf.WARNINGS), pdf.WARNINGS


@forks
def test_an_error_in_the_child_is_raised_here(monkeypatch):
    from audit.render import pdf, pdf_aside

    def broken(html: str) -> bytes:
        raise ValueError("the layout failed")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)  # the child is forked with it
    with pdf_aside.started(True) as aside, pytest.raises(ValueError, match="layout failed"):
        assert aside is not None
        aside.to_pdf(PAGE.format(extra=""))


@forks
def test_a_child_killed_before_it_answers_leaves_the_pdf_to_this_process():
    import signal

    from audit.render import pdf_aside

    with pdf_aside.started(True) as aside:
        assert aside is not None and aside.pid is not None
        os.kill(aside.pid, signal.SIGKILL)
        text, pages = _text(aside.to_pdf(PAGE.format(extra="")))
    assert "Laid out by the child." in text and pages == 1


@forks
def test_a_child_never_asked_is_ended(cli, tmp_path):
    """The audit fails to load: the child importing WeasyPrint is stopped, not left behind."""
    from audit.render import pdf_aside

    with pytest.raises(RuntimeError), pdf_aside.started(True) as aside:
        assert aside is not None and aside.pid is not None
        pid = aside.pid
        raise RuntimeError("the audit did not load")
    assert _gone(pid)
    broken = tmp_path / "broken.yaml"
    broken.write_text("cxaudit: [\n")
    result = cli("report", broken)
    assert result.exit_code != 0 and not broken.with_suffix(".pdf").exists()
    with pytest.raises(ChildProcessError):  # no child left, running or unreaped
        os.waitpid(-1, os.WNOHANG)


# --- the console entry point (launch.py) ---------------------------------------------------


def _console(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_report_and_one_audit_starts_the_child_first():
    from audit.launch import renders_one_pdf

    assert renders_one_pdf(["report", "shop.yaml"])
    for other in (["report", "--help"], ["report", "a.yaml", "-f", "html"], ["score", "a.yaml"]):
        assert not renders_one_pdf(other), other


@forks
def test_the_console_writes_the_pdf_its_early_child_laid_out(cli, tmp_path, mini):
    audit = tmp_path / "shop.yaml"
    answered = cli("run", mini, "--store", "Shop", "--out", audit, input="3\nna\nn\n42\n")
    assert answered.exit_code == 0, answered.output
    done = _console("report", "shop.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Wrote shop.pdf"
    text, pages = _text(audit.with_suffix(".pdf").read_bytes())
    assert "Shop" in text and pages >= 2


@forks
def test_a_report_that_fails_first_ends_its_early_child(tmp_path):
    """The audit is missing: an error naming it, and the child forked before the command line
    was read is ended with the command, not left importing WeasyPrint."""
    errors = tmp_path / "stderr.txt"
    with open(errors, "w") as err:
        parent = subprocess.Popen(
            [sys.executable, "-m", "audit", "report", "gone-4d1f.yaml"], stderr=err, cwd=tmp_path
        )
        assert parent.wait(timeout=120) == 2
    assert "gone-4d1f.yaml" in errors.read_text()
    left = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"gone-4d1f.yaml" in cmdline.read_bytes():
                left.append(cmdline.parent.name)
        except OSError:  # ended while we looked
            pass
    assert left == []


@forks
def test_an_early_child_never_taken_is_ended():
    from audit.render import pdf_aside

    pdf_aside.start_early()
    early = pdf_aside._early
    assert early is not None and early.pid is not None
    pid = early.pid
    pdf_aside.discard_early()
    assert _gone(pid) and pdf_aside._early is None
