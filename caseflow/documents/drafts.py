"""Draft PDFs (marked DỰ THẢO): rendered on demand and kept per case version in the storage folder, so that
a page looked at twice is rendered once; any edit bumps the version and so renders afresh. Never a register
entry: the issued PDF is written once, by the numbering step (caseflow/documents/register.py)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from caseflow.core.models import Case
from caseflow.documents.models import DocumentDetail


def draft_path(case: Case) -> str:
    return f"drafts/{case.id}/v{case.version}.pdf"


def draft_pdf(session: Session, case: Case, detail: DocumentDetail, refresh: bool = False) -> bytes:
    from caseflow.documents import render_pdf
    from caseflow.documents.register import render_data
    from caseflow.documents.storage import _resolve, write_atomic

    path = _resolve(draft_path(case))
    if path.is_file() and not refresh:
        return path.read_bytes()
    pdf = render_pdf(detail.type_key, render_data(session, case, detail, draft=True))
    write_atomic(draft_path(case), pdf)
    return pdf
