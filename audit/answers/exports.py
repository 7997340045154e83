"""Read a store's CSV exports: the encoding, the separator, the columns, each value located.

The file is streamed row by row with the csv module (memory does not grow with the rows);
its sha256 is computed on the bytes as they are read. Columns are recognised by their
header (the table below, with the export each header comes from) or named with --map.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from audit.errors import CxAuditError, Problem, UsageError
from audit.i18n import _

KINDS = ("surveys", "tickets", "orders")
FIELDS: dict[str, tuple[str, ...]] = {
    "surveys": ("date", "nps", "csat", "ces"),
    "tickets": ("created", "first_reply", "resolved", "replies"),
    "orders": ("ordered", "shipped", "delivered", "promised", "returned", "order"),
}
NUMBERS = frozenset({"nps", "csat", "ces", "replies"})
FLAGS = frozenset({"returned"})
TEXTS = frozenset({"order"})  # the order number: line-item rows of one order are counted once
# A column holds a date (the default for the other fields), a number, a yes/no flag,
# or a duration in minutes counted from the row's `created` (clock or business minutes).
DATE, NUMBER, FLAG, TEXT, MINUTES, BUSINESS_MINUTES = (
    "date",
    "number",
    "flag",
    "text",
    "minutes",
    "business minutes",
)


_KIND_OF = {
    **dict.fromkeys(NUMBERS, NUMBER),
    **dict.fromkeys(FLAGS, FLAG),
    **dict.fromkeys(TEXTS, TEXT),
}


@dataclass(frozen=True)
class Rule:
    header: str  # the header, compared without case; or a regular expression (prefix "re:")
    field: str
    kind: str
    source: str


_ZENDESK = "Zendesk ticket export (CSV)"
_FRESHDESK = "Freshdesk ticket export (CSV)"
_GORGIAS = "Gorgias ticket fields"
_TYPEFORM = "Typeform responses (CSV)"
_GFORMS = "Google Forms responses (CSV)"
_SURVEYMONKEY = "SurveyMonkey responses (CSV)"
_SHOPIFY = "Shopify orders export (CSV)"
_WOO = "WooCommerce order export"
_SHIPSTATION = "ShipStation orders export"
_PLAIN = "plain header"

# Earlier rules win when several columns could give a field.
HEADERS: dict[str, list[Rule]] = {
    "surveys": [
        Rule("Submit Date (UTC)", "date", DATE, _TYPEFORM),
        Rule("Timestamp", "date", DATE, _GFORMS),
        Rule("End Date", "date", DATE, _SURVEYMONKEY),
        Rule("date", "date", DATE, _PLAIN),
        # form tools name a column after its question
        Rule(r"re:how likely .*recommend", "nps", NUMBER, "NPS question"),
        Rule(r"re:^nps( score)?$", "nps", NUMBER, _PLAIN),
        Rule(r"re:how satisfied|satisfaction|^csat( score)?$", "csat", NUMBER, "CSAT question"),
        Rule(r"re:effort|how easy|^ces( score)?$", "ces", NUMBER, "CES question"),
    ],
    "tickets": [
        Rule("Created at", "created", DATE, _ZENDESK),
        Rule("Created time", "created", DATE, _FRESHDESK),
        Rule("created_datetime", "created", DATE, _GORGIAS),
        Rule("Initial response time", "first_reply", DATE, _FRESHDESK),
        Rule("First reply time in minutes", "first_reply", MINUTES, _ZENDESK),
        Rule(
            "First reply time in minutes within business hours",
            "first_reply",
            BUSINESS_MINUTES,
            _ZENDESK,
        ),
        Rule("Solved at", "resolved", DATE, _ZENDESK),
        Rule("Resolved time", "resolved", DATE, _FRESHDESK),
        Rule("closed_datetime", "resolved", DATE, _GORGIAS),
        Rule("Full resolution time in minutes", "resolved", MINUTES, _ZENDESK),
        Rule(
            "Full resolution time in minutes within business hours",
            "resolved",
            BUSINESS_MINUTES,
            _ZENDESK,
        ),
        Rule("Replies", "replies", NUMBER, _ZENDESK),
        Rule("Agent interactions", "replies", NUMBER, _FRESHDESK),
    ],
    "orders": [
        Rule("Name", "order", TEXT, _SHOPIFY),
        Rule("Order Number", "order", TEXT, _WOO),
        Rule("Order ID", "order", TEXT, _WOO),
        Rule("Created at", "ordered", DATE, _SHOPIFY),
        Rule("Order Date", "ordered", DATE, _WOO),
        Rule("Fulfilled at", "shipped", DATE, _SHOPIFY),
        Rule("Ship Date", "shipped", DATE, _SHIPSTATION),
        Rule("Completed Date", "shipped", DATE, _WOO),
        Rule("Delivered at", "delivered", DATE, _PLAIN),
        Rule("Delivery Date", "delivered", DATE, _SHIPSTATION),
        Rule("Promised date", "promised", DATE, _PLAIN),
        Rule("Estimated delivery date", "promised", DATE, _PLAIN),
        Rule("Expected delivery date", "promised", DATE, _PLAIN),
        Rule("Financial Status", "returned", FLAG, _SHOPIFY),
        Rule("Order Status", "returned", FLAG, _WOO),
        Rule("Returned", "returned", FLAG, _PLAIN),
    ],
}


@dataclass(frozen=True)
class Column:
    field: str
    index: int
    header: str
    kind: str
    source: str


class ExportError(CxAuditError):
    """An export that cannot be read; the message names the file, line and column."""

    def __init__(self, problem: Problem, tip: str | None = None) -> None:
        super().__init__(str(problem), tip)
        self.problem = problem


class _Hashing(io.RawIOBase):
    """Bytes passing through, hashed on the way (one read of the file, however large)."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.sha.update(memoryview(buffer)[:n])
            self.size += n
        return n or 0


@dataclass
class Export:
    path: Path
    kind: str
    encoding: str
    delimiter: str
    header: list[str]
    columns: dict[str, list[Column]] = field(default_factory=dict)
    sha256: str = ""
    rows_read: int = 0
    _row: list[str] | None = field(default=None, repr=False)
    _dates: dict[int, datetime | None] = field(default_factory=dict, repr=False)

    def column(self, name: str, kinds: tuple[str, ...] | None = None) -> Column | None:
        for col in self.columns.get(name, []):
            if kinds is None or col.kind in kinds:
                return col
        return None

    def problem(self, line: int, col: Column | None, message: str) -> ExportError:
        if col is None:
            return ExportError(Problem(str(self.path), line, 0, message))
        where = _("column {header!r}").format(header=col.header)
        return ExportError(Problem(str(self.path), line, col.index + 1, f"{where}: {message}"))

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, fields) for each data row; the sha256 is known once this is exhausted."""
        with self.path.open("rb") as raw:
            hashing = _Hashing(raw)
            # Bytes the encoding cannot read become lone surrogates, found row by row below,
            # so the message names the row and column (a decoder reads ahead of the rows).
            text = io.TextIOWrapper(
                io.BufferedReader(hashing, 1 << 16),
                encoding=self.encoding,
                errors="surrogateescape",
                newline="",
            )
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                next(reader, None)  # the header, read already by `open_export`
                for row in reader:
                    joined = "".join(row)
                    if not joined.strip():
                        continue
                    try:
                        joined.encode("utf-8")
                    except UnicodeEncodeError:
                        raise self._undecodable(reader.line_num, row) from None
                    self.rows_read += 1
                    yield reader.line_num, row
            except csv.Error as exc:
                raise ExportError(
                    Problem(str(self.path), reader.line_num, 0, _("not CSV: {why}").format(why=exc))
                ) from None
            # read to the end so the hash covers every byte
            while text.read(1 << 16):
                pass
            self.sha256 = hashing.sha.hexdigest()

    def _undecodable(self, line: int, row: list[str]) -> ExportError:
        index = 0
        for index, cell in enumerate(row):  # noqa: B007 (the index is what we want)
            try:
                cell.encode("utf-8")
            except UnicodeEncodeError:
                break
        return ExportError(
            Problem(
                str(self.path),
                line,
                index + 1,
                _("not {encoding} text: is part of the file in another encoding?").format(
                    encoding=self.encoding
                ),
            ),
            tip=_("save the export again as UTF-8"),
        )

    def value(self, row: list[str], line: int, col: Column | None) -> str:
        if col is None:
            return ""
        if col.index >= len(row):
            raise self.problem(
                line,
                col,
                _("missing: the row has {n} fields, the header {m}").format(
                    n=len(row), m=len(self.header)
                ),
            )
        return row[col.index].strip()

    def date(self, row: list[str], line: int, col: Column | None) -> datetime | None:
        if col is None:
            return None
        if row is not self._row:  # each cell is parsed once, however many measures read it
            self._row, self._dates = row, {}
        elif col.index in self._dates:
            return self._dates[col.index]
        text = self.value(row, line, col)
        parsed = parse_date(text) if text else None
        if text and parsed is None:
            raise self.problem(line, col, _("{text!r} is not a date").format(text=text[:40]))
        self._dates[col.index] = parsed
        return parsed

    def number(self, row: list[str], line: int, col: Column | None) -> float | None:
        text = self.value(row, line, col)
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            raise self.problem(line, col, _("{text!r} is not a number").format(text=text[:40]))
        return number

    def flag(self, row: list[str], line: int, col: Column | None) -> bool:
        return is_yes(self.value(row, line, col))


def open_export(path: Path, kind: str, maps: list[str]) -> Export:
    """Open an export: its encoding, separator and header; the columns each field uses."""
    try:
        with path.open("rb") as f:
            sample = f.read(1 << 16)
    except FileNotFoundError:
        raise UsageError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror}") from None
    if not sample.strip():
        raise ExportError(Problem(str(path), 1, 0, _("the file is empty: no header, no rows")))
    if b"\0" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExportError(Problem(str(path), 1, 0, _("not CSV: a binary file")))
    encoding = _encoding(sample, path)
    first = sample.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[0]
    delimiter = max(",;\t|", key=first.count)
    with path.open("r", encoding=encoding, errors="replace", newline="") as text:
        try:
            header = next(csv.reader(text, delimiter=delimiter))
        except csv.Error as exc:
            raise ExportError(
                Problem(str(path), 1, 0, _("not CSV: {why}").format(why=exc))
            ) from None
    header = [h.lstrip("\ufeff").strip() for h in header]
    if len(header) < 2:
        raise ExportError(
            Problem(
                str(path),
                1,
                1,
                _("not a CSV export: the first line is not a row of column headers"),
            )
        )
    export = Export(path, kind, encoding, delimiter, header)
    export.columns = _resolve(export, maps)
    return export


def _encoding(sample: bytes, path: Path) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the sample's end
            from charset_normalizer import from_bytes

            best = from_bytes(sample).best()
            if best is None:
                raise ExportError(
                    Problem(str(path), 1, 0, _("not text in any encoding we know: not CSV"))
                ) from None
            return best.encoding
        return "utf-8"


def _resolve(export: Export, maps: list[str]) -> dict[str, list[Column]]:
    fields = FIELDS[export.kind]
    folded = [h.casefold() for h in export.header]
    out: dict[str, list[Column]] = {}
    for spec in maps:
        header, sep, name = spec.rpartition("=")
        name = name.strip()
        if not sep or not header.strip():
            raise UsageError(
                _('--map {spec!r}: write "Column header=field"').format(spec=spec),
            )
        if name not in fields:
            raise UsageError(
                _("--map {spec!r}: {name!r} is not a field of {kind}; use {fields}").format(
                    spec=spec, name=name, kind=export.kind, fields=", ".join(fields)
                )
            )
        try:
            index = folded.index(header.strip().casefold())
        except ValueError:
            raise ExportError(
                Problem(
                    str(export.path),
                    1,
                    0,
                    _("--map: no column {header!r}; the columns are {columns}").format(
                        header=header.strip(), columns=", ".join(export.header)
                    ),
                )
            ) from None
        kind = (
            NUMBER
            if name in NUMBERS
            else FLAG
            if name in FLAGS
            else TEXT
            if name in TEXTS
            else DATE
        )
        out[name] = [Column(name, index, export.header[index], kind, "--map")]
    for rule in HEADERS[export.kind]:
        if rule.field in out and out[rule.field][0].source == "--map":
            continue
        for index, head in enumerate(folded):
            if _matches(rule.header, head):
                out.setdefault(rule.field, []).append(
                    Column(rule.field, index, export.header[index], rule.kind, rule.source)
                )
                break
    return out


def _matches(pattern: str, header: str) -> bool:
    if pattern.startswith("re:"):
        return re.search(pattern[3:], header) is not None
    return pattern.casefold() == header


_ISO_LIKE = re.compile(r"^\d{4}-?\d{2}-?\d{2}")
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d.,]+$")


def parse_date(text: str) -> datetime | None:
    """ISO forms fast; others (`11/02/2026`, `Nov 2, 2026 10:00`) with dateutil, month first."""
    if _ISO_LIKE.match(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    if _PLAIN_NUMBER.match(text):  # dateutil reads "12" as the 12th of this month
        return None
    from dateutil import parser

    try:
        return parser.parse(text)
    except (ValueError, OverflowError):
        return None


def parse_number(text: str) -> float | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if len(cleaned) > 30:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


_NO = frozenset(
    {"", "0", "no", "n", "false", "none", "-", "paid", "pending", "authorized", "completed"}
)


def is_yes(text: str) -> bool:
    """A returned-or-not cell: yes/true/1, a date, an amount above 0, a status naming a refund."""
    value = text.strip().casefold()
    if value in _NO:
        return False
    if "refund" in value or "return" in value or value in ("yes", "y", "true"):
        return True
    number = parse_number(value)
    if number is not None:
        return number > 0
    return parse_date(text) is not None


def utc(moment: datetime) -> datetime:
    """A naive time is taken as UTC, so that naive and zoned times compare."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
