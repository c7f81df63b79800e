"""Official documents: types (templates/documents/pdf/types.yaml), rendering to HTML and PDF in the layout of
Nghị định 30/2020/NĐ-CP, batch rendering, sample data: the API re-exported here is pure functions over plain data
(no Flask, no database). Beside it, the feature: models, hooks (the issuance workflow), views (register, drafts)."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from caseflow.documents.batch import render_to_files
    from caseflow.documents.builders import context_builder, get_context_builder
    from caseflow.documents.errors import (
        DocumentError,
        DocumentTypeError,
        FetchRefused,
        FontsMissing,
        UnknownDocumentType,
    )
    from caseflow.documents.render import missing_fields, render_html, render_pdf
    from caseflow.documents.samples import sample_data
    from caseflow.documents.types import DocumentType, FieldSpec, document_types, get_type
    from caseflow.documents.vi_format import number_line, vi_place_date

#: the re-exported API, imported on first use (PEP 562): `import caseflow.documents.models` (every page, the
#: hooks, `caseflow workflows check`) then loads neither the renderer nor the document types
_API = {
    "render_to_files": "batch", "context_builder": "builders", "get_context_builder": "builders",
    "DocumentError": "errors", "DocumentTypeError": "errors", "FetchRefused": "errors", "FontsMissing": "errors",
    "UnknownDocumentType": "errors", "missing_fields": "render", "render_html": "render", "render_pdf": "render",
    "sample_data": "samples", "DocumentType": "types", "FieldSpec": "types", "document_types": "types",
    "get_type": "types", "number_line": "vi_format", "vi_place_date": "vi_format",
}

__all__ = [
    "DocumentError", "DocumentType", "DocumentTypeError", "FetchRefused", "FieldSpec", "FontsMissing",
    "UnknownDocumentType", "context_builder", "document_types", "get_context_builder", "get_type",
    "missing_fields", "number_line", "render_html", "render_pdf", "render_to_files", "sample_data",
    "vi_place_date",
]


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
    globals()[name] = value
    return value


def setup_definitions(app: Flask) -> None:
    """What the definitions load against: the issuance workflow's hooks (also `caseflow workflows check`'s app)."""
    from caseflow.core.engine.state import add_hooks
    from caseflow.documents.hooks import hooks

    add_hooks(app, hooks)


def setup(app: Flask) -> None:
    """Official documents: the issuance workflow's hooks, the register and drafting pages, the case panel and
    the `caseflow documents` commands."""
    from caseflow.core.signals import connect_menu
    from caseflow.documents import home, models, views  # noqa: F401  (models: its tables join the metadata)
    from caseflow.documents.batch_job import KIND_SPEC
    from caseflow.documents.cli import documents_group
    from caseflow.documents.hooks import register_access
    from caseflow.jobs import add_job_kind
    from caseflow.web.casepage import add_case_kind, add_panel, case_page

    setup_definitions(app)
    register_access(app)
    app.register_blueprint(views.bp)
    add_job_kind(app, KIND_SPEC)
    from caseflow.reports.export_job import add_exporter

    add_exporter(app, "documents_register", views.register_export)
    connect_menu(app, views.MENU)
    add_case_kind(app, "document", detail_template="documents/_detail_document.html")
    case_page(app).listed_apart.add("document")  # the register lists them; the case list when asked
    add_panel(app, "documents/_case_panel.html")
    home.setup_home(app)
    app.cli.add_command(documents_group)
