"""The portfolio as PDF, HTML, CSV or JSON, from one scan (see portfolio.py)."""

from __future__ import annotations

import csv
import io

from audit import i18n, resources
from audit.judgement.portfolio import Portfolio
from audit.render import charts
from audit.render.formats import csv_cell, environment
from audit.render.pdf import html_to_pdf

FORMATS = ("pdf", "html", "csv", "json")


def html(p: Portfolio, screen: bool = True) -> bytes:
    css = (resources.reports_dir() / "report.css").read_text(encoding="utf-8")
    screen_css = (
        (resources.reports_dir() / "screen.css").read_text(encoding="utf-8") if screen else ""
    )
    template = environment().get_template("portfolio.html.j2")
    return template.render(
        p=p, css=css, screen_css=screen_css, bar=charts.bar, direction=i18n.direction(p.lang)
    ).encode("utf-8")


def pdf(p: Portfolio) -> bytes:
    return html_to_pdf(html(p, screen=False).decode("utf-8"))


def as_json(p: Portfolio) -> bytes:
    from audit.jsontypes import dumps

    return dumps(p.to_json()).encode("utf-8")


def as_csv(p: Portfolio) -> bytes:
    """One row per store: its latest audit, and each category against the median."""
    out = io.StringIO()
    writer = csv.writer(out)
    categories = list(p.category_titles)
    writer.writerow(
        [
            "store",
            "path",
            "date",
            "audits",
            "overall",
            "band",
            "change",
            *categories,
            *(f"{c}_vs_median" for c in categories),
            "segment",
            "completion",
            "provisional",
            "change_items",
        ]
    )
    for s in p.stores:
        latest = s.latest

        def num(value):
            return "" if value is None else f"{value:g}"

        writer.writerow(
            [
                csv_cell(latest.store),
                csv_cell(latest.path.as_posix()),
                latest.date,
                len(s.history),
                num(latest.overall),
                latest.band or "",
                num(s.change),
                *(num(latest.categories.get(c)) for c in categories),
                *(num(p.position(s, c)) for c in categories),
                latest.segment,
                f"{latest.share * 100:.1f}",
                "yes" if latest.provisional else "no",
                s.like_for_like[1],
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


RENDERERS = {"pdf": pdf, "html": html, "csv": as_csv, "json": as_json}
