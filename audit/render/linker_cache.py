"""Let WeasyPrint find its shared libraries in the dynamic linker's cache alone.

WeasyPrint asks for each library by its Windows names first (`libgobject-2.0-0`,
`gobject-2.0-0`), then `gobject-2.0`, then the soname. cffi hands each name dlopen cannot
load to `ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then gcc, then ld:
24 lookups at every import, 0.15 to 0.3 s of a cold report (WeasyPrint issue #1125).

`ldconfig -p` is the lookup that finds them. A name the cache lacks is one dlopen would not
load either, and WeasyPrint then tries the soname (`libgobject-2.0.so.0`) with dlopen,
which reads LD_LIBRARY_PATH as the skipped ld step would have.
"""

from __future__ import annotations

import ctypes.util
import functools
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def libraries_from_linker_cache() -> Iterator[None]:
    """Within the block, `ctypes.util.find_library` asks the linker's cache only, once a name.

    Where Python has no such lookup (Windows, macOS) nothing changes.
    """
    from_cache = getattr(ctypes.util, "_findSoname_ldconfig", None)  # Linux CPython only
    if from_cache is None:
        yield
        return
    usual = ctypes.util.find_library
    ctypes.util.find_library = functools.cache(from_cache)
    try:
        yield
    finally:
        ctypes.util.find_library = usual
