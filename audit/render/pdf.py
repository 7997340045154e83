"""HTML to a tagged PDF with WeasyPrint, fetching nothing but our own files."""

from __future__ import annotations

import logging
import sys

from audit import resources
from audit.gc_pause import collections_paused

WARNINGS: list[str] = []  # what WeasyPrint logged during the last PDF
# Tagged PDF/UA: a structure tree (headings, tables, lists) in reading order, the document's
# language and title, for screen readers and copy-paste. Same pages; about 20% slower, 40% larger.
PDF_VARIANT = "pdf/ua-1"


def load_weasyprint() -> None:
    """Import WeasyPrint (0.22 s cold), finding its libraries the quick way (linker_cache.py)."""
    if "weasyprint" in sys.modules:  # loaded: no library lookup to speed up
        return
    from audit.render.linker_cache import libraries_from_linker_cache

    with libraries_from_linker_cache():
        import weasyprint  # noqa: F401


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@collections_paused(last_step=True)  # importing WeasyPrint and laying out allocate, never free
def html_to_pdf(document: str, blocked: list[str] | None = None) -> bytes:
    """Lay out our HTML with WeasyPrint, fetching nothing but our own files (see fetcher.py)."""
    load_weasyprint()
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
        ).write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        logger.removeHandler(collector)
        WARNINGS[:] = collector.messages
