"""Demo and test data for documents: signing powers (the province's chair for the federation, the UBKT's
chair for the committee), and a few drafts walked to issue through the engine so the register is not empty."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Case, Unit, User
from caseflow.documents.demo_content import content_for
from caseflow.documents.models import DocumentDetail, SigningPower

#: the walk of a draft to its issue: (trigger, username, data)
ISSUE_STEPS = [("approve_draft", "signer", {}), ("check", "vanthu", {"content_checked": True, "format_checked": True}),
               ("sign", "signer", {}), ("register", "vanthu", {}), ("seal", "vanthu", {}),
               ("dispatch", "vanthu", {})]


def seed_powers(session: Session, units: dict[str, Unit], users: dict[str, User], since: date) -> list[SigningPower]:
    province = units["province"]
    powers = [
        SigningPower(user=users["lanhdao"], unit=province, issuer_code=None, type_key=None, authority="TM.",
                     on_behalf_of="BAN THƯỜNG VỤ", title="CHỦ TỊCH", valid_from_date=since,
                     basis="Phân công nhiệm vụ của Ban Thường vụ (dữ liệu mẫu)"),
        SigningPower(user=users["kiemtra"], unit=province, issuer_code="UBKT", type_key=None, authority="TM.",
                     on_behalf_of="ỦY BAN KIỂM TRA", title="CHỦ NHIỆM", valid_from_date=since,
                     basis="Phân công nhiệm vụ của Ủy ban Kiểm tra (dữ liệu mẫu)"),
        # the legal-aid centre's documents (e.g. "Văn bản đề nghị"): the demo's leader is its director, so that
        # "Ký ban hành" on them is a button that works
        SigningPower(user=users["lanhdao"], unit=province, issuer_code="TTTVPL", type_key=None, authority="",
                     on_behalf_of="", title="GIÁM ĐỐC", valid_from_date=since,
                     basis="Quyết định giao phụ trách Trung tâm Tư vấn pháp luật (dữ liệu mẫu)"),
    ]
    session.add_all(powers)
    session.flush()
    return powers


def fill_required(session: Session, case: Case, detail: DocumentDetail, filler: str | None = None) -> dict:
    """Every required field left empty gets plausible content (demo and tests only; caseflow/documents/
    demo_content.py); `filler` instead puts one text everywhere (tests that look for it)."""
    from caseflow.documents import get_type

    t = get_type(detail.type_key)
    fields = dict((detail.data or {}).get("fields") or {})
    for spec in t.fields:
        if spec.required and not fields.get(spec.name):
            text = filler or content_for(t.key, spec.name, spec.kind, spec.columns) or spec.name
            if spec.kind not in ("date", "money") and not isinstance(text, str):
                fields[spec.name] = text
                continue
            fields[spec.name] = (case.received_date.isoformat() if spec.kind == "date" else
                                 1000000 if spec.kind == "money" else
                                 [{c: text for c, _l in spec.columns}] if spec.kind == "list" and spec.columns
                                 else [text] if spec.kind == "list" else text)
    return {"summary": detail.summary, "fields": fields, "recipients": (detail.data or {}).get("recipients") or [],
            "archive": (detail.data or {}).get("archive") or "VT"}


def issue_draft(session: Session, case: Case, users: dict[str, User], signer: str, until: str = "dispatch") -> Case:
    detail = session.get(DocumentDetail, case.id)
    engine.fire(case, "edit_draft", users["vanthu"], {"draft": json.dumps(fill_required(session, case, detail),
                                                                          ensure_ascii=False)})
    for trigger, who, data in ISSUE_STEPS:
        engine.fire(case, trigger, users[signer if who == "signer" else who], data)
        if trigger == until:
            break
    return case


def seed_documents(session: Session, units: dict[str, Unit], users: dict[str, User]) -> int:
    """Powers, then: a few drafts the procedures opened issued (the UBKT's by its chair), one letter drafted by
    hand and issued, one draft left. Returns the number of documents."""
    from caseflow.documents.register import COMMITTEE_BODIES

    seed_powers(session, units, users, date(local_today().year - 1, 1, 1))
    drafts = session.execute(select(Case, DocumentDetail).join(DocumentDetail, DocumentDetail.case_id == Case.id)
                             .where(Case.state == "drafting").order_by(Case.id)).all()
    issued_bodies: dict[str, int] = {}
    for case, detail in drafts:
        body = detail.issuer_code if detail.issuer_code in COMMITTEE_BODIES else "unit"
        # the demo's powers are the province's; the TTTVPL's drafts are left for its director (lanhdao) to sign
        if issued_bodies.get(body, 0) >= 3 or detail.issuer_code == "TTTVPL" or case.unit_id != units["province"].id:
            continue
        issue_draft(session, case, users, "kiemtra" if body == "UBKT" else "lanhdao")
        issued_bodies[body] = issued_bodies.get(body, 0) + 1
    letter = engine.open_case(session, "document_issuance", units["province"], users["vanthu"], {
        "type_key": "cong_van", "summary": "V/v tổng kết công tác tư vấn pháp luật năm "
                                           f"{local_today().year}"}, title="Công văn tổng kết tư vấn pháp luật")
    issue_draft(session, letter, users, "lanhdao")
    engine.open_case(session, "document_issuance", units["province"], users["vanthu"], {
        "type_key": "thong_bao", "summary": "Thông báo lịch tiếp công dân tháng tới"},
        title="Thông báo lịch tiếp công dân")
    return len(session.scalars(select(DocumentDetail.case_id)).all())
