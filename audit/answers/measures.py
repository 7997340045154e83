"""The CX measures, computed a row at a time: NPS, means, shares and durations.

Pure: no files, no printing. Each accumulator keeps a fixed amount of memory (durations
keep their exact values up to EXACT_LIMIT, then a histogram of 0.1% wide bins), so a
million-row export is measured in memory that does not grow with the rows.
"""

from __future__ import annotations

import math
import re
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from audit.i18n import _

Z95 = 1.959964  # two-sided 95% normal quantile
EXACT_LIMIT = 100_000
_BIN = math.log1p(0.001)  # histogram bins 0.1% wide


class NPS:
    """% of 9-10 minus % of 0-6 over the answers given."""

    def __init__(self) -> None:
        self.n = self.promoters = self.detractors = 0

    def add(self, score: float) -> None:
        self.n += 1
        if score >= 9:
            self.promoters += 1
        elif score <= 6:
            self.detractors += 1

    @property
    def value(self) -> float:
        return 100 * (self.promoters - self.detractors) / self.n

    @property
    def margin(self) -> float:
        p, d = self.promoters / self.n, self.detractors / self.n
        variance = p + d - (p - d) ** 2
        return 100 * Z95 * math.sqrt(variance / self.n)


class Mean:
    """Mean and its 95% margin of error (Welford's running variance)."""

    def __init__(self) -> None:
        self.n = 0
        self.mean = 0.0
        self._m2 = 0.0

    def add(self, x: float) -> None:
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self._m2 += delta * (x - self.mean)

    @property
    def value(self) -> float:
        return self.mean

    @property
    def margin(self) -> float | None:
        if self.n < 2:
            return None
        return Z95 * math.sqrt(self._m2 / (self.n - 1) / self.n)


class Share:
    """A percentage of yes over the cases counted, with its 95% margin of error."""

    def __init__(self) -> None:
        self.n = self.yes = 0

    def add(self, yes: bool) -> None:
        self.n += 1
        self.yes += yes

    @property
    def value(self) -> float:
        return 100 * self.yes / self.n

    @property
    def margin(self) -> float:
        p = self.yes / self.n
        return 100 * Z95 * math.sqrt(p * (1 - p) / self.n)


class Durations:
    """Median and 90th percentile (linear interpolation between order statistics)."""

    def __init__(self) -> None:
        self.n = 0
        self._exact: array | None = array("d")
        self._bins: dict[int, int] = {}

    def add(self, x: float) -> None:
        self.n += 1
        if self._exact is not None:
            self._exact.append(x)
            if len(self._exact) > EXACT_LIMIT:
                for v in self._exact:
                    self._bin(v)
                self._exact = None
        else:
            self._bin(x)

    def _bin(self, x: float) -> None:
        key = -(10**9) if x <= 0 else math.floor(math.log(x) / _BIN)
        self._bins[key] = self._bins.get(key, 0) + 1

    @property
    def exact(self) -> bool:
        return self._exact is not None

    def quantile(self, q: float) -> float:
        if self._exact is not None:
            values = sorted(self._exact)
            pos = q * (len(values) - 1)
            low = math.floor(pos)
            high = min(low + 1, len(values) - 1)
            return values[low] + (values[high] - values[low]) * (pos - low)
        target = q * (self.n - 1)
        seen = 0
        for key in sorted(self._bins):
            seen += self._bins[key]
            if seen > target:
                return 0.0 if key == -(10**9) else math.exp((key + 0.5) * _BIN)
        return 0.0

    @property
    def value(self) -> float:
        return self.quantile(0.5)

    @property
    def p90(self) -> float:
        return self.quantile(0.9)

    margin = None


@dataclass(frozen=True)
class Calendar:
    """Business hours: the same working hours on each working day (local wall-clock time)."""

    start: time
    end: time
    days: frozenset[int]  # Monday is 0
    # seconds since midnight of the working hours, worked out once
    _lo: float = field(init=False, repr=False)
    _hi: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lo", _seconds(self.start))
        object.__setattr__(self, "_hi", _seconds(self.end))

    @property
    def daily(self) -> float:
        return (self._hi - self._lo) / 3600

    def hours_between(self, a: datetime, b: datetime) -> float:
        """Working hours from a to b (b's clock read in a's time zone)."""
        if (a.tzinfo is None) != (b.tzinfo is None):  # one zoned, one not: wall clocks
            a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
        elif b.tzinfo is not a.tzinfo and a.tzinfo is not None:
            b = b.astimezone(a.tzinfo)
        if b <= a:
            return 0.0
        day_a, day_b = a.date(), b.date()
        if day_a == day_b:
            return self._within(day_a, _seconds(a), _seconds(b))
        total = self._within(day_a, _seconds(a), 86400) + self._within(day_b, 0, _seconds(b))
        first, last = day_a + _DAY, day_b - _DAY
        if first <= last:
            total += self._days_between(first, last) * self.daily
        return total

    def _within(self, day: date, lo: float, hi: float) -> float:
        if day.weekday() not in self.days:
            return 0.0
        span = min(hi, self._hi) - max(lo, self._lo)
        return span / 3600 if span > 0 else 0.0

    def _days_between(self, first: date, last: date) -> int:
        """Working days from first to last, both included."""
        weeks, rest = divmod((last - first).days + 1, 7)
        days = weeks * len(self.days)
        weekday = first.weekday()
        for k in range(rest):
            days += (weekday + k) % 7 in self.days
        return days


_DAY = timedelta(days=1)


def _seconds(t: time | datetime) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def calendar(hours: str, days: str) -> Calendar:
    """`09:00-17:00` and `mon-fri` (or `mon,tue,thu` or `sun-thu`); ValueError if not."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", hours)
    if not match:
        raise ValueError(
            _("--hours {text!r}: write the working hours as 09:00-17:00").format(text=hours)
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
        raise ValueError(
            _("--hours {text!r}: the start must come before the end, within a day").format(
                text=hours
            )
        )
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    chosen: set[int] = set()
    for part in days.casefold().split(","):
        ends = [p.strip()[:3] for p in part.split("-")]
        if any(e not in _DAYS for e in ends) or len(ends) > 2:
            raise ValueError(
                _("--days {text!r}: write days as mon-fri or mon,tue,wed").format(text=days)
            )
        first, last = _DAYS.index(ends[0]), _DAYS.index(ends[-1])
        k = first
        while True:
            chosen.add(k)
            if k == last:
                break
            k = (k + 1) % 7
    return Calendar(time(h1, m1), end, frozenset(chosen))


def period(text: str) -> tuple[date, date]:
    """`FROM..TO` (ISO dates, both included); ValueError if not."""
    first, sep, last = text.partition("..")
    try:
        if not sep:
            raise ValueError
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise ValueError(
            _("--period {text!r}: write FROM..TO, e.g. 2026-10-01..2026-10-31").format(text=text)
        ) from None
    if end < start:
        raise ValueError(_("--period {text!r}: the end comes before the start").format(text=text))
    return start, end
