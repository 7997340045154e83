"""The report as an Excel workbook (openpyxl): one sheet per part, typed cells, no formulas.

Numbers are numbers and dates are dates; every text is stored as text, so user text that starts
with = + - @ is never run as a formula. Sheets of right-to-left languages read right to left.
"""

from __future__ import annotations

import io
import re
from datetime import date

from audit import i18n
from audit.i18n import _
from audit.render import sheets
from audit.render.document import Report

# XML 1.0 cannot hold C0 controls other than tab, newline and carriage return.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_WIDTH = 60  # characters: longer text wraps
TEXT_LIMIT = 32767  # characters in one cell


def render(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.title = _("Customer expectations audit") + ": " + _clean(report.store)
    book.properties.creator = "cxaudit"
    book.properties.language = report.lang
    rtl = i18n.direction(report.lang) == "rtl"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for part in sheets.all_sheets(report):
        ws = book.create_sheet(_sheet_title(part.title, part.name))
        ws.sheet_view.rightToLeft = rtl
        ws.freeze_panes = "A2"
        widths = [len(label) for _key, label in part.columns]
        ws.append([_clean(label) for _key, label in part.columns])
        for cell in ws[1]:
            cell.font = bold
        for values in part.rows:
            ws.append([None] * len(values))
            row = ws.max_row
            for column, value in enumerate(values, 1):
                cell = ws.cell(row, column)
                if isinstance(value, str):
                    cell.value = _clean(value)
                    cell.data_type = "s"  # text, even when it starts with =
                    if len(value) > MAX_WIDTH:
                        cell.alignment = wrap
                else:
                    cell.value = value
                    if isinstance(value, date):
                        cell.number_format = "yyyy-mm-dd"
                widths[column - 1] = max(widths[column - 1], _width(value))
        for column, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
        ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)[:TEXT_LIMIT]


def _width(value: sheets.Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    text = str(value)
    # Wide (CJK) characters take about two columns.
    return sum(2 if "\u2e80" <= ch <= "\uffdc" else 1 for ch in text)


def _sheet_title(title: str, fallback: str) -> str:
    """Excel sheet names: at most 31 characters, none of : \\ / ? * [ ]."""
    name = re.sub(r"[:\\/?*\[\]]", " ", title).strip()[:31]
    return name or fallback
