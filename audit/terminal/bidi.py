"""Right-to-left text for terminals that show characters in the order they are stored.

Most terminals (xterm, tmux, kitty, the Linux console, Windows Terminal) neither reorder
right-to-left text nor join Arabic letters: Hebrew comes out backwards and Arabic as
separate letters. VTE terminals (GNOME Terminal and friends, 0.58 and later), Konsole and
mlterm do both themselves, and text reordered for them would come out backwards again.
So: reorder unless the terminal is known to do it, and let CXAUDIT_BIDI override.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Mapping

# python-bidi (the unicode-bidi crate) reorders but does not mirror: a bracket pair around
# right-to-left text comes out back to front, "]הערה[". Turn such pairs round again.
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<", "»": "«"}
_RTL = r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"  # Hebrew, Arabic and its joined forms
_NOT_BRACKET = r"[^()\[\]{}<>«»]*"
_INSIDE_OUT = re.compile(rf"([)\]}}>»])({_NOT_BRACKET}{_RTL}{_NOT_BRACKET})([(\[{{<«])")
# In a right-to-left paragraph every bracket pair in a reversed run comes out back to front.
_ANY_INSIDE_OUT = re.compile(rf"([)\]}}»])({_NOT_BRACKET})([(\[{{«])")


_RLM = "\u200f"
_GAP = re.compile(r" {2,}|[│┃╇╈┼]")


def _mirror(line: str, everywhere: bool = False) -> str:
    def turn(match: re.Match[str]) -> str:
        close, inner, open_ = match.groups()
        if _PAIRS[close] != open_:
            return match.group(0)
        return open_ + inner + close

    return (_ANY_INSIDE_OUT if everywhere else _INSIDE_OUT).sub(turn, line)


def terminal_reorders(env: Mapping[str, str] = os.environ) -> bool:
    """Whether the terminal lays out bidirectional text itself (CXAUDIT_BIDI=terminal|reorder)."""
    choice = env.get("CXAUDIT_BIDI", "").lower()
    if choice in ("terminal", "reorder"):
        return choice == "terminal"
    vte = env.get("VTE_VERSION", "")
    if vte.isdigit() and int(vte) >= 5800:
        return True
    return bool(env.get("KONSOLE_VERSION")) or env.get("TERM_PROGRAM", "").lower() == "mlterm"


def visual_lines(text: str, width: int, base: str | None = None) -> list[str]:
    """Wrap in reading order first, then reorder each line: the lines keep their order.

    `base` "R" sets the paragraph direction for a right-to-left screen (an id or a number
    first in the line would otherwise make it left to right); None takes it from the text.
    """
    import arabic_reshaper
    from bidi import get_display

    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        for line in textwrap.wrap(paragraph, max(10, width)) or [""]:
            # Each paragraph takes the direction of its first strong letter, as in a browser.
            shown = get_display(arabic_reshaper.reshape(line), base_dir=base)
            out.append(_mirror(shown, everywhere=base == "R"))
    return out


def visual_block(rendered: str, width: int) -> list[str]:
    """Lines already laid out in reading order (a table, a list), mirrored for the screen.

    Each line is reordered as a right-to-left paragraph, so a table's first column lands at
    the right, and right-aligned to `width`.
    """
    import arabic_reshaper
    from bidi import get_display
    from rich.cells import cell_len

    out = []
    for line in rendered.splitlines():
        # A right-to-left mark at each column gap keeps neighbouring left-to-right cells
        # (an id, a number, an English word) apart, so the columns swap places too.
        line = _GAP.sub(lambda m: _RLM + m.group(0) + _RLM, line.rstrip())
        shown = get_display(arabic_reshaper.reshape(line), base_dir="R").replace(_RLM, "")
        shown = _mirror(shown, everywhere=True)
        shown = shown.rstrip()
        out.append(" " * max(0, width - cell_len(shown)) + shown)
    return out
