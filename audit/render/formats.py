"""One renderer per output format behind one interface: `render(report) -> bytes`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache

from jinja2 import pass_context
from markupsafe import Markup

from audit import i18n, resources, words
from audit.render import charts
from audit.render.document import Report

FORMATS = ("pdf", "html", "md", "json", "csv", "xlsx")


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
        # Compiling the report template costs ~0.4 s a cold run: keep its bytecode in our
        # cache folder, else in Jinja's own per-user one (both 0700, the user's own).
        bytecode_cache=jinja2.FileSystemBytecodeCache(_jinja_folder()),
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


def _jinja_folder() -> str | None:
    folder = resources.cache_dir()
    return str(folder) if folder is not None else None


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


def html(report: Report, screen: bool = True) -> bytes:
    """The report as one self-contained HTML document: styles and charts inline.

    `screen` adds the stylesheet for screens of any width (screen.css): the PDF goes without.
    """
    css = (resources.reports_dir() / "report.css").read_text(encoding="utf-8")
    screen_css = (
        (resources.reports_dir() / "screen.css").read_text(encoding="utf-8") if screen else ""
    )
    template = environment().get_template("report.html.j2")
    return template.render(r=report, css=css, screen_css=screen_css).encode("utf-8")


def pdf(report: Report, to_pdf: Callable[[str], bytes] | None = None) -> bytes:
    """The report as PDF; `to_pdf` lays out the HTML elsewhere (pdf_aside.py), else here."""
    from audit.render.pdf import html_to_pdf

    return (to_pdf or html_to_pdf)(html(report, screen=False).decode("utf-8"))


def markdown(report: Report) -> bytes:
    from audit.render import markdown as md

    return md.render(report).encode("utf-8")


def as_json(report: Report) -> bytes:
    from audit.render import report_json

    return report_json.render(report)


def as_csv(report: Report) -> bytes:
    from audit.render import csv_out

    return csv_out.render(report)


def xlsx(report: Report) -> bytes:
    from audit.render import xlsx as workbook

    return workbook.render(report)


def csv_cell(text: str) -> str:
    from audit.render.csv_out import guard

    return guard(text)


RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "pdf": pdf,
    "html": html,
    "md": markdown,
    "json": as_json,
    "csv": as_csv,
    "xlsx": xlsx,
}
