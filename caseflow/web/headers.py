"""Security headers on every response, and the type a stored upload is served with.

Every asset is local (STYLE.md), so the Content-Security-Policy allows this site only: no inline script
or style (the templates keep theirs in caseflow/static/), no framing (clickjacking), no plug-ins. A route
that sets its own policy (the document preview's stricter one) keeps it. HSTS only when served over HTTPS
(config HSTS, on with PREFERRED_URL_SCHEME=https): sent over plain HTTP it would lock a test host out."""
from __future__ import annotations

from pathlib import PurePosixPath

from flask import Flask, current_app

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"

#: the types an upload is served back with, by its extension: chosen by the server, never the type the
#: uploader declared. Anything else (SVG and HTML included: a browser would run their scripts) is served
#: as application/octet-stream, always as an attachment.
SERVED_TYPES = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".tif": "image/tiff", ".tiff": "image/tiff", ".webp": "image/webp",
    ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8",
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text", ".zip": "application/zip",
}
FALLBACK_TYPE = "application/octet-stream"


def served_type(filename: str | None) -> str:
    return SERVED_TYPES.get(PurePosixPath(filename or "").suffix.lower(), FALLBACK_TYPE)


def register(app: Flask) -> None:
    from caseflow.web.accesslog import install

    install()

    @app.after_request
    def security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if current_app.config.get("HSTS"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
