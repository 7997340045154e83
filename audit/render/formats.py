"""One renderer per output format behind one interface: `render(report) -> bytes`."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict
from functools import cache

from jinja2 import pass_context
from markupsafe import Markup

from audit import i18n, resources, words
from audit.render import charts
from audit.render.document import Report

FORMATS = ("pdf", "html", "md", "json", "csv")


@cache
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources.reports_dir()),
        autoescape=True,  # checklist and answer text render as text, never as markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        # Compiling the report template costs ~0.4 s a cold run: keep its bytecode in
        # Jinja's per-user cache folder (created 0700, checked to be the user's own).
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    # Looked up at each call, so one cached environment serves every language.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: i18n._(message),
        lambda singular, plural, n: i18n.ngettext(singular, plural, n),
        newstyle=True,
    )
    env.globals.update(
        band_colour=charts.colour,
        band_label=words.band_label,
        effort_label=words.effort_label,
        status_label=words.status_label,
        action_label=words.action_label,
        page_css=page_css,
    )
    env.filters.update(u=_user_text, txt=_sentence)
    return env


def _rtl(context) -> bool:
    r = context.get("r")
    return (getattr(r, "direction", None) or context.get("direction")) == "rtl"


def _lang(context) -> str:
    r = context.get("r")
    return getattr(r, "lang", None) or getattr(context.get("p"), "lang", "") or ""


@pass_context
def _user_text(context, text) -> Markup:
    """User text, isolated in a <bdi> (see typeset.py)."""
    from audit.render.typeset import typeset

    return typeset(text, _rtl(context), isolate=True, lang=_lang(context))


@pass_context
def _sentence(context, text) -> Markup:
    """A sentence of the tool's, with the user text inside it isolated."""
    from audit.render.typeset import typeset

    return typeset(text, _rtl(context), lang=_lang(context))


def page_css(direction: str) -> Markup:
    """The running footer, in the report's language and mirrored for right-to-left."""
    parts = re.split(r"(\{n\}|\{total\})", i18n._("page {n} of {total}"))
    counters = {"{n}": "counter(page)", "{total}": "counter(pages)"}
    content = " ".join(
        counters.get(part) or json.dumps(part, ensure_ascii=False) for part in parts if part
    )
    name, number = ("right", "left") if direction == "rtl" else ("left", "right")
    return Markup(
        f"@page {{ @bottom-{name} {{ content: string(storename); }} "
        f"@bottom-{number} {{ content: {content}; }} }}"
    )


def html(report: Report) -> bytes:
    """The report as one self-contained HTML document: styles and charts inline."""
    css = (resources.reports_dir() / "report.css").read_text(encoding="utf-8")
    template = environment().get_template("report.html.j2")
    return template.render(r=report, css=css).encode("utf-8")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pdf(report: Report) -> bytes:
    return html_to_pdf(html(report).decode("utf-8"))


def html_to_pdf(document: str, blocked: list[str] | None = None) -> bytes:
    """Lay out our HTML with WeasyPrint, fetching nothing but our own files (see fetcher.py)."""
    import weasyprint

    from audit.render.fetcher import ReportFetcher

    root = resources.reports_dir()
    # WeasyPrint drops its warnings by default: collect them so failures are not silent.
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        fetcher = ReportFetcher(root, blocked)
        return weasyprint.HTML(
            string=document, base_url=root.as_uri() + "/", url_fetcher=fetcher
        ).write_pdf()
    finally:
        logger.removeHandler(collector)
        WARNINGS[:] = collector.messages


WARNINGS: list[str] = []  # what WeasyPrint logged during the last PDF


def markdown(report: Report) -> bytes:
    from audit.render import markdown as md

    return md.render(report).encode("utf-8")


def as_json(report: Report) -> bytes:
    data = {
        "store": {
            "name": report.store,
            "url": report.url or None,
            "segment": report.segment.lower(),
            "auditor": report.auditor or None,
        },
        "checklist": {
            "id": report.checklist_id,
            "version": report.checklist_version,
            "sha256": report.checklist_sha256,
            "title": report.checklist_title,
        },
        "date": report.date,
        "language": report.lang,
        **report.result,
        "reading": report.reading,
        "items": [_item_json(i) for i in report.items],
        "benchmarks": [
            {"item": i.id, "text": b.text, "source": b.source} for i, b in report.benchmarks
        ],
    }
    if report.progress:
        data["progress"] = {**report.progress.data, "trend": report.progress.trend}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _item_json(item) -> dict:
    data = asdict(item)
    data["benchmarks"] = [asdict(b) for b in item.benchmarks]
    for e in data["evidence"]:
        del e["thumbnail"]  # the PDF's and HTML's picture; JSON keeps kind and ref
    return data


CSV_COLUMNS = [
    "id",
    "category",
    "strategies",
    "question",
    "answer",
    "level",
    "score",
    "weight",
    "impact",
    "note",
]


def as_csv(report: Report) -> bytes:
    """One row per item; with a baseline, its earlier level and the change in level too."""
    out = io.StringIO()
    writer = csv.writer(out)
    before: dict[str, int | None] = {}
    if report.progress:
        levels = report.progress.data["levels"]
        before = {item_id: pair[0] for item_id, pair in levels.items()}
    writer.writerow(CSV_COLUMNS + (["baseline_level", "level_change"] if report.progress else []))
    for i in report.items:
        answer = {"na": "N/A", "unanswered": ""}.get(i.status, i.answer)
        row = [
            i.id,
            i.category,
            "; ".join(i.strategies),
            csv_cell(i.question),
            csv_cell(answer),
            "" if i.level is None else i.level,
            "" if i.score is None else f"{i.score:g}",
            f"{i.weight:g}",
            "" if i.impact is None else f"{i.impact:g}",
            csv_cell(i.note),
        ]
        if report.progress:
            old = before.get(i.id)
            change = "" if old is None or i.level is None else i.level - old
            row += ["" if old is None else old, change]
        writer.writerow(row)
    # UTF-8 with a byte-order mark so that spreadsheet programs read the accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_cell(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: keep user text as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "pdf": pdf,
    "html": html,
    "md": markdown,
    "json": as_json,
    "csv": as_csv,
}
