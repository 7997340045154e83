"""The only way a report reaches outside itself: the tool's own files and data: URIs.

WeasyPrint's default fetcher reads any file:// URL (a `rel="attachment"` link embeds
/etc/passwd in the PDF) and waits on any network address. This one refuses both.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class ReportFetcher(URLFetcher):
    def __init__(self, root: Path, blocked: list[str] | None = None) -> None:
        super().__init__(timeout=2, allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()
        self.blocked = blocked if blocked is not None else []

    def fetch(self, url: str, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        self.blocked.append(url)
        raise ValueError(f"cxaudit reports load only their own files, not {url}")
