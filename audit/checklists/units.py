"""Units of metric items, and metric answers read with their unit: `90 min`, `2 days`, `1.5h`.

The known units are the spec's set. Time converts between time units (a clock day is 24
hours, a business day is 8 business hours; minutes and hours count 1:1 as business time, a
clock day does not: it is not known how much of it is worked). Percent, points and score
convert to nothing but themselves. Any other unit is shown as written and never converts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from audit.i18n import _

KNOWN = (
    "minutes",
    "hours",
    "business hours",
    "days",
    "business days",
    "percent",
    "points",
    "score",
)
# unit -> (dimension, size in the dimension's base: hours, business hours, or itself)
_SIZE: dict[str, tuple[str, float]] = {
    "minutes": ("time", 1 / 60),
    "hours": ("time", 1.0),
    "days": ("time", 24.0),
    "business hours": ("business", 1.0),
    "business days": ("business", 8.0),
    "percent": ("percent", 1.0),
    "points": ("points", 1.0),
    "score": ("score", 1.0),
}
# Words typed for each unit: English words and abbreviations, then Arabic, Hebrew, Chinese.
_WORDS: dict[str, tuple[str, ...]] = {
    "minutes": ("minutes", "minute", "mins", "min", "m", "دقيقة", "دقائق", "דקות", "דקה", "分鐘"),
    "hours": ("hours", "hour", "hrs", "hr", "h", "ساعة", "ساعات", "שעות", "שעה", "小時"),
    "days": ("days", "day", "d", "يوم", "أيام", "ايام", "ימים", "יום", "天"),
    "business hours": (
        "business hours",
        "business hour",
        "working hours",
        "working hour",
        "work hours",
        "bh",
        "ساعات عمل",
        "ساعة عمل",
        "ساعات العمل",
        "שעות עבודה",
        "שעת עבודה",
        "工作小時",
        "工時",
    ),
    "business days": (
        "business days",
        "business day",
        "working days",
        "working day",
        "work days",
        "workdays",
        "bd",
        "أيام عمل",
        "يوم عمل",
        "أيام العمل",
        "ימי עבודה",
        "יום עבודה",
        "ימי עסקים",
        "工作天",
        "工作日",
    ),
    "percent": ("percent", "per cent", "pct", "%", "٪", "بالمئة", "في المئة", "אחוז", "אחוזים"),
    "points": ("points", "point", "pts", "pt", "نقاط", "نقطة", "נקודות", "נקודה"),
    "score": ("score", "درجة", "ציון", "分數"),
}
_ALIAS = {word.casefold(): unit for unit, words in _WORDS.items() for word in words}
_BY_LENGTH = sorted(_ALIAS, key=len, reverse=True)  # "business hours" before "h"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
MAX_DIGITS = 15  # beyond this a float no longer holds the number typed


class UnitError(ValueError):
    """A metric answer that cannot be taken; the message says what would be."""


@dataclass(frozen=True)
class Reading:
    value: float  # in the item's unit
    given: str | None  # the number and unit as typed, when a unit was typed
    note: str | None


def known(unit: str | Mapping[str, str] | None) -> str | None:
    """The known unit an item's `unit` names (in any of its languages), or None."""
    if unit is None:
        return None
    texts = [unit] if isinstance(unit, str) else list(unit.values())
    for text in texts:
        found = _ALIAS.get(text.strip().casefold())
        if found in KNOWN:
            return found
    return None


def label(unit: str | Mapping[str, str] | None, text: str) -> str:
    """An item's unit as people read it: a known unit in the current language, any other as
    written (`text`, the item's unit in the report's language)."""
    return {
        "minutes": _("minutes"),
        "hours": _("hours"),
        "business hours": _("business hours"),
        "days": _("days"),
        "business days": _("business days"),
        "percent": _("percent"),
        "points": _("points"),
        "score": _("score"),
    }.get(known(unit) or "", text)


def accepted(unit: str) -> list[str]:
    """The known units an answer may be typed in for an item in `unit`."""
    return [u for u in KNOWN if _factor(u, unit) is not None]


def convert(value: float, source: str, target: str) -> float | None:
    """`value` in `source` expressed in `target`; None when they do not convert."""
    factor = _factor(source, target)
    return None if factor is None else value * factor


def _factor(source: str, target: str) -> float | None:
    (sdim, ssize), (tdim, tsize) = _SIZE[source], _SIZE[target]
    if sdim == tdim or (tdim == "business" and source in ("minutes", "hours")):
        return ssize / tsize
    return None


def read(text: str, unit: str | Mapping[str, str] | None, bounds: list[float] | None) -> Reading:
    """A metric answer line (`1.5h slow on Mondays`) in the item's unit, checked against range."""
    text = text.strip()
    match = _NUMBER.match(text)
    if not match:
        raise UnitError(_("answer with a number (then a note if you like), na, s, b, ? or q"))
    number = match.group()
    rest = text[match.end() :]
    typed, after = _unit_word(rest)
    if typed is None and rest and not rest[0].isspace():
        raise UnitError(_("answer with a number (then a note if you like), na, s, b, ? or q"))
    if sum(c.isdigit() for c in number) > MAX_DIGITS:
        raise UnitError(
            _("{number}… is too long: a number has at most {n} digits").format(
                number=number[:12], n=MAX_DIGITS
            )
        )
    value = float(number.replace(",", "."))
    if not math.isfinite(value):
        raise UnitError(_("not a usable number"))
    note = after.strip() or None
    given = None
    target = known(unit)
    if typed is not None:
        canonical = _ALIAS[typed.casefold()]
        given = text[: len(text) - len(after)].strip()
        if target is None:
            written = _as_written(unit)
            if not _names(unit, typed, canonical):
                raise UnitError(
                    _("this item is measured in {unit}: give the number alone").format(
                        unit=written or "-"
                    )
                )
        else:
            converted = convert(value, canonical, target)
            if converted is None:
                raise UnitError(
                    _("{typed} does not convert to {unit}; use {accepted}").format(
                        typed=typed if any(c.isalpha() for c in typed) else canonical,
                        unit=target,
                        accepted=", ".join(accepted(target)),
                    )
                )
            value = _tidy(converted)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        shown = f"{value:g}" if given is None else f"{given} = {value:g} {target}"
        raise UnitError(
            _("{value} is outside this item's range, {low} to {high}").format(
                value=shown, low=f"{bounds[0]:g}", high=f"{bounds[1]:g}"
            )
        )
    return Reading(value, given, note)


def _unit_word(rest: str) -> tuple[str | None, str]:
    """The unit word at the start of `rest` (as typed) and the text after it."""
    stripped = rest.lstrip()
    folded = stripped.casefold()
    for word in _BY_LENGTH:
        if not folded.startswith(word):
            continue
        after = stripped[len(word) :]
        # A Latin, Arabic or Hebrew word ends at a space or a sign; Chinese needs no space.
        if after and after[0].isalnum() and word[-1].isalpha() and ord(word[-1]) < 0x3000:
            continue
        return stripped[: len(word)], after
    return None, rest


def _as_written(unit: str | Mapping[str, str] | None) -> str:
    if unit is None:
        return ""
    return unit if isinstance(unit, str) else next(iter(unit.values()), "")


def _names(unit: str | Mapping[str, str] | None, typed: str, canonical: str) -> bool:
    """Whether an item's own unit text names the unit typed (`42 points` for "NPS points")."""
    if unit is None:
        return False
    texts = [unit] if isinstance(unit, str) else list(unit.values())
    words = {typed.casefold(), canonical}
    return any(
        re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text.casefold()) for text in texts for w in words
    )


def _tidy(value: float) -> float:
    """Converted numbers without float noise (0.1 * 3 stays 0.3)."""
    return float(f"{value:.10g}")
