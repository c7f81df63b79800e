"""The only URL fetcher WeasyPrint gets: it serves the PDF fonts and the app's own static files from an allow-list
and refuses everything else (file: paths, http(s) to anywhere, data:), logging each refusal. A document's data is
user text: nothing in it may make the server read a file or open a connection."""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from caseflow.documents.errors import FetchRefused
from caseflow.documents.fonts import FONT_PREFIX, font_files

log = logging.getLogger(__name__)

#: an internal scheme: a browser showing the HTML preview never resolves it, WeasyPrint hands it to us
STATIC_PREFIX = "caseflow:static/"
STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()


class SafeFetcher(URLFetcher):
    """Allow-list fetcher: `caseflow:font/<file>` (the fonts found by fonts.font_files) and
    `caseflow:static/<path>` (inside caseflow/static); anything else raises FetchRefused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("caseflow",), allow_redirects=False)
        # no handler may ever open a connection or a file: drop urllib's handlers altogether
        self.handlers = []
        self.handle_open = {}

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self.resolve(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            mime = "font/ttf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    @staticmethod
    def resolve(url: str) -> Path:
        """The allowed local file behind url, or FetchRefused."""
        if url.startswith(FONT_PREFIX):
            path = font_files().get(url[len(FONT_PREFIX):])
            if path is not None:
                return path
        elif url.startswith(STATIC_PREFIX) and "?" not in url and "#" not in url:
            path = (STATIC_DIR / url[len(STATIC_PREFIX):]).resolve()
            if path.is_relative_to(STATIC_DIR) and path.is_file():
                return path
        log.warning("document renderer refused to fetch %r", url[:200])
        raise FetchRefused(f"refused to fetch {url[:200]!r}: only the app's fonts and static files are allowed")

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)

    def open(self, url, data=None, timeout=None):
        target = url.full_url if hasattr(url, "full_url") else url
        return self.fetch(target)
