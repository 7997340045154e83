"""What reaches the user's terminal from user text, and how a terminal session ends.

Checklist texts, notes, store names and file names are data: an ESC sequence in them could
retitle the window, clear the screen or rewrite the clipboard, and a U+202E could reverse the
tool's own sentence around them. So everything printed goes through `clean` (C0 and C1
controls, DEL and the bidi embeddings/overrides U+202A..U+202E removed; tab and newline kept),
and user text placed inside a sentence goes through `isolate` (U+2068 ... U+2069 around text
that has right-to-left letters or bidi controls, nothing added to plain left-to-right text,
so a path in a "Resume with" line can still be copied).

- `console()` is a Rich console that cleans every segment it prints, except the control
  codes Rich itself emits for colours and cursor;
- `answers_in` reads piped answers (a UTF-8 BOM dropped);
- `CleanStream` wraps a text stream for plain `print` output (the CLI prints `clean(text)`);
- `json_text` escapes C1 and bidi controls in JSON (C0 is escaped by `json` itself);
- `stop_on_signals()` turns SIGTERM and SIGHUP into `Stopped`, a KeyboardInterrupt, so the
  same path as Ctrl-C saves, says so and releases locks.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import signal
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from rich.console import RenderHook

# Whole escape sequences first (CSI, OSC/DCS/APC strings, two-byte escapes), so no residue
# like "[31m" is left on screen; then any control character that remains.
_SEQUENCES = re.compile(
    r"(\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]"
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FSI, _PDI = "\u2068", "\u2069"


def clean(text: str) -> str:
    """`text` without terminal control characters (tab and newline kept)."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


def isolate(text: str) -> str:
    """Cleaned user text, bidi-isolated when it has right-to-left letters or bidi controls."""
    text = clean(text)
    if any(unicodedata.bidirectional(c) in ("R", "AL", "RLI", "LRI", "FSI", "PDI") for c in text):
        return f"{_FSI}{text}{_PDI}"
    return text


def json_text(data: Any, **options: Any) -> str:
    """JSON with every control character escaped, safe to print on a terminal."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def console(stderr: bool = False, **options: Any):
    """A Rich console whose output carries no control characters from the text printed."""
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, **options)
    out.push_render_hook(_CleanHook())
    return out


class _CleanHook(RenderHook):
    """A Rich render hook: each renderable is drawn, then its text segments are cleaned."""

    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Cleaned(r) for r in renderables]


class _Cleaned:
    def __init__(self, renderable: Any) -> None:
        self.renderable = renderable

    def __rich_console__(self, rich_console, options) -> Iterable[Any]:
        from rich.segment import Segment

        for segment in rich_console.render(self.renderable, options):
            if segment.control or not _CONTROLS.search(segment.text):
                yield segment
            else:
                yield Segment(clean(segment.text), segment.style)


class CleanStream:
    """A text stream that drops control characters from what is written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(clean(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def answers_in(stream: TextIO) -> TextIO:
    """Piped answers as UTF-8 text; a BOM before the first is dropped, not taken for an answer.

    Bytes that are not UTF-8 raise UnicodeDecodeError when read, for the CLI to name.
    """
    raw = getattr(stream, "buffer", None)
    if raw is None:
        return stream
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict")


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: handled like Ctrl-C, with the signal's exit status."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Stopped` instead of killing the process."""

    def handler(signum: int, _frame: Any) -> None:
        raise Stopped(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        with contextlib.suppress(ValueError):  # not the main thread: leave the default
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
