"""Official documents: types (templates/documents/types.yaml), rendering to HTML and PDF in the layout of
Nghị định 30/2020/NĐ-CP, batch rendering, sample data. Pure functions over plain data: no Flask, no database."""
from flask import Flask

from caseflow.documents.batch import render_to_files
from caseflow.documents.builders import context_builder, get_context_builder
from caseflow.documents.errors import DocumentError, DocumentTypeError, FetchRefused, FontsMissing, UnknownDocumentType
from caseflow.documents.render import missing_fields, render_html, render_pdf
from caseflow.documents.samples import sample_data
from caseflow.documents.types import DocumentType, FieldSpec, document_types, get_type
from caseflow.documents.vi_format import number_line, vi_place_date

__all__ = [
    "DocumentError", "DocumentType", "DocumentTypeError", "FetchRefused", "FieldSpec", "FontsMissing",
    "UnknownDocumentType", "context_builder", "document_types", "get_context_builder", "get_type",
    "missing_fields", "number_line", "render_html", "render_pdf", "render_to_files", "sample_data",
    "vi_place_date",
]


def setup(app: Flask) -> None:
    """Official documents: the issuance workflow's hooks, the register and drafting pages, the case panel."""
    from caseflow import engine
    from caseflow.hooks.documents import hooks
    from caseflow.signals import connect_menu
    from caseflow.web import documents as views
    from caseflow.web.casepage import add_case_kind, add_panel

    engine.add_hooks(app, hooks)
    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    add_case_kind(app, "document", detail_template="cases/_detail_document.html")
    add_panel(app, "docs/_case_documents.html")
