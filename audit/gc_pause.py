"""Pause Python's cyclic garbage collector around work that builds big, long-lived trees.

Parsing a checklist (a YAML node per value) and laying out a report (WeasyPrint's boxes)
allocate hundreds of thousands of objects that stay alive until the work is done, so each
automatic collection re-scans them all and frees nothing: about a quarter of a report's time
(measured in bench/report_edition.py). The cycles they leave are collected once, afterwards.

That one collection still scans every object the work left: 0.1 s after a report. In the
process `cli.main` runs, which ends (os._exit) when its command does, a pause marked
`last_step` is not resumed and the garbage goes with the process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

_ends_with_command: int | None = None  # the pid of the process that ends with its command


def process_ends_with_command() -> None:
    """Called by the console entry point: this process exits when its command returns.

    A batch's worker processes are other pids: they collect after each report as usual.
    """
    global _ends_with_command
    _ends_with_command = os.getpid()


@contextmanager
def collections_paused(last_step: bool = False) -> Iterator[None]:
    """No automatic collection within the block; `last_step`: the work a command ends with."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        ending = last_step and _ends_with_command == os.getpid()
        if was_enabled and not ending:
            gc.enable()
