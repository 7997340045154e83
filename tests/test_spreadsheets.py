"""CSV for scripts and xlsx for people: typed cells, no formulas from user text, four languages."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest

from audit import resources

from .outputs_data import answered_mini

HOSTILE = '=HYPERLINK("https://evil.example","click")'


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from typer.testing import CliRunner

    from audit.cli import app

    folder = tmp_path_factory.mktemp("sheets")
    mini = folder / "mini.yaml"
    audit = answered_mini(folder)
    # A strategy whose title is a formula: the `strategies` column once bypassed the guard.
    text = mini.read_text(encoding="utf-8")
    mini.write_text(text.replace("title: Strategy two", "title: '+SUM(1,2)'"), encoding="utf-8")
    for fmt in ("csv", "xlsx"):
        result = CliRunner().invoke(app, ["report", str(audit), "-f", fmt])
        assert result.exit_code == 0, result.output
    return audit


def csv_rows(path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_numbers_stay_numbers_and_every_text_column_is_guarded(rendered):
    rows = {r["id"]: r for r in csv_rows(rendered.with_suffix(".csv"))}
    nps = rows["B2"]
    # A negative NPS is a number in both columns: no guard, no visible quote.
    assert nps["answer"] == "-12" and nps["value"] == "-12" and nps["unit"] == "NPS points"
    assert float(nps["value"]) == -12
    assert nps["note"] == "'" + HOSTILE
    assert rows["A2"]["strategies"] == "Strategy one; +SUM(1,2)"  # starts as text
    assert rows["B1"]["strategies"] == "'+SUM(1,2)"
    # Whole numbers without ".0"; per-segment weight (b2b: 3) like the others.
    assert rows["A2"]["weight"] == "3" and rows["A2"]["score"] == "75"
    assert rows["B3"]["impact"] == "1.5"
    assert [rows[i]["finding"] for i in ("A1", "A2", "B1", "B2", "B3")] == [
        "red flag",
        "polish",
        "red flag",
        "gap",
        "gap",
    ]
    # The plan's bookkeeping and each answer's evidence, one row per item.
    assert [rows["B3"][k] for k in ("plan", "due", "target", "status")] == [
        "60",
        "2027-01-22",
        "3",
        "open",
    ]
    assert rows["A2"]["plan"] == "" and rows["A2"]["finding"] == "polish"
    b3 = [rows["B3"][k] for k in ("evidence_kind", "evidence_ref", "evidence_sha256")]
    assert b3 == ["measured", "tickets.csv", "ab12"]
    assert rows["A1"]["evidence_kind"] == "reported"  # no evidence given
    for row in rows.values():
        for key, value in row.items():
            if value[:1] in ("=", "+", "@"):
                pytest.fail(f"{row['id']}.{key} starts a formula: {value!r}")
            if value.startswith("-"):
                float(value)  # only numbers may start with a minus


def test_xlsx_has_one_typed_sheet_per_part_and_no_formula(rendered):
    path = rendered.with_suffix(".xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Items",
        "Expectation types",
        "Strategies",
        "Action plan",
        "Customer experience measures",
    ]
    items = book["Items"]
    assert items.freeze_panes == "A2"
    header = [c.value for c in items[1]]
    assert header[:5] == ["Item", "Expectation type", "Strategies", "Question", "Answer"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in items.iter_rows(2, values_only=True)}
    assert rows["B2"]["Answer"] == -12 and rows["B2"]["Value"] == -12
    assert rows["B2"]["Note"] == HOSTILE  # the text itself, stored as text
    assert rows["A2"]["Weight"] == 3 and isinstance(rows["A2"]["Weight"], int)
    assert rows["B3"]["Impact"] == 1.5
    assert items.column_dimensions["D"].width > items.column_dimensions["A"].width
    # No cell anywhere is a formula: the sheet XML has no <f> element.
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    for sheet in book:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)
    measures = book["Customer experience measures"]
    nps = next(r for r in measures.iter_rows(2, values_only=True) if r[0] == "B2")
    assert nps[2:4] == (-12, "NPS points") and nps[6:10] == (0, 20, 40, 60)
    plan = [r[:2] for r in book["Action plan"].iter_rows(2, values_only=True)]
    assert plan == [("30", "B1"), ("30", "A1"), ("30", "B2"), ("60", "B3")]  # A2 is polish


def test_xlsx_dates_are_dates(cli, tmp_path):
    answers = "  A1: {score: 1}\n"
    audit = answered_mini(tmp_path, answers)
    text = audit.read_text(encoding="utf-8")
    text += "actions:\n  A1: {owner: Dana, due: 2027-01-15, target: 3, status: doing, kpi: '-5%'}\n"
    audit.write_text(text, encoding="utf-8")
    assert cli("report", audit, "-f", "xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(audit.with_suffix(".xlsx"))["Action plan"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, next(sheet.iter_rows(2, values_only=True)), strict=True))
    assert row["Owner"] == "Dana" and row["Due"].date() == date(2027, 1, 15)
    assert row["Target level"] == 3 and row["Status"] == "doing" and row["KPI"] == "-5%"


@pytest.mark.parametrize("lang", ["en", "ar", "he", "zh-Hant"])
def test_xlsx_in_every_language(cli, tmp_path, lang):
    name = "demo-audit.yaml" if lang == "en" else f"demo-audit.{lang}.yaml"
    audit = tmp_path / name
    audit.write_bytes((resources.reports_dir() / "demo" / name).read_bytes())
    result = cli("report", audit, "-f", "xlsx", "--lang", lang)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(audit.with_suffix(".xlsx"))
    assert len(book.sheetnames) == 5
    for sheet in book:
        assert sheet.sheet_view.rightToLeft == (lang in ("ar", "he")), sheet.title
        assert sheet.freeze_panes == "A2"
    items = book.worksheets[0]
    header = [c.value for c in items[1]]
    rows = list(items.iter_rows(2, values_only=True))
    assert len(rows) >= 60
    level = header.index(header[5])
    assert all(r[level] is None or isinstance(r[level], int) for r in rows)
    questions = " ".join(r[3] for r in rows)
    script = {"ar": "\u0600", "he": "\u0590", "zh-Hant": "\u4e00"}.get(lang)
    if script:  # the questions are in the language's script, not English
        top = chr(ord(script) + (0x5200 if lang == "zh-Hant" else 0xFF))
        assert sum(script <= ch <= top for ch in questions) > len(questions) / 3
        assert header[3] != "Question"  # the headers are translated


def test_xlsx_follows_the_output_suffix(cli, tmp_path):
    audit = answered_mini(tmp_path)
    target = tmp_path / "out.xlsx"
    result = cli("report", audit, "-o", target)
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(target) and openpyxl.load_workbook(target).sheetnames[0] == "Items"
