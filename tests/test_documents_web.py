"""Document pages: the case page's panel, the draft editor, HTML preview (strict CSP) and PDF, the register
(filters, diacritic-free search, XLSX read back), immutability of an issued document through every route,
replacements shown both ways, secret documents, signing powers admin."""
from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Case
from caseflow.documents.models import DocumentDetail, SigningPower
from caseflow.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import open_legal_aid
from tests.test_documents_register import draft, issued, stored


def logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})


@pytest.fixture
def world(app, org):
    from caseflow.documents.demo import seed_powers
    from tests.factories import users_by_name
    from tests.test_documents_register import units_by_key

    with app.app_context():
        seed_powers(db.session, units_by_key(org), users_by_name(org), date(2020, 1, 1))
        db.session.commit()
        legal = open_legal_aid(org)
        a = issued(org, source_case_id=legal.id, by="tuvan1")  # need to know: its legal officer drafts it
        b = issued(org, type_key="thong_bao")
        c = issued(org, secret=True)
        d = draft(org, source_case_id=legal.id, by="tuvan1")
        ids = {"legal": legal.id, "a": a.id, "b": b.id, "secret": c.id, "draft": d.id}
        db.session.remove()
    return ids


def test_case_page_lists_its_documents_with_preview_and_pdf(app, client, world):
    login(client, "lanhdao")
    body = client.get(f"/cases/{world['legal']}").get_data(as_text=True)
    assert 'id="case-documents"' in body and "01/QĐ-LĐLĐ" in body
    assert f"/documents/{world['a']}/preview" in body and f"/documents/{world['draft']}/pdf" in body
    preview = client.get(f"/documents/{world['a']}/preview")
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    assert preview.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'"
    assert "01/QĐ-LĐLĐ" in preview.get_data(as_text=True)
    pdf = client.get(f"/documents/{world['a']}/pdf")
    with app.app_context():
        detail = db.session.get(DocumentDetail, world["a"])
        assert pdf.mimetype == "application/pdf" and hashlib.sha256(pdf.data).hexdigest() == detail.pdf_sha256
        assert stored(detail).read_bytes() == pdf.data
    page = client.get(f"/cases/{world['a']}").get_data(as_text=True)
    assert detail.pdf_sha256 in page
    draft_pdf = client.get(f"/documents/{world['draft']}/pdf")
    assert draft_pdf.status_code == 200 and draft_pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(draft_pdf.data)).pages)
    assert "DỰ THẢO" in text.upper()


def test_an_altered_stored_pdf_is_not_served(app, client, world):
    with app.app_context():
        path = stored(db.session.get(DocumentDetail, world["a"]))
    path.write_bytes(path.read_bytes() + b"%tampered")
    login(client, "lanhdao")
    assert client.get(f"/documents/{world['a']}/pdf").status_code == 409


def test_draft_editor_goes_through_the_engine(app, client, world):
    login(client, "vanthu")
    page = f"/documents/{world['draft']}/edit"
    body = client.get(page).get_data(as_text=True)
    assert 'id="draft-editor"' in body
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    version = re.search(r'name="expected_version" type="hidden" value="(\d+)"', body).group(1)
    with app.app_context():
        from caseflow.documents import get_type

        t = get_type(db.session.get(DocumentDetail, world["draft"]).type_key)
    form = {"csrf_token": token, "expected_version": version, "summary": "Về việc khen thưởng đột xuất",
            "recipients": "Như Điều 3;\nLưu: VT", "archive": "VT, Ban TC", "urgency": "urgent"}
    for spec in t.fields:
        form[f"f_{spec.name}"] = "2026-11-20" if spec.kind == "date" else "12000000" if spec.kind == "money" \
            else "Nội dung sửa"
    response = client.post(page, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        detail = db.session.get(DocumentDetail, world["draft"])
        assert detail.summary == "Về việc khen thưởng đột xuất" and detail.urgency == "urgent"
        case = db.session.get(Case, world["draft"])
        assert case.audit_seq >= 3  # open, edit (in `draft`), this edit: each an audit event
    stale = client.post(page, data=form)  # the same version again: refused, nothing written
    assert stale.status_code == 422


def test_an_issued_document_cannot_be_changed_through_any_route(app, client, world):
    """Every POST route of documents, and the case's fire route with every trigger, on an issued document."""
    a = world["a"]
    with app.app_context():
        before = db.session.get(DocumentDetail, a)
        sha, data, path = before.pdf_sha256, dict(before.data), stored(before)
        pdf = path.read_bytes()
        triggers = [t.trigger for t in engine.get_registry().get("document_issuance").transitions]
    for username in ("vanthu", "lanhdao", "admin"):
        login(client, username)
        token = csrf_token(client, f"/cases/{a}")
        for trigger in triggers:
            if trigger in ("seal", "dispatch", "file"):
                continue  # moving an issued document on (not changing it) is the workflow itself
            response = client.post(f"/cases/{a}/fire/{trigger}", data={
                f"{trigger}-csrf_token": token, f"{trigger}-draft": json.dumps({"summary": "sửa"}),
                f"{trigger}-comment": "sửa"})
            assert response.status_code in (403, 404, 409, 422), (trigger, response.status_code)
        edit = client.post(f"/documents/{a}/edit", data={"csrf_token": token, "summary": "Sửa văn bản đã ban hành"})
        assert edit.status_code in (403, 404, 409, 422)
        api = client.post(f"/api/cases/{a}/fire", json={"trigger": "edit_draft", "data": {"draft": "{}"}})
        assert api.status_code in (403, 404, 409, 422)
        logout(client)
    login(client, "vanthu")
    token = csrf_token(client, f"/cases/{a}")
    for trigger in ("seal", "dispatch", "file"):  # the remaining steps still leave the PDF alone
        assert client.post(f"/cases/{a}/fire/{trigger}", data={f"{trigger}-csrf_token": token}).status_code == 302
    with app.app_context():
        after = db.session.get(DocumentDetail, a)
        assert after.pdf_sha256 == sha and after.data == data and path.read_bytes() == pdf
        assert db.session.get(Case, a).state == "filed"


def test_replacement_shown_both_ways(app, client, world):
    login(client, "vanthu")
    token = csrf_token(client, f"/documents/new?replaces={world['a']}&relation=replaces")
    response = client.post("/documents/new", data={
        "csrf_token": token, "type_key": "quyet_dinh", "unit_id": str(_province(app)),
        "summary": "Thay thế quyết định 01", "urgency": "normal", "replaces_id": str(world["a"]),
        "relation": "replaces"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        new_id = db.session.scalar(select(DocumentDetail.case_id).where(DocumentDetail.replaces_id == world["a"]))
    old_page = client.get(f"/cases/{world['a']}").get_data(as_text=True).lower()
    new_page = client.get(f"/cases/{new_id}").get_data(as_text=True).lower()
    assert "bị thay thế bởi" in old_page and "01/qđ-lđlđ" in new_page and "thay thế" in new_page


def _province(app):
    with app.app_context():
        from caseflow.core.models import Unit

        return db.session.scalar(select(Unit.id).where(Unit.code == "LĐLĐ-BĐ"))


def test_register_filters_search_and_xlsx(app, client, world):
    login(client, "vanthu")
    page = client.get("/documents/register").get_data(as_text=True)
    # one register for every type of the unit: the notice issued second is 02
    assert "01/QĐ-LĐLĐ" in page and "02/TB-LĐLĐ" in page
    only_tb = client.get("/documents/register?type=thong_bao").get_data(as_text=True)
    assert "02/TB-LĐLĐ" in only_tb and "QĐ-LĐLĐ" not in only_tb
    folded = client.get("/documents/register?q=kien+toan").get_data(as_text=True)  # diacritics optional
    assert "01/QĐ-LĐLĐ" in folded
    year = local_today().year
    assert "01/QĐ-LĐLĐ" not in client.get(f"/documents/register?year={year - 5}").get_data(as_text=True)
    assert client.get("/documents/register?secret=1").get_data(as_text=True).count('class="register-row"') == 1
    xlsx = client.get(f"/documents/register.xlsx?year={year}")
    book = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    symbols = {r[1] for r in rows[1:]}
    assert {"01/QĐ-LĐLĐ", "02/TB-LĐLĐ"} <= symbols and len(rows) == 4  # header + 2 open + 1 secret
    logout(client)
    login(client, "tuvan1")  # a legal officer: the secret document is not in the register
    body = client.get("/documents/register").get_data(as_text=True)
    assert body.count('class="register-row"') == 2
    assert client.get(f"/cases/{world['secret']}").status_code == 404
    assert client.get(f"/documents/{world['secret']}/pdf").status_code == 404
    xlsx = client.get("/documents/register.xlsx")
    assert len(list(load_workbook(io.BytesIO(xlsx.data), read_only=True).worksheets[0].iter_rows())) == 3


def test_new_document_form_and_bad_input(app, client, world):
    login(client, "vanthu")
    token = csrf_token(client, "/documents/new")
    bad = client.post("/documents/new", data={"csrf_token": token, "type_key": "", "unit_id": str(_province(app)),
                                              "summary": ""})
    assert bad.status_code == 422
    form = {"csrf_token": token, "type_key": "cong_van", "unit_id": str(_province(app)), "summary": "V/v báo cáo",
            "urgency": "normal", "source_case_id": str(world["legal"])}
    # need to know: the clerk may not draft on a legal-aid file he does not see (the case does not exist for him)
    assert client.post("/documents/new", data=form).status_code == 422
    ok = client.post("/documents/new", data={**form, "source_case_id": ""})
    assert ok.status_code == 302
    logout(client)
    login(client, "tochuc")  # an organiser drafts no documents
    assert client.get("/documents/new").status_code == 403


def test_signing_powers_admin(app, client, world, org):
    login(client, "lanhdao")
    assert client.get("/documents/powers").status_code == 403
    logout(client)
    login(client, "admin")
    token = csrf_token(client, "/documents/powers")
    response = client.post("/documents/powers", data={
        "csrf_token": token, "user_id": str(org["users"]["kiemtra2"]), "unit_id": str(_province(app)),
        "issuer_code": "UBKT", "type_key": "", "authority": "KT.", "on_behalf_of": "CHỦ NHIỆM",
        "title": "PHÓ CHỦ NHIỆM", "valid_from": "2026-01-01"})
    assert response.status_code == 302
    with app.app_context():
        power = db.session.scalar(select(SigningPower).where(SigningPower.user_id == org["users"]["kiemtra2"]))
        assert power.authority == "KT." and power.valid_to_date is None
    assert client.post(f"/documents/powers/{power.id}/end", data={"csrf_token": token}).status_code == 302
    bad = client.post("/documents/powers", data={"csrf_token": token, "user_id": "", "unit_id": str(_province(app)),
                                                  "authority": "XX", "title": "", "valid_from": "nope"})
    assert bad.status_code == 422


def test_cli_render_drafts_and_batch(app, runner, world, tmp_path):
    result = runner.invoke(args=["documents", "render", "--drafts", "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "rendered" in result.output
    with app.app_context():
        case = db.session.get(Case, world["draft"])
        assert (Path(app.config["STORAGE_DIR"]) / f"drafts/{case.id}/v{case.version}.pdf").is_file()
    out = tmp_path / "batch"
    result = runner.invoke(args=["documents", "render", "--date", local_today().isoformat(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.pdf"))) >= 4
    for args in (["--date", "2026-13-01"], ["--type", "no_such_type"], []):
        bad = runner.invoke(args=["documents", "render", *args])
        assert bad.exit_code != 0 and bad.output.count("\n") <= 2, bad.output


def test_issued_pdf_unchanged_by_draft_rerender(app, runner, world):
    with app.app_context():
        detail = db.session.get(DocumentDetail, world["a"])
        before = stored(detail).read_bytes()
    runner.invoke(args=["documents", "render", "--drafts"])
    runner.invoke(args=["documents", "render", "--type", "quyet_dinh"])
    with app.app_context():
        assert stored(db.session.get(DocumentDetail, world["a"])).read_bytes() == before

