"""Official documents: types (templates/documents/types.yaml), rendering to HTML and PDF in the layout of
Nghị định 30/2020/NĐ-CP, batch rendering, sample data. Pure functions over plain data: no Flask, no database."""
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
