"""The register of outgoing documents (sổ văn bản đi): symbols, numbers and the issuing of the final PDF.

Numbers run per issuing body and year from 01, secret documents on their own sequence (Nghị định
30/2020/NĐ-CP, numbering of outgoing documents [R: article not checked]); a number is taken inside the
issuing transaction from caseflow.core.models.sequence, so a failure gives it back: no gap, no duplicate."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from caseflow.core.clock import local_today
from caseflow.core.models import Case, Unit, next_value
from caseflow.core.text import fold
from caseflow.documents.builders import render_extra
from caseflow.documents.models import DocumentDetail

#: urgency value -> the mark printed on the document (NĐ 30/2020 Phụ lục I: "Khẩn", "Thượng khẩn", "Hỏa tốc")
URGENCY_MARKS = {"normal": "", "urgent": "KHẨN", "very_urgent": "THƯỢNG KHẨN", "flash": "HỎA TỐC"}
#: issuer bodies of a unit that keep a register of their own (the inspection committee)
COMMITTEE_BODIES = {"UBKT": "Ủy ban Kiểm tra", "TTTVPL": "Trung tâm Tư vấn pháp luật Công đoàn"}


def doc_type(key: str):
    from caseflow.documents import get_type

    return get_type(key)


def unit_symbol(unit: Unit) -> str:
    """The unit's abbreviation in a symbol: "LĐLĐ-BĐ" -> "LĐLĐ" (the federation of the province writes
    05/QĐ-LĐLĐ), "CĐCS-MMQN" -> "CĐCS"; other codes lose their hyphens ("CĐ-KKT" -> "CĐKKT")."""
    head = unit.code.split("-")[0]
    if head in ("LĐLĐ", "CĐCS", "TLĐ"):
        return head
    return unit.code.replace("-", "")


def issuer_code_for(type_key: str, unit: Unit) -> str:
    body = getattr(doc_type(type_key), "issuer_body", None) or ""
    return body if body in COMMITTEE_BODIES else unit_symbol(unit)


def sequence_name(detail: DocumentDetail, year: int) -> str:
    """One register per issuing unit and body, year, and secrecy: "doc:4:UBKT:2026:open"."""
    return f"doc:{detail.issuing_unit_id}:{detail.issuer_code}:{year}:{'secret' if detail.secret else 'open'}"


def format_symbol(number: int, type_code: str, issuer_code: str) -> str:
    """05/QĐ-LĐLĐ: numbers under 10 padded with 0 (NĐ 30/2020 Phụ lục I); a letter (công văn) has no type
    code: 05/LĐLĐ."""
    return f"{number:02d}/{type_code}-{issuer_code}" if type_code else f"{number:02d}/{issuer_code}"


def search_text(detail: DocumentDetail, type_title: str = "") -> str:
    return fold(" ".join(x for x in (detail.symbol, detail.summary, type_title, detail.type_key) if x))


def _names(session: Session, unit: Unit, day: date, issuer_code: str) -> tuple[str, str, str, str]:
    """(superior, issuer, place, issuer's name as written in a sentence) as in force on `day` (a merged
    province prints its new name)."""
    from caseflow.union.org import as_of

    own = as_of(session, unit, day)
    parent = session.get(Unit, own.parent_id) if own.parent_id else None
    place = own.place or (as_of(session, parent, day).place if parent else "") or ""
    if issuer_code in COMMITTEE_BODIES:
        body = COMMITTEE_BODIES[issuer_code]
        return own.name.upper(), body.upper(), place, f"{body} {own.name}"
    return (as_of(session, parent, day).name.upper() if parent else ""), own.name.upper(), place, own.name


def render_data(session: Session, case: Case, detail: DocumentDetail, *, draft: bool,
                number: int | None = None, day: date | None = None) -> dict[str, Any]:
    """The plain data the PDF templates get (never ORM objects)."""
    t = doc_type(detail.type_key)
    defaults = dict(getattr(t, "defaults", None) or {})
    day = day or detail.issued_date
    unit = detail.issuing_unit or case.unit
    superior, issuer, place, issuer_name = _names(session, unit, day or local_today(), detail.issuer_code)
    data = detail.data or {}
    signature = dict(detail.signature or defaults.get("signature") or {})
    signature.setdefault("name", "")
    extra = render_extra(detail.type_key)
    return {**(extra(session, case, detail) if extra else {}),
        "superior": superior, "issuer": issuer, "issuer_name": issuer_name, "issuer_code": detail.issuer_code,
        "number": number if number is not None else detail.number, "place": place,
        "date": day.isoformat() if day else None, "summary": detail.summary,
        "fields": dict(data.get("fields") or {}), "signature": signature,
        "recipients": list(data.get("recipients") or defaults.get("recipients") or []),
        "archive": data.get("archive") or defaults.get("archive") or "",
        "secret": bool(detail.secret), "urgency": URGENCY_MARKS.get(detail.urgency or "normal", ""),
        "draft": draft,
    }


def issue(session: Session, case: Case, detail: DocumentDetail, day: date, now: datetime) -> dict[str, Any]:
    """Number, render and store the final PDF, inside the caller's transaction: a failure anywhere rolls the
    transaction back, gives the number back, and removes the written file."""
    from caseflow.documents import render_pdf
    from caseflow.documents.storage import remove_on_rollback, sha256, write_atomic

    if detail.pdf_sha256:
        raise RuntimeError(f"document {case.code} is already issued")
    number = next_value(session, sequence_name(detail, day.year))
    symbol = format_symbol(number, detail.type_code, detail.issuer_code)
    pdf = render_pdf(detail.type_key, render_data(session, case, detail, draft=False, number=number, day=day))
    relative = f"documents/{day.year}/{detail.issuing_unit_id}/{case.code}.pdf"
    path = write_atomic(relative, pdf, overwrite=False)
    remove_on_rollback(session, Path(path))
    digest = sha256(pdf)
    detail.number, detail.year, detail.symbol = number, day.year, symbol
    detail.issued_date, detail.issued_dt = day, now
    detail.pdf_path, detail.pdf_sha256 = relative, digest
    detail.search_text = search_text(detail, getattr(doc_type(detail.type_key), "title", ""))
    return {"number": number, "symbol": symbol, "sha256": digest, "pdf": relative}
