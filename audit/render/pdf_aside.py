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
        self._pipes: list = []
        if not sys.platform.startswith("linux") or threading.active_count() > 1:
            return
        fds: list[int] = []
        try:
            html_in, html_out = os.pipe()
            fds += [html_in, html_out]
            result_in, result_out = os.pipe()
            fds += [result_in, result_out]
            pid = os.fork()
        except OSError:  # no process or file to spare (a pids limit, EMFILE): lay out here
            for fd in fds:
                os.close(fd)
            return
        if pid == 0:
            try:
                os.close(html_out)
                os.close(result_in)
                _child(html_in, result_out)
            finally:  # whatever happens in the child, it never returns into the caller's code
                os._exit(1)
        os.close(html_in)
        os.close(result_out)
        self.pid = pid
        self._html_out = os.fdopen(html_out, "wb")
        self._result_in = os.fdopen(result_in, "rb")
        self._pipes = [self._html_out, self._result_in]

    def to_pdf(self, html: str) -> bytes:
        from audit.render import pdf

        result = self._ask(html) if self.pid is not None else None
        if result is None:  # no child, or it died, or its answer did not read back: lay out here
            return pdf.html_to_pdf(html)
        if result[0] == "error":
            raise result[1]
        pdf.WARNINGS[:] = result[2]
        return result[1]

    def _ask(self, html: str) -> tuple | None:
        payload = None
        try:
            try:
                self._html_out.write(html.encode("utf-8"))
                self._html_out.close()
            except BrokenPipeError:  # the child is gone
                return None
            payload = self._result_in.read()
        finally:
            # Read to the end: the child has answered and is ending. Otherwise (this process
            # was interrupted) it may be blocked writing to us: end it, never wait on it.
            self._close_pipes()
            self._reap(kill=payload is None)
        try:
            return pickle.loads(payload) if payload else None
        except Exception:  # cut short, or an error that does not rebuild here
            return None

    def close(self) -> None:
        """End the child if it was not asked (the audit failed to load, or Ctrl-C)."""
        self._close_pipes()
        self._reap(kill=True)

    def _close_pipes(self) -> None:
        for pipe in self._pipes:
            try:
                pipe.close()
            except BrokenPipeError:  # the child is gone: nothing to flush to
                pass
        self._pipes = []

    def _reap(self, kill: bool) -> None:
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # reaped already (a host that ignores SIGCHLD)
            pass


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
    if not wanted:
        discard_early()
        yield None
        return
    aside, _early = _early or PdfAside(), None
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
    _quiet()
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


def _quiet() -> None:
    """The child says nothing itself: its answer, errors included, goes back to the parent,
    which words them. (WeasyPrint prints a banner when a library is missing; the parent
    names the package to install instead.)"""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _pickled_error(exc: Exception) -> bytes:
    """The error as the parent will rebuild it; as its type and message where it would not."""
    try:
        payload = pickle.dumps(("error", exc))
        pickle.loads(payload)
        return payload
    except Exception:
        return pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
