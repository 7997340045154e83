"""Pause Python's cyclic garbage collector around work that builds big, long-lived trees.

Parsing a checklist (a YAML node per value) and laying out a report (WeasyPrint's boxes)
allocate hundreds of thousands of objects that stay alive until the work is done, so each
automatic collection re-scans them all and frees nothing: about a quarter of a report's time
(measured in bench/report_edition.py). The cycles they leave are collected once, afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collections_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
