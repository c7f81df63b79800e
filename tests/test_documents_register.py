"""Issuing documents through the engine (workflows/documents/document_issuance.yaml): signing powers, numbering in the
issuing transaction (no gap, no duplicate, under concurrency on SQLite and PostgreSQL), the stored PDF and its
hash, the dispatch deadline, replacements, drafts opened by other procedures' steps."""
from __future__ import annotations

import hashlib
import json
import threading
from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Case, Unit, User
from caseflow.core.models.sequence import current_value
from caseflow.db_setup import install_connection_pragmas
from caseflow.deadlines.models import Deadline
from caseflow.documents.demo import fill_required, seed_powers
from caseflow.documents.models import DocumentDetail, SigningPower
from caseflow.extensions import db
from tests.conftest import PG_URL
from tests.factories import unit, user, users_by_name


def units_by_key(org) -> dict[str, Unit]:
    return {k: db.session.get(Unit, i) for k, i in org["units"].items()}


@pytest.fixture
def powers(ctx, org):
    seed_powers(db.session, units_by_key(org), users_by_name(org), date(2020, 1, 1))
    db.session.commit()


def draft(org, type_key="quyet_dinh", unit_key="province", secret=False, by="vanthu", **extra) -> Case:
    case = engine.open_case(db.session, "document_issuance", unit(org, unit_key), user(org, by),
                            {"type_key": type_key, "summary": "Về việc kiện toàn Ban Chấp hành", "secret": secret,
                             **extra}, title="Về việc kiện toàn Ban Chấp hành")
    detail = db.session.get(DocumentDetail, case.id)
    engine.fire(case, "edit_draft", user(org, by), {"draft": json.dumps(fill_required(db.session, case, detail))})
    return case


def to_signed(org, case: Case, signer="lanhdao") -> Case:
    engine.fire(case, "approve_draft", user(org, signer))
    engine.fire(case, "check", user(org, "vanthu"), {"content_checked": True, "format_checked": True})
    engine.fire(case, "sign", user(org, signer))
    return case


def issued(org, **kw) -> Case:
    signer = kw.pop("signer", "lanhdao")
    case = to_signed(org, draft(org, **kw), signer)
    engine.fire(case, "register", user(org, "vanthu"))
    return case


def stored(detail: DocumentDetail) -> Path:
    return Path(current_app.config["STORAGE_DIR"]) / detail.pdf_path


def test_issue_numbers_from_01_per_unit_year_and_secrecy(ctx, org, powers):
    first, second = issued(org), issued(org)
    secret = issued(org, secret=True)
    d1, d2, ds = (db.session.get(DocumentDetail, c.id) for c in (first, second, secret))
    year = d1.year
    assert (d1.number, d1.symbol) == (1, "01/QĐ-LĐLĐ")
    assert (d2.number, d2.symbol) == (2, "02/QĐ-LĐLĐ")
    assert (ds.number, ds.symbol) == (1, "01/QĐ-LĐLĐ")  # secret documents: their own sequence
    assert current_value(db.session, f"doc:{d1.issuing_unit_id}:LĐLĐ:{year}:open") == 2
    for d in (d1, d2, ds):
        data = stored(d).read_bytes()
        assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == d.pdf_sha256
        assert d.issued_date and d.signed_by_id == org["users"]["lanhdao"] and d.sign_authority == "TM."


def test_committee_documents_carry_its_symbol_and_register(ctx, org, powers):
    case = issued(org, type_key="phieu_chuyen_don", signer="kiemtra")
    detail = db.session.get(DocumentDetail, case.id)
    assert detail.symbol == "01/PC-UBKT" and detail.issuer_code == "UBKT"
    assert issued(org).id and db.session.scalars(select(DocumentDetail.symbol).where(
        DocumentDetail.issuer_code == "LĐLĐ")).all() == ["01/QĐ-LĐLĐ"]


def test_the_pdf_text_carries_the_number_and_no_draft_mark(ctx, org, powers):
    from pypdf import PdfReader

    detail = db.session.get(DocumentDetail, issued(org).id)
    text = "\n".join(p.extract_text() for p in PdfReader(str(stored(detail))).pages)
    assert "01/QĐ-LĐLĐ" in text and "DỰ THẢO" not in text.upper()
    assert "Trần Thị Bích Ngọc" in text  # the signer's name under the signature block


@pytest.mark.parametrize("power", [None, {"type_key": "thong_bao"}, {"unit": "LĐLĐ-QN"}, {"issuer_code": "UBKT"},
                                   {"valid_to_date": date(2021, 1, 1)}])
def test_signing_refused_without_the_power_for_that_type_and_unit(ctx, org, power):
    if power is not None:
        db.session.add(SigningPower(user_id=org["users"]["lanhdao"], unit_id=org["units"][power.get("unit", "province")],
                                    issuer_code=power.get("issuer_code"), type_key=power.get("type_key"),
                                    authority="TM.", on_behalf_of="BAN THƯỜNG VỤ", title="CHỦ TỊCH",
                                    valid_from_date=date(2020, 1, 1), valid_to_date=power.get("valid_to_date")))
        db.session.commit()
    case = draft(org)
    engine.fire(case, "approve_draft", user(org, "lanhdao"))
    engine.fire(case, "check", user(org, "vanthu"), {"content_checked": True, "format_checked": True})
    with pytest.raises(engine.GuardFailed) as refused:
        engine.fire(case, "sign", user(org, "lanhdao"))
    assert "signing power" in " ".join(refused.value.reasons).lower() or "thẩm quyền" in " ".join(refused.value.reasons)
    assert case.state == "checked"
    with pytest.raises(engine.NotPermitted):  # a clerk's role may not sign at all
        engine.fire(case, "sign", user(org, "vanthu"))


def test_a_draft_with_empty_required_fields_is_not_approved(ctx, org, powers):
    case = engine.open_case(db.session, "document_issuance", unit(org), user(org, "vanthu"),
                            {"type_key": "quyet_dinh", "summary": "Về việc X"}, title="Về việc X")
    with pytest.raises(engine.GuardFailed):
        engine.fire(case, "approve_draft", user(org, "lanhdao"))


def test_dispatch_deadline_opens_at_signing_in_working_days_and_is_met_by_dispatch(ctx, org, powers):
    case = to_signed(org, draft(org))
    rows = {d.rule_key: d for d in db.session.scalars(select(Deadline).where(Deadline.case_id == case.id))}
    dispatch = rows["dispatch"]
    assert dispatch.status == "open" and dispatch.days == 1 and dispatch.day_unit == "working"
    assert "Nghị định 30/2020/NĐ-CP" in dispatch.basis
    engine.fire(case, "register", user(org, "vanthu"))
    assert rows["numbering"].status == "met"
    engine.fire(case, "seal", user(org, "vanthu"))
    assert case.state == "sealed" and dispatch.status == "open"
    engine.fire(case, "dispatch", user(org, "vanthu"), {"dispatch_note": "Gửi qua bưu điện"})
    assert dispatch.status == "met"


def test_sealing_is_its_own_step_after_numbering_by_the_clerk_keeping_the_seal(ctx, org, powers):
    """DOMAIN.md section 8: signed -> numbered -> sealed -> dispatched; the seal stays with the issuing unit."""
    from caseflow.core.engine.errors import GuardFailed, InvalidTrigger, NotPermitted
    from caseflow.core.models import RoleAssignment

    case = to_signed(org, draft(org))
    with pytest.raises(InvalidTrigger):  # not before it is numbered
        engine.fire(case, "seal", user(org, "vanthu"))
    engine.fire(case, "register", user(org, "vanthu"))
    with pytest.raises(InvalidTrigger):  # not dispatched unsealed
        engine.fire(case, "dispatch", user(org, "vanthu"))
    with pytest.raises(NotPermitted):  # the leader signs; the clerk seals
        engine.fire(case, "seal", user(org, "lanhdao"))
    clerk = user(org, "vanthu")
    moved = [r for r in clerk.roles if r.role == "clerk"]
    for r in moved:  # the same clerk, with the role on the unit above only: not the keeper of this seal
        r.unit_id = org["units"]["tld"]
    db.session.commit()
    with pytest.raises((GuardFailed, NotPermitted)):
        engine.fire(case, "seal", clerk)
    for r in moved:
        r.unit_id = org["units"]["province"]
    db.session.commit()
    engine.fire(case, "seal", clerk)
    assert case.state == "sealed" and case.workflow_version == 2
    assert db.session.get(RoleAssignment, moved[0].id).unit_id == org["units"]["province"]


def test_a_failed_render_gives_the_number_back_and_leaves_no_file(ctx, org, powers, monkeypatch):
    from caseflow import documents

    case = to_signed(org, draft(org))
    case_id = case.id

    def broken(key, data):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(documents, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        engine.fire(case, "register", user(org, "vanthu"))
    monkeypatch.undo()
    case = db.session.get(Case, case_id)
    detail = db.session.get(DocumentDetail, case_id)
    assert case.state == "signed" and detail.number is None and detail.pdf_sha256 is None
    folder = Path(current_app.config["STORAGE_DIR"]) / "documents"
    assert not folder.exists() or not any(p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))
    engine.fire(case, "register", user(org, "vanthu"))
    assert db.session.get(DocumentDetail, case_id).number == 1  # no gap


def test_an_issued_row_cannot_be_changed_even_by_code(ctx, org, powers):
    from caseflow.documents.models import IssuedDocumentChanged

    detail = db.session.get(DocumentDetail, issued(org).id)
    detail.summary = "Sửa sau khi ban hành"
    with pytest.raises(IssuedDocumentChanged):
        db.session.flush()
    db.session.rollback()


def test_a_replacement_links_both_ways(ctx, org, powers):
    old = issued(org)
    new = draft(org, replaces_id=old.id, relation="replaces")
    assert db.session.get(DocumentDetail, new.id).replaces_id == old.id
    with pytest.raises(engine.InvalidInput):  # only an issued document is replaced
        draft(org, replaces_id=new.id, relation="replaces")


def test_steps_of_other_procedures_open_drafts_once_prefilled(ctx, org):
    from caseflow.inspection import demo

    u = users_by_name(org)
    case = engine.open_case(db.session, "denunciation", unit(org), u["vanthu"], {
        "accused": demo.ACCUSED, "violation": "Thu đoàn phí sai quy định.", "denouncer_name": "Người Tố Cáo Bí Mật",
        "denouncer_address": "Số 1 đường Bí Mật", "denouncer_phone": "0900000001", "denouncer_id_number": "052000000001"},
        title="Tố cáo thu đoàn phí", received_date=local_today())
    engine.fire(case, "accept", u["lanhdao"])
    docs = db.session.execute(select(DocumentDetail).where(DocumentDetail.source_case_id == case.id)).scalars().all()
    assert [d.type_key for d in docs] == ["quyet_dinh_thu_ly_to_cao"]
    doc = docs[0]
    assert doc.data["fields"]["accused_name"] == demo.ACCUSED and doc.data["fields"]["case_code"] == case.code
    assert doc.source_event.startswith("accept#") and db.session.get(Case, doc.case_id).state == "drafting"
    from caseflow.core.engine.context import FireContext
    from caseflow.documents.hooks import open_drafts

    # the listener run again for the same step adds nothing (idempotent per source step)
    definition = engine.get_registry().get("denunciation", case.workflow_version)
    transition = definition.transition("accept", "received")
    # the step's number rewound in memory only: never flushed (the database refuses a chain head moved
    # without its event, issue 17)
    with db.session.no_autoflush:
        case.audit_seq -= 1
        open_drafts(FireContext(session=db.session, engine=engine.current_engine(), case=case, actor=u["lanhdao"],
                                definition=definition, transition=transition, trigger="accept", source="received",
                                dest="accepted", data={}, comment="", now=case.updated_dt, today=local_today()))
        case.audit_seq += 1
    assert db.session.scalar(select(func.count()).select_from(DocumentDetail).where(
        DocumentDetail.source_case_id == case.id)) == 1
    db.session.rollback()


def test_denunciation_documents_never_carry_the_denouncer(ctx, org, powers):
    """Render a denunciation's document (draft and issued) and read its text back."""
    from pypdf import PdfReader

    from caseflow.core.text import fold
    from caseflow.documents import render_html
    from caseflow.documents.register import render_data
    from caseflow.inspection import demo

    u = users_by_name(org)
    secret = {"denouncer_name": "Hoàng Thị Canary Vàng", "denouncer_address": "Số 9 hẻm Kim Tước",
              "denouncer_phone": "0911222333", "denouncer_id_number": "052199000777"}
    case = engine.open_case(db.session, "denunciation", unit(org), u["vanthu"], {
        "accused": demo.ACCUSED, "violation": "Chi sai kinh phí công đoàn.", **secret},
        title="Tố cáo chi sai kinh phí", received_date=local_today())
    engine.fire(case, "accept", u["lanhdao"])
    doc_case = db.session.scalar(select(Case).join(DocumentDetail, DocumentDetail.case_id == Case.id)
                                 .where(DocumentDetail.source_case_id == case.id))
    detail = db.session.get(DocumentDetail, doc_case.id)
    html = render_html(detail.type_key, render_data(db.session, doc_case, detail, draft=True))
    engine.fire(doc_case, "edit_draft", u["vanthu"], {"draft": json.dumps(fill_required(db.session, doc_case,
                                                                                         detail))})
    to_signed(org, doc_case, "lanhdao")
    engine.fire(doc_case, "register", u["vanthu"])
    text = "\n".join(p.extract_text() for p in PdfReader(str(stored(detail))).pages)
    for blob in (html, text, json.dumps(detail.data, ensure_ascii=False)):
        for value in secret.values():
            assert value not in blob and fold(value) not in fold(blob)
    assert "Trần Văn Bảo" in text


# --- concurrency --------------------------------------------------------------------------------------------
def _fake_render(key, data):
    """A cheap stand-in: the race is about numbers, not about WeasyPrint's speed."""
    return f"%PDF-1.4 fake {key} {data['number']}\n".encode()


def _race(app, org, n: int, monkeypatch, fake: bool = True) -> list[int]:
    from caseflow import documents

    if fake:
        monkeypatch.setattr(documents, "render_pdf", _fake_render)
    ids = [to_signed(org, draft(org)).id for _ in range(n)]
    db.session.remove()
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=n + 2, max_overflow=0) \
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else \
        create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    install_connection_pragmas(other)
    go, errors, ready = threading.Event(), [], []

    def contender(case_id: int):
        with app.app_context(), Session(other) as session:
            try:
                case = session.get(Case, case_id)
                clerk = session.scalar(select(User).where(User.username == "vanthu"))
                ready.append(case_id)
                go.wait(20)
                engine.fire(case, "register", clerk, session=session)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))

    threads = [threading.Thread(target=contender, args=(i,), daemon=True) for i in ids]
    for t in threads:
        t.start()
    go.set()
    for t in threads:
        t.join(120)
    other.dispose()
    assert not errors, errors[:3]
    numbers = db.session.scalars(select(DocumentDetail.number).where(DocumentDetail.case_id.in_(ids))).all()
    return sorted(numbers)


def test_concurrent_issuances_on_sqlite_no_gap_no_duplicate(app, org, monkeypatch, backend):
    if backend != "sqlite":
        pytest.skip("the SQLite variant")
    with app.app_context():
        seed_powers(db.session, units_by_key(org), users_by_name(org), date(2020, 1, 1))
        db.session.commit()
        assert _race(app, org, 8, monkeypatch, fake=False) == list(range(1, 9))


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs CASEFLOW_TEST_POSTGRES_URL")
def test_fifty_concurrent_issuances_on_postgresql_no_gap_no_duplicate(app, org, monkeypatch):
    with app.app_context():
        seed_powers(db.session, units_by_key(org), users_by_name(org), date(2020, 1, 1))
        db.session.commit()
        numbers = _race(app, org, 50, monkeypatch)
        assert numbers == list(range(1, 51))
        symbols = db.session.scalars(select(DocumentDetail.symbol).where(DocumentDetail.number.is_not(None))).all()
        assert len(set(symbols)) == 50


@pytest.mark.parametrize("key, summary", [
    ("quyet_dinh_khen_thuong", "Về việc khen thưởng (hồ sơ KT-2026-0001)"),
    ("phieu_chuyen_don", "Về việc chuyển đơn (hồ sơ KT-2026-0001)"),
    ("phieu_de_xuat_thu_ly", "Về việc đề xuất thụ lý đơn (hồ sơ KT-2026-0001)"),
    ("ket_luan_noi_dung_to_cao", "Về việc kết luận nội dung tố cáo (hồ sơ KT-2026-0001)"),
    ("van_ban_huong_dan", "Về việc văn bản hướng dẫn người gửi đơn (hồ sơ KT-2026-0001)"),
])
def test_a_draft_starts_from_a_summary_that_says_what_it_is_about(key, summary):
    from caseflow.documents import get_type
    from caseflow.documents.hooks import default_summary

    assert default_summary(get_type(key), "KT-2026-0001") == summary
