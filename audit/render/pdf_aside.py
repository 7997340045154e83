"""Lay out one PDF in a forked child that imports WeasyPrint while this process reads the audit.

A cold report spends 0.22 s importing WeasyPrint, and about as long starting the command,
reading the checklist and the audit and building the HTML. Neither needs the other until the
HTML is done, so on a second core they overlap: 0.2 s of a 1.4 s report, measured with
bench/report_edition.py and the phases timed one by one.

Only on Linux: macOS's frameworks are not safe to fork after they load, and Windows has no
fork. There, in a process that has threads, and whenever the child does not answer (killed,
out of memory), the PDF is laid out in this process as before. WeasyPrint's own errors come
back from the child and are raised here.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn


class PdfAside:
    """A child ready to lay out one PDF: `to_pdf(html)` once, then `close()`."""

    def __init__(self) -> None:
        self.pid: int | None = None
        if not sys.platform.startswith("linux") or threading.active_count() > 1:
            return
        html_in, html_out = os.pipe()
        result_in, result_out = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(html_out)
            os.close(result_in)
            _child(html_in, result_out)
        os.close(html_in)
        os.close(result_out)
        self.pid = pid
        self._html_out = os.fdopen(html_out, "wb")
        self._result_in = os.fdopen(result_in, "rb")

    def to_pdf(self, html: str) -> bytes:
        from audit.render import pdf

        result = self._ask(html) if self.pid is not None else None
        if result is None:  # no child, or it died: lay out here
            return pdf.html_to_pdf(html)
        if result[0] == "error":
            raise result[1]
        pdf.WARNINGS[:] = result[2]
        return result[1]

    def _ask(self, html: str) -> tuple | None:
        try:
            with self._html_out as out:
                out.write(html.encode("utf-8"))
            with self._result_in as answer:
                payload = answer.read()
            return pickle.loads(payload) if payload else None
        except (BrokenPipeError, pickle.UnpicklingError, EOFError):
            return None
        finally:
            self._reap(kill=False)

    def close(self) -> None:
        """End the child if it was not asked (the audit failed to load, or Ctrl-C)."""
        if self.pid is None:
            return
        for pipe in (self._html_out, self._result_in):
            try:
                pipe.close()
            except BrokenPipeError:  # the child is gone: nothing to flush to
                pass
        self._reap(kill=True)

    def _reap(self, kill: bool) -> None:
        if self.pid is None:
            return
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(self.pid, 0)
        self.pid = None


_early: PdfAside | None = None


def start_early() -> None:
    """Start the child before the command line is parsed (launch.py): `started` takes it."""
    global _early
    _early = _early or PdfAside()


def discard_early() -> None:
    """End a child started early for a PDF the command never asked for (it failed first)."""
    global _early
    if _early is not None:
        _early.close()
        _early = None


@contextmanager
def started(wanted: bool) -> Iterator[PdfAside | None]:
    """A child laying out the PDF, when `wanted` (the report is a PDF); None otherwise."""
    global _early
    aside, _early = _early, None
    if not wanted:
        if aside is not None:
            aside.close()
        yield None
        return
    aside = aside or PdfAside()
    try:
        yield aside
    finally:
        aside.close()


def _child(html_in: int, result_out: int) -> NoReturn:
    """Import WeasyPrint, read the HTML, answer with the PDF or the error, and end."""
    import gc

    from audit import gc_pause

    gc.disable()  # the child ends as soon as it answers: nothing is worth collecting
    gc_pause.process_ends_with_command()
    code = 0
    try:
        from audit.render import pdf

        pdf.load_weasyprint()
        with os.fdopen(html_in, "rb") as incoming:
            html = incoming.read().decode("utf-8")
        if html:
            try:
                result: tuple = ("pdf", pdf.html_to_pdf(html), list(pdf.WARNINGS))
                payload = pickle.dumps(result)
            except Exception as exc:
                payload = _pickled_error(exc)
            with os.fdopen(result_out, "wb") as out:
                out.write(payload)
    except BaseException:  # Ctrl-C, or the parent gone: it lays out the PDF itself or stops
        code = 1
    finally:
        os._exit(code)


def _pickled_error(exc: Exception) -> bytes:
    try:
        return pickle.dumps(("error", exc))
    except Exception:  # an exception that does not pickle: its type and message
        return pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
