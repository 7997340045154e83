"""`cxaudit measure`: CX measures from sample exports, against values computed by hand."""

from __future__ import annotations

import hashlib
import shutil

import pytest
import yaml

from .conftest import DATA

EXPORTS = DATA / "exports"


@pytest.fixture
def audit(cli, tmp_path):
    """An empty audit of the `measured` checklist (one metric item per measure)."""
    shutil.copy(DATA / "measured.yaml", tmp_path / "measured.yaml")
    path = tmp_path / "shop.yaml"
    result = cli("run", tmp_path / "measured.yaml", "--store", "Acme", "--out", path, input="")
    assert path.exists(), result.output
    return path


def answers(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


def measured(cli, audit, *args):
    result = cli("measure", audit, *args)
    assert result.exit_code == 0, result.output
    return result, answers(audit)


def evidence(answer):
    (ev,) = answer["evidence"]
    assert ev["kind"] == "measured"
    return ev


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_typeform_survey_gives_nps_csat_and_ces(cli, audit):
    export = EXPORTS / "typeform-survey.csv"
    result, got = measured(cli, audit, "--surveys", export)
    # NPS answers 10 9 9 8 7 6 3 10 0 9 (one row left blank): 5 promoters, 3 detractors of 10
    assert got["NPS"]["value"] == 20
    # margin: 1.96 * sqrt((0.5 + 0.3 - 0.2**2) / 10) * 100
    assert evidence(got["NPS"])["margin"] == 54.03
    assert got["CSAT"]["value"] == 3.4  # 34 / 10
    assert got["CES"]["value"] == 3.3  # 33 / 10
    ev = evidence(got["CSAT"])
    assert ev["n"] == 10
    assert ev["period"] == "2026-11-01..2026-11-10"
    assert ev["ref"] == "shop.evidence/typeform-survey.csv"
    assert ev["sha256"] == sha256(export)
    assert (audit.parent / ev["ref"]).read_bytes() == export.read_bytes()
    # fewer than the 30 answers the NPS guidance asks: written, and marked
    assert "small sample: n=10 (fewer than 30)" in evidence(got["NPS"])["note"]
    assert "NPS nps: 20 ± 54.03 points (n=10) · small sample" in result.stdout
    assert "'Submit Date (UTC)' (date, Typeform responses (CSV))" in result.stdout


def test_google_forms_dates_month_first_and_a_period(cli, audit):
    export = EXPORTS / "google-forms-nps.csv"
    result, got = measured(cli, audit, "--surveys", export, "--period", "2026-11-01..2026-11-03")
    # 11/01 9, 11/02 6, 11/03 10 in the period: 2 promoters, 1 detractor of 3
    assert got["NPS"]["value"] == 33.33
    assert evidence(got["NPS"])["n"] == 3
    assert evidence(got["NPS"])["period"] == "2026-11-01..2026-11-03"
    assert "Rows: 6 read, 3 used" in result.stdout
    assert "not measured: csat (for CSAT): needs a csat column" in result.stderr


def test_zendesk_tickets_give_reply_resolution_and_first_contact_resolution(cli, audit):
    _result, got = measured(cli, audit, "--tickets", EXPORTS / "zendesk-tickets.csv")
    # first reply minutes 30 60 90 120 240 600 15 45 -> hours; median of 8 = (1 + 1.5) / 2
    assert got["FRT"]["value"] == 1.25
    assert evidence(got["FRT"])["p90"] == 5.8  # 4 + (10 - 4) * 0.3
    # the item is in business hours: Zendesk's "within business hours" minutes
    # 30 60 120 240 480 600 960 -> median 240 min = 4 h, p90 600 + 360 * 0.4 = 744 min
    assert got["RES"]["value"] == 4
    assert evidence(got["RES"])["p90"] == 12.4
    # solved tickets with one reply: 101 103 105 106 of 7 solved
    assert got["FCR"]["value"] == 57.14
    assert evidence(got["FCR"])["n"] == 7


def test_freshdesk_dates_with_zones_and_a_business_calendar(cli, audit):
    _result, got = measured(cli, audit, "--tickets", EXPORTS / "freshdesk-tickets.csv")
    # first replies 1.5 17.5 0.5 (a UTC time against +0100) 1 0.25 4 hours
    assert got["FRT"]["value"] == 1.25
    assert evidence(got["FRT"])["p90"] == 10.75
    # business hours 09:00-17:00 mon-fri: 5, 1 + 3, Fri 2 + Mon 1, Sat 0 + Mon 8, 8 + 1
    assert got["RES"]["value"] == 5
    assert evidence(got["RES"])["p90"] == 8.6
    assert got["FCR"]["value"] == 60  # one agent interaction on 3 of 5 resolved


def test_another_business_calendar(cli, audit):
    _result, got = measured(
        cli,
        audit,
        "--tickets",
        EXPORTS / "freshdesk-tickets.csv",
        "--hours",
        "08:00-18:00",
        "--days",
        "mon-sat",
    )
    # 5, 2 + 4, Fri 3 + Sat 10 + Mon 2, Sat 6 + Mon 9.5, Wed 10 + Thu 2 -> 5 6 12 15 15.5
    assert got["RES"]["value"] == 12


def test_shopify_orders_count_each_order_once(cli, audit):
    result, got = measured(cli, audit, "--orders", EXPORTS / "shopify-orders.csv")
    # 5 orders over 8 line-item rows; dispatch 24 48 12 h (one unfulfilled) 48 -> median 36 h
    assert got["DSP"]["value"] == 1.5
    assert evidence(got["DSP"])["p90"] == 2
    assert evidence(got["DSP"])["n"] == 4
    # refunded and partially_refunded of 5 orders
    assert got["RET"]["value"] == 40
    assert "OTD" not in got  # Shopify's export has no delivery dates
    assert "not measured: on-time-delivery (for OTD): needs a delivered column" in result.stderr


def test_orders_with_delivery_dates(cli, audit):
    _result, got = measured(cli, audit, "--orders", EXPORTS / "orders-with-delivery.csv")
    # delivered on or before the promised date: A-1, A-2 (same day), A-6 of 5 delivered
    assert got["OTD"]["value"] == 60
    assert evidence(got["OTD"])["n"] == 5
    assert got["DSP"]["value"] == 1  # 1 2 2 1 1 1 days
    assert got["RET"]["value"] == 16.67  # 1 of 6


def test_map_names_columns_of_any_export(cli, audit, tmp_path):
    export = tmp_path / "survey.csv"
    export.write_text("when,Score given,x\n2026-11-02,10,a\n2026-11-03,2,b\n", encoding="utf-8")
    result, got = measured(
        cli, audit, "--surveys", export, "--map", "Score given=nps", "--map", "when=date"
    )
    assert got["NPS"]["value"] == 0
    assert "'Score given' (nps, --map)" in result.stdout


def test_a_value_already_there_is_kept_unless_replace(cli, audit):
    export = EXPORTS / "typeform-survey.csv"
    text = audit.read_text(encoding="utf-8").replace("answers: {}", "answers:\n  NPS: {value: 45}")
    audit.write_text(text, encoding="utf-8")
    result = cli("measure", audit, "--surveys", export)
    assert result.exit_code == 0
    assert "the audit keeps 45. Use --replace to overwrite." in result.stderr
    assert answers(audit)["NPS"] == {"value": 45}
    assert answers(audit)["CSAT"]["value"] == 3.4  # the empty ones are filled
    result = cli("measure", audit, "--surveys", export, "--replace")
    assert result.exit_code == 0
    assert answers(audit)["NPS"]["value"] == 20


def test_an_export_measured_twice_is_copied_once(cli, audit):
    export = EXPORTS / "typeform-survey.csv"
    measured(cli, audit, "--surveys", export)
    measured(cli, audit, "--surveys", export, "--replace")
    assert [p.name for p in (audit.parent / "shop.evidence").iterdir()] == ["typeform-survey.csv"]


def test_an_encoding_other_than_utf8_is_read(cli, audit, tmp_path):
    export = tmp_path / "latin.csv"
    header = "Fecha,Recomendación: how likely are you to recommend us?\n"
    export.write_bytes((header + "2026-11-02,9\n2026-11-03,10\n").encode("cp1252"))
    _result, got = measured(cli, audit, "--surveys", export)
    assert got["NPS"]["value"] == 100


BAD = {
    "empty.csv": (b"", "empty.csv:1:0: the file is empty"),
    "header-only.csv": (
        b"Timestamp,How likely are you to recommend us?\n",
        "header-only.csv: no rows under the header",
    ),
    "picture.csv": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "picture.csv:1:0: not CSV: a binary file",
    ),
    "notes.csv": (
        b"Just some notes about our customers\n",
        "notes.csv:1:1: not a CSV export: the first line is not a row of column headers",
    ),
    "words.csv": (
        b"Timestamp,How likely are you to recommend us?\n"
        b"11/02/2026 10:00:00,9\n11/02/2026 11:00:00,very likely\n",
        "words.csv:3:2: column 'How likely are you to recommend us?': "
        "'very likely' is not a number",
    ),
    "dates.csv": (
        b"Timestamp,How likely are you to recommend us?\n11/02/2026 10:00:00,9\n2026-13-45,8\n",
        "dates.csv:3:1: column 'Timestamp': '2026-13-45' is not a date",
    ),
    "eleven.csv": (
        b"Timestamp,How likely are you to recommend us?\n11/02/2026 10:00:00,11\n",
        "eleven.csv:2:2: column 'How likely are you to recommend us?': "
        "11 is not an NPS answer (0 to 10)",
    ),
    "scale.csv": (
        b"date,How satisfied were you?\n2026-11-02,6\n",
        "scale.csv:2:2: column 'How satisfied were you?': 6 is outside the item's scale, 1 to 5",
    ),
    "short.csv": (
        b"Timestamp,Comment,How likely are you to recommend us?\n2026-11-02,ok\n",
        "short.csv:2:3: column 'How likely are you to recommend us?': missing",
    ),
    # UTF-8 for the first 64 KB (where the encoding is detected), then a Latin-1 byte
    "mixed.csv": (
        b"Timestamp,How likely are you to recommend us?\n"
        + b"2026-11-02 10:00:00,9\n" * 4000
        + b"2026-11-03 10:00:00,9 caf\xe9\n",
        "mixed.csv:4002:2: not utf-8 text",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_export_is_a_located_error_and_the_audit_is_unchanged(cli, audit, tmp_path, name):
    content, message = BAD[name]
    export = tmp_path / name
    export.write_bytes(content)
    before = audit.read_bytes()
    result = cli("measure", audit, "--surveys", export)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert audit.read_bytes() == before
    assert not (tmp_path / "shop.evidence").exists()


def test_a_measured_value_outside_the_items_range_is_not_written(cli, audit, tmp_path):
    export = tmp_path / "tickets.csv"
    export.write_text(
        "Created time,Initial response time\n2026-01-01 10:00:00,2026-03-01 10:00:00\n",
        encoding="utf-8",
    )
    result = cli("measure", audit, "--tickets", export)
    assert result.exit_code == 0
    assert "first-reply-time (for FRT): 1416 is outside the item's range, 0 to 1000" in (
        result.stderr
    )
    assert "FRT" not in answers(audit)


def test_a_number_in_a_date_column_is_refused(cli, audit, tmp_path):
    export = tmp_path / "tickets.csv"
    export.write_text("Opened,Minutes to resolve\n2026-11-02 10:00:00,120\n", encoding="utf-8")
    result = cli(
        "measure",
        audit,
        "--tickets",
        export,
        "--map",
        "Opened=created",
        "--map",
        "Minutes to resolve=resolved",
    )
    assert result.exit_code == 2
    assert "tickets.csv:2:2: column 'Minutes to resolve': '120' is not a date" in result.stderr


def test_reply_before_creation_is_a_located_error(cli, audit, tmp_path):
    export = tmp_path / "tickets.csv"
    export.write_text(
        "Created time,Initial response time,Resolved time\n"
        "2026-11-02 10:00:00,2026-11-02 09:00:00,2026-11-02 12:00:00\n",
        encoding="utf-8",
    )
    before = audit.read_bytes()
    result = cli("measure", audit, "--tickets", export)
    assert result.exit_code == 2
    assert "tickets.csv:2:2: column 'Initial response time': first_reply comes before" in (
        result.stderr
    )
    assert audit.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give one export"),
        (["--surveys", "a.csv", "--tickets", "b.csv"], "give one export"),
        (["--surveys", "missing.csv"], "missing.csv: no such file"),
        (["--surveys", "{typeform}", "--period", "2026-11"], "write FROM..TO"),
        (["--surveys", "{typeform}", "--period", "2026-11-05..2026-11-01"], "the end comes"),
        (["--tickets", "{zendesk}", "--hours", "9-5"], "write the working hours as 09:00-17:00"),
        (["--tickets", "{zendesk}", "--days", "weekdays"], "write days as mon-fri"),
        (["--surveys", "{typeform}", "--map", "Score"], 'write "Column header=field"'),
        (["--surveys", "{typeform}", "--map", "#=score"], "'score' is not a field of surveys"),
        (["--surveys", "{typeform}", "--map", "Nope=nps"], "--map: no column 'Nope'"),
        (
            ["--surveys", "{typeform}", "--period", "2027-01-01..2027-01-31"],
            "no rows in the period 2027-01-01..2027-01-31",
        ),
    ],
)
def test_bad_options_are_refused_and_the_audit_is_unchanged(cli, audit, args, message):
    paths = {
        "typeform": EXPORTS / "typeform-survey.csv",
        "zendesk": EXPORTS / "zendesk-tickets.csv",
    }
    before = audit.read_bytes()
    result = cli("measure", audit, *[a.format(**paths) for a in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert audit.read_bytes() == before


def test_a_checklist_without_measures_says_what_to_add(cli, tmp_path, mini):
    path = tmp_path / "a.yaml"
    cli("run", mini, "--store", "Acme", "--out", path, input="")
    result = cli("measure", path, "--surveys", EXPORTS / "typeform-survey.csv")
    assert result.exit_code == 2
    assert "no metric item names a measure of surveys (nps, csat, ces)" in result.stderr
    assert "measure: nps" in result.stderr
