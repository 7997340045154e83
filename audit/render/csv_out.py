"""The CSV report, for scripts: one row per item, numbers as numbers, user text never a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from audit.jsontypes import plain
from audit.render import sheets
from audit.render.document import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: sheets.Cell) -> str:
    """One CSV field. Text starting like a formula gets a leading ' (the cell guard)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(plain(value))  # a number, negative ones included: never guarded
    return guard(value)


def guard(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: keep user text as text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def render(report: Report) -> bytes:
    sheet = sheets.items(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(sheet.keys)
    writer.writerows([cell(value) for value in row] for row in sheet.rows)
    # UTF-8 with a byte-order mark: Excel reads the accents right; LibreOffice asks (README).
    return ("\ufeff" + out.getvalue()).encode("utf-8")
