"""Errors of the documents subsystem: each names what is wrong and where (file, item, type key)."""


class DocumentError(Exception):
    """Base of every error raised by caseflow.documents."""


class UnknownDocumentType(DocumentError, KeyError):
    """A type key that templates/documents/pdf/types.yaml does not declare."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(f"unknown document type {key!r} (not declared in templates/documents/pdf/types.yaml)")

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return self.args[0]


class DocumentTypeError(DocumentError):
    """types.yaml is invalid: the message names the file and the item."""


class FontsMissing(DocumentError):
    """The PDF fonts are not installed (Debian: fonts-liberation2, fonts-noto-core; see scripts/setup.sh)."""


class FetchRefused(DocumentError):
    """The renderer asked for a URL outside the allow-list (the app's static files and the PDF fonts)."""
