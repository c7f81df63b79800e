"""The denouncer's identity (Luật Tố cáo 2018, Arts. 9(1)(b), 47(2), 56; DOMAIN.md section 4).

The identity canary: denunciations carry recognisable identities (names in NFC and NFD, phone, ID number,
address, a handwriting scan); every route of the app is crawled as every role; logs, exports and PDFs are
read back; the database's case-file tables are scanned. The canaries may appear only to the handler holding
a grant, on the page that reveals them. A new route fails this test until CRAWL says how to crawl it."""
from __future__ import annotations

import io
import logging
import re
import unicodedata

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, text

from caseflow.core import engine
from caseflow.core.models import Attachment, Case, RoleAssignment, Unit, User
from caseflow.core.text import fold
from caseflow.deadlines.models import Notification
from caseflow.documents.models import DocumentDetail, SigningPower
from caseflow.extensions import db
from caseflow.inspection import demo
from caseflow.inspection.models import IdentityAccessLog, IdentityGrant, LetterDetail, ProtectedScan
from caseflow.jobs.models import OutboxMessage
from caseflow.union.models import Member, UnitOfficer
from tests.conftest import csrf_token, login
from tests.factories import open_legal_aid, unit, users_by_name


def NFD(s: str) -> str:
    return unicodedata.normalize("NFD", s)


CANARY_A = {"full_name": "Trịnh Thị Xuyến Canary", "address": "Số 77 hẻm Chim Hoàng Yến, phường Ghềnh Ráng",
            "phone": "0909123987", "id_number": "052199887766"}
CANARY_B = {"full_name": "Lương Văn Đẩu Vàngoanh", "address": "Thôn Kỳ Lân Tuyết, xã Nhơn Lý",
            "phone": "0977000314", "id_number": "052088001122"}
#: a denouncer who wrote through the public portal (issue 13): nobody holds a grant on that case
CANARY_C = {"full_name": "Hoàng Thị Khướu Mào", "address": "Số 9 ngõ Sáo Sậu, phường Nhơn Bình",
            "phone": "0388765123", "id_number": "052177665544"}
SCAN_BYTES = "bút tích: Trịnh Thị Xuyến Canary 0909123987".encode()
#: tables that hold the identity by design (apart from the case file)
IDENTITY_TABLES = {"protected_identities", "protected_scans"}
#: one user per role, plus the grant holder (kiemtra), a conflicted inspector and a user of another unit
ROLES_USERS = ["admin", "lanhdao", "tuvan1", "kiemtra", "kiemtra3", "vanthu", "quynhon"]

#: how each endpoint is crawled: the parameters it takes are filled with every real id
CRAWL = {
    "static": "GET", "auth.login": "GET POST", "auth.logout": "POST last", "auth.logout_everywhere": "POST last",
    "auth.set_language": "POST", "home.index": "GET",
    "cases.list_cases": "GET", "cases.show_case": "GET", "cases.fire_trigger": "POST",
    "legal_aid.new_case": "GET POST",
    "inspection.desk": "GET POST", "inspection.classify_letter": "POST", "inspection.board": "GET",
    "inspection.stats": "GET", "inspection.stats_csv": "GET", "inspection.identity_page": "GET",
    "inspection.reveal_identity": "POST", "inspection.grant_identity": "POST", "inspection.revoke_identity": "POST",
    "inspection.identity_scan": "GET",
    "api.get_case": "GET", "api.fire": "POST",
    "admin.list_users": "GET", "admin.create_user": "POST", "admin.disable_user": "POST",
    "admin.enable_user": "POST", "admin.reset_password": "POST", "admin.show_user": "GET", "admin.grant_role": "POST",
    "admin.withdraw_role": "POST", "admin.unlock_user": "POST", "twofactor.verify": "GET POST",
    "twofactor.enrol": "GET POST",
    "deadlines.queue": "GET", "deadlines.mark_read": "POST", "deadlines.open_notice": "GET",
    "deadlines.calendar_admin": "GET POST",
    "deadlines.rules_admin": "GET POST",
    "reports.centre": "GET", "reports.conflict_links": "GET POST", "reports.dashboard": "GET",
    "reports.drilldown": "GET", "reports.export_breakdown": "GET", "reports.export_cases": "GET",
    "reports.export_centre": "GET", "reports.export_dashboard": "GET", "reports.export_drilldown": "GET",
    "reports.import_check": "POST", "reports.import_upload": "GET POST", "reports.targets": "GET POST",
    "org.tree": "GET", "org.new_unit": "POST", "org.show_unit": "GET", "org.change_unit": "POST",
    "org.close": "POST", "org.add_officer": "POST", "org.end_officer": "POST",
    "union.index": "GET", "union.new_case": "GET POST", "union.upload": "POST",
    "union.download": "GET", "union.settings": "GET POST", "union.rounds": "GET POST",
    "union.targets": "GET POST", "union.import_enterprises": "POST",
    "members.list_members": "GET", "members.show_member": "GET", "members.import_upload": "GET POST",
    "members.import_commit": "POST",
    "documents.index": "GET", "documents.register": "GET", "documents.export_register": "GET", "documents.new_document": "GET POST",
    "documents.edit_document": "GET POST", "documents.preview": "GET", "documents.download_pdf": "GET",
    "documents.powers": "GET POST", "documents.end_power": "POST",
    "handbook.index": "GET", "handbook.procedure": "GET", "handbook.diagram": "GET", "handbook.draft_handbook": "POST",
    "portal.home": "GET", "portal.privacy": "GET", "portal.legal_help": "GET POST", "portal.letter": "GET POST",
    "portal.receipt": "GET", "portal.receipt_pdf": "POST", "portal.lookup": "GET POST", "portal.matter": "GET",
    "portal.post_message": "POST", "portal.document_pdf": "GET", "portal.leave": "POST last",
    "portal_staff.answer": "POST",
    "health.healthz": "GET", "health.readyz": "GET",
    "jobs.outbox_page": "GET", "jobs.retry_message": "POST",
    "background.list_jobs": "GET", "background.show_job": "GET", "background.job_status": "GET",
    "background.download_result": "GET", "background.cancel_job": "POST", "background.retry_job": "POST",
    "documents.render_batch_job": "POST",
}
#: the sender of the portal matter, holding its code, crawls the portal's own pages too
SENDER = "sender"
#: POSTs sent without their CSRF token (refused with 400): they would change users, not cases
NO_TOKEN = {"admin.disable_user", "admin.enable_user", "admin.reset_password", "admin.grant_role", "admin.unlock_user",
            "admin.withdraw_role", "org.new_unit", "org.change_unit",
            "org.close", "org.add_officer", "org.end_officer", "documents.end_power"}
#: endpoints also asked for JSON (error bodies of JSON clients)
JSON_TOO = {"cases.show_case", "cases.list_cases", "inspection.identity_page", "inspection.identity_scan",
            "api.get_case"}
#: extra query strings, to look where search, filters and periods lead
#: (searches use parts of the canaries, so that the page echoing the query is not itself a leak)
QUERIES = {"cases.list_cases": ["", "?q=xuyen", "?q=Vàngoanh", "?q=052199", "?kind=denunciation&overdue=1"],
           "documents.register": ["", "?q=xuyen", "?q=Vàngoanh", "?secret=1"],
           "documents.export_register": ["", "?q=xuyen"],
           "inspection.board": ["?kind=letter", "?kind=complaint", "?kind=denunciation"],
           "inspection.stats": ["", "?by=month"], "inspection.stats_csv": ["", "?by=month"],
           "handbook.diagram": ["?format=svg", "?format=pdf"],
           "members.list_members": ["", "?q=xuyen", "?q=052199"]}


def markers(person: dict) -> tuple[list[str], list[str]]:
    """(raw strings, folded strings) that reveal a person: NFC and NFD, with and without diacritics."""
    raw = []
    for key in ("full_name", "address"):
        raw += [unicodedata.normalize("NFC", person[key]), NFD(person[key])]
    raw += [person["phone"], person["id_number"]]
    folded = [fold(person["full_name"]), fold(person["address"])]
    return raw, folded


CANARIES = [markers(CANARY_A), markers(CANARY_B), markers(CANARY_C)]


def leaked(body: str) -> bool:
    folded = fold(body)
    return any(m in body for raw, _f in CANARIES for m in raw) or any(m in folded for _r, fo in CANARIES for m in fo)


def readable(response) -> str:
    """The text of a response, PDFs and spreadsheets included."""
    data, kind = response.get_data(), (response.mimetype or "")
    if kind == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if "spreadsheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    return data.decode("utf-8", errors="replace")


@pytest.fixture
def canary_world(app, client, org, caplog):
    """Demo inspection data plus two canary denunciations; kiemtra holds a grant on the first only.
    Their creation runs with SQL logging on: the logs are read back too."""
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    with app.app_context():
        u = users_by_name(org)
        demo.seed_inspection(db.session, {"province": unit(org)}, u)
        open_legal_aid(org)
    # canary A arrives at the desk, typed in NFD, with a scan of the handwriting
    login(client, "vanthu")
    form = {"csrf_token": csrf_token(client, "/inspection/desk"), "subject": "Đơn tố cáo về kinh phí công đoàn",
            "received_date": "2026-11-20", "channel": "post", "letter_date": "2026-11-18", "signed": "y",
            "unit_id": str(org["units"]["province"]), "sender_name": NFD(CANARY_A["full_name"]),
            "sender_address": NFD(CANARY_A["address"]), "sender_phone": CANARY_A["phone"],
            "sender_id_number": CANARY_A["id_number"], "content": demo.CONTENTS["denunciation"] + " Lần 2.",
            "scan": (io.BytesIO(SCAN_BYTES), "don-to-cao.png")}
    response = client.post("/inspection/desk", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    with app.app_context():
        u = users_by_name(org)
        letter = db.session.scalars(select(Case).where(Case.kind == "letter").order_by(Case.id.desc())).first()
        demo.walk(db.session, letter, "letter_intake", demo.LETTER_PATHS["denunciation"], u, "denunciation")
        case_a = demo.handling_case(db.session, letter)
        demo.walk(db.session, case_a, "denunciation", demo.DENUNCIATION_PATHS["resolved"][:7], u, "resolved")
        # canary B: a denunciation registered directly
        case_b = engine.open_case(db.session, "denunciation", unit(org), u["vanthu"], {
            "accused": demo.ACCUSED, "violation": "Tố cáo thu đoàn phí sai quy định tại phân xưởng 3.",
            "denouncer_name": CANARY_B["full_name"], "denouncer_address": CANARY_B["address"],
            "denouncer_phone": CANARY_B["phone"], "denouncer_id_number": CANARY_B["id_number"]},
            title="Tố cáo thu đoàn phí", received_date=case_a.received_date)
        engine.fire(case_b, "accept", u["lanhdao"])
        engine.fire(case_b, "declare_conflict", u["lanhdao"], {"conflicted_user_id": u["kiemtra3"].id},
                    comment="Có quan hệ họ hàng với người bị tố cáo.")
        ids = {"letter_a": letter.id, "a": case_a.id, "b": case_b.id}
    # canary C writes through the public portal (typed in NFD), then adds a message; the desk accepts the
    # letter as a denunciation and its handler answers on the case page
    from tests.portal_helpers import DENUNCIATION, open_matter, send
    from tests.portal_helpers import receipt_code as shown_code
    from tests.portal_helpers import token as page_token

    person = app.test_client()
    response = send(person, "/cong-khai/gui-don", {**DENUNCIATION, "full_name": NFD(CANARY_C["full_name"]),
                                                   "address": NFD(CANARY_C["address"]), "phone": CANARY_C["phone"],
                                                   "id_number": CANARY_C["id_number"]})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    code = shown_code(person)
    html = person.get("/cong-khai/ho-so").get_data(as_text=True)
    person.post("/cong-khai/ho-so/tin-nhan", data={"csrf_token": page_token(html),
                                                   "body": "Tôi có thêm bảng kê thu đoàn phí tháng 10."})
    with app.app_context():
        u = users_by_name(org)
        portal_letter = db.session.scalars(select(Case).where(Case.kind == "letter").order_by(Case.id.desc())).first()
        demo.walk(db.session, portal_letter, "letter_intake", demo.LETTER_PATHS["denunciation"], u, "denunciation")
        ids.update(portal_letter=portal_letter.id, c=demo.handling_case(db.session, portal_letter).id, code=code)
    login(client, "kiemtra")
    response = client.post(f"/cases/{ids['c']}/portal/answer", data={
        "csrf_token": csrf_token(client, f"/cases/{ids['c']}"), "body": "Đã thụ lý, sẽ xác minh trong 30 ngày."})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    assert open_matter(person, code).status_code == 302
    assert "Đã thụ lý, sẽ xác minh" in person.get("/cong-khai/ho-so").get_data(as_text=True)
    # the grant, given through the web by the leader, with a reason
    login(client, "lanhdao")
    page = f"/inspection/cases/{ids['a']}/identity"
    response = client.post(f"{page}/grant", data={"csrf_token": csrf_token(client, page),
                                                  "user_id": str(org["users"]["kiemtra"]),
                                                  "reason": "Tổ trưởng Tổ xác minh cần liên hệ người tố cáo."})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    return ids


def _export_jobs(app) -> list[int]:
    """One finished case-list export job per crawling user (a job's result is read with its owner's need to
    know: the grant holder's included, whose export must not carry the identity either)."""
    from caseflow.jobs import start_job
    from caseflow.jobs.models import BackgroundJob

    with app.test_request_context():
        for username in ROLES_USERS:
            owner = db.session.scalar(select(User).where(User.username == username))
            if owner is not None:
                start_job(db.session, "export", owner, {"exporter": "cases", "args": {}, "fmt": "csv"})
        ids = db.session.scalars(select(BackgroundJob.id)).all()
        db.session.remove()
    return ids


def _values(app) -> dict[str, list]:
    jobs = _export_jobs(app)
    with app.app_context():
        return {
            "job_id": jobs,
            "case_id": db.session.scalars(select(Case.id).order_by(Case.id)).all(),
            "grant_id": db.session.scalars(select(IdentityGrant.id)).all(),
            "scan_id": db.session.scalars(select(ProtectedScan.id)).all(),
            "triggers": {c.id: [t.trigger for t in engine.get_registry().get(c.workflow, c.workflow_version)
                                .transitions_from(c.state)][:1] + ["no_such_action"]
                         for c in db.session.scalars(select(Case))},
            "letters": db.session.scalars(select(LetterDetail.case_id)).all(),
            "user_id": db.session.scalars(select(User.id)).all(),
            "unit_id": db.session.scalars(select(Unit.id)).all(),
            "officer_id": db.session.scalars(select(UnitOfficer.id)).all() or [1],
            "attachment_id": db.session.scalars(select(Attachment.id)).all() or [1],
            "power_id": db.session.scalars(select(SigningPower.id)).all() or [1],
            "assignment_id": db.session.scalars(select(RoleAssignment.id)).all()[:3],
            "workflow": sorted({d.name for d in engine.get_registry()}),
            "document_id": db.session.scalars(select(DocumentDetail.case_id)).all() or [1],
            "notice_id": db.session.scalars(select(Notification.id)).all() or [1],
            "message_id": db.session.scalars(select(OutboxMessage.id)).all() or [1],
            "member_id": db.session.scalars(select(Member.id)).all() or [1],
        }


def _urls(app, rule, values) -> list[str]:
    """Every URL of the rule with its parameters filled by real ids."""
    combos = [{}]
    for arg in sorted(rule.arguments - set(rule.defaults or {})):
        options = {"case_id": values["case_id"], "user_id": values["user_id"], "grant_id": values["grant_id"] or [1],
                   "scan_id": values["scan_id"] or [1], "code": ["vi"], "filename": ["caseflow.css"],
                   "fmt": ["csv", "xlsx"], "dimension": ["unit", "need"], "token": ["no-such-token"],
                   "trigger": [None], "unit_id": values["unit_id"], "officer_id": values["officer_id"],
                   "attachment_id": values["attachment_id"], "workflow": values["workflow"],
                   "power_id": values["power_id"], "assignment_id": values["assignment_id"],
                   "document_id": values["document_id"], "notice_id": values["notice_id"],
                   "message_id": values["message_id"], "member_id": values["member_id"],
                   "job_id": values["job_id"]}.get(arg)
        assert options is not None, f"{rule.endpoint}: no values for <{arg}>: teach the crawler"
        combos = [{**c, arg: o} for c in combos for o in options]
    urls = []
    with app.test_request_context():
        from flask import url_for

        for combo in combos:
            if "trigger" in combo:
                for trigger in values["triggers"][combo["case_id"]]:
                    urls.append(url_for(rule.endpoint, **{**combo, "trigger": trigger}))
            else:
                urls.append(url_for(rule.endpoint, **combo))
    if rule.endpoint == "inspection.classify_letter":
        urls = [u for u in urls if int(re.search(r"/desk/(\d+)/", u).group(1)) in values["letters"]]
    return [u + q for u in urls for q in QUERIES.get(rule.endpoint, [""])]


def _post_data(token: str, endpoint: str, url: str) -> dict:
    data = {"csrf_token": token}
    if endpoint == "cases.fire_trigger":
        trigger = url.rsplit("/", 1)[1]
        data = {f"{trigger}-csrf_token": token, f"{trigger}-expected_version": "999999"}  # stale: refused
    elif endpoint == "inspection.classify_letter":
        case_id = re.search(r"/desk/(\d+)/", url).group(1)
        data = {f"c{case_id}-csrf_token": token, f"c{case_id}-content_type": ""}
    elif endpoint == "auth.login":
        data.update(username="kiemtra", password="wrong")
    return data


def _token(client) -> str:
    """The session's CSRF token, logged in or not."""
    for path in ("/cases/", "/login"):
        response = client.get(path)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', response.get_data(as_text=True))
        if match:
            return match.group(1)
    return ""


@pytest.mark.slow
def test_identity_canary_every_route_every_role(app, client, org, canary_world, caplog):
    caplog.set_level(logging.DEBUG)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    uncrawled = sorted(endpoints - set(CRAWL))
    assert not uncrawled, f"routes not crawled by the identity canary (add them to CRAWL): {uncrawled}"
    values = _values(app)
    rules = sorted(app.url_map.iter_rules(), key=lambda r: ("last" in CRAWL[r.endpoint], r.endpoint, r.rule))
    seen, requests, counts = [], 0, {}
    for username in [None, SENDER] + ROLES_USERS:
        if username == SENDER:
            from tests.portal_helpers import open_matter

            assert open_matter(client, canary_world["code"]).status_code == 302
        elif username:
            login(client, username)
        token = _token(client)
        # SQL logged (its values hidden) while the grant holder crawls: the costliest user to log
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO if username == "kiemtra" else logging.WARNING)
        for rule in rules:
            methods = [m for m in ("GET", "POST") if m in rule.methods and m in CRAWL[rule.endpoint]]
            urls = _urls(app, rule, values)
            if username == SENDER and not rule.endpoint.startswith("portal."):
                continue  # the sender with the code: the portal's pages (the staff pages are the anonymous ones)
            for url in urls if username else urls[:1]:  # anonymous: every route once (all lead to the login)
                for method in methods:
                    json_too = method == "GET" and rule.endpoint in JSON_TOO
                    for accept in (("text/html", "application/json") if json_too else ("text/html",)):
                        if method == "GET":
                            response = client.get(url, headers={"Accept": accept})
                        elif rule.endpoint == "api.fire":
                            response = client.post(url, json={"trigger": "no_such_action", "data": {},
                                                              "expected_version": 999999})
                        else:
                            data = _post_data(token, rule.endpoint, url)
                            response = client.post(url, data={} if rule.endpoint in NO_TOKEN else data)
                        requests += 1
                        counts[rule.endpoint] = counts.get(rule.endpoint, 0) + 1
                        assert response.status_code < 500, (username, url, response.get_data(as_text=True)[-1500:])
                        if leaked(readable(response)):
                            seen.append((username or "", rule.endpoint, url))
        client.delete_cookie("session")
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    a = canary_world["a"]
    with app.app_context():
        scan_id = db.session.scalar(select(ProtectedScan.id).where(ProtectedScan.case_id == a))
    # only the holder of the grant, on the page that reveals it (and the scan), on that one case
    assert sorted(set(seen)) == sorted([
        ("kiemtra", "inspection.reveal_identity", f"/inspection/cases/{a}/identity/reveal"),
        ("kiemtra", "inspection.identity_scan", f"/inspection/cases/{a}/identity/scans/{scan_id}"),
    ]), seen
    assert requests > 500, requests
    print(requests, counts)
    logs = caplog.get_records("setup") + caplog.get_records("call")
    assert not any(leaked(r.getMessage()) for r in logs), "the logs reveal an identity"
    # the request log (caseflow.ops.logs): a line for every request crawled, none revealing an identity in
    # either format, though the crawl searched for parts of the names and the grant holder revealed one
    from caseflow.ops.logs import LineFormatter

    request_log = [r for r in logs if r.name == "caseflow.request"]
    assert len(request_log) >= requests, (len(request_log), requests)
    assert {"inspection.reveal_identity", "inspection.identity_scan"} <= {r.fields["endpoint"] for r in request_log}
    as_json = LineFormatter(json_lines=True)
    assert not any(leaked(as_json.format(r)) for r in request_log), "the request log reveals an identity"
    assert any("hidden due to hide_parameters" in r.getMessage() for r in logs)  # SQL logged without values
    # every view and the grant are in the access log, with who and why
    with app.app_context():
        log = db.session.execute(select(IdentityAccessLog.action, IdentityAccessLog.actor_id, IdentityAccessLog.reason)
                                 .where(IdentityAccessLog.case_id == a)).all()
        assert ("grant", org["users"]["lanhdao"]) in [(x, y) for x, y, _r in log]
        assert {x for x, y, _r in log if y == org["users"]["kiemtra"]} == {"view", "view_scan"}
        assert all(r for _x, _y, r in log)


def test_case_file_tables_never_hold_the_identity(app, canary_world):
    """Scan every column of every table but the identity's own: titles, search text, audit payloads,
    comments, parties, details."""
    with app.app_context():
        names = sa_inspect(db.engine).get_table_names()
        for table in sorted(set(names) - IDENTITY_TABLES - {"alembic_version"}):
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                blob = " ".join(str(v) for v in row if not isinstance(v, (bytes, memoryview)))
                assert not leaked(blob), f"{table} holds an identity: {blob[:300]}"


def test_grant_is_needed_and_can_be_revoked(app, client, org, canary_world):
    a = canary_world["a"]
    page = f"/inspection/cases/{a}/identity"
    login(client, "kiemtra2")  # an inspector of the unit, without a grant
    assert client.post(f"{page}/reveal", data={"csrf_token": csrf_token(client, page)}).status_code == 403
    assert client.post(f"{page}/grant", data={"csrf_token": csrf_token(client, page), "user_id": "1",
                                              "reason": "x"}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    login(client, "kiemtra")
    body = client.post(f"{page}/reveal", data={"csrf_token": csrf_token(client, page)}).get_data(as_text=True)
    assert CANARY_A["full_name"] in body and CANARY_A["id_number"] in body
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    login(client, "lanhdao")
    with app.app_context():
        grant_id = db.session.scalar(select(IdentityGrant.id).where(IdentityGrant.case_id == a))
    no_reason = client.post(f"{page}/grants/{grant_id}/revoke", data={"csrf_token": csrf_token(client, page)})
    assert no_reason.status_code == 422
    assert client.post(f"{page}/grants/{grant_id}/revoke", data={
        "csrf_token": csrf_token(client, page), "reason": "Đã kết thúc xác minh."}).status_code == 302
    log = client.get(page).get_data(as_text=True)
    assert "Đã kết thúc xác minh." in log and "Tổ trưởng Tổ xác minh cần liên hệ" in log
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    login(client, "kiemtra")
    assert client.post(f"{page}/reveal", data={"csrf_token": csrf_token(client, page)}).status_code == 403


def test_a_conflicted_user_can_neither_see_nor_act(app, client, org, canary_world):
    b = canary_world["b"]
    login(client, "kiemtra3")
    assert client.get(f"/cases/{b}").status_code == 404
    assert client.get(f"/inspection/cases/{b}/identity").status_code == 404
    with app.app_context():
        code = db.session.get(Case, b).code
    link = f">{code}</a>"  # as a listed case (the search box echoes the query itself)
    assert link not in client.get("/cases/?kind=denunciation").get_data(as_text=True)
    assert link not in client.get(f"/cases/?q={code}").get_data(as_text=True)
    assert link not in client.get("/inspection/board?kind=denunciation").get_data(as_text=True)
    token = csrf_token(client, "/cases/")
    response = client.post(f"/cases/{b}/fire/notify_acceptance", data={"notify_acceptance-csrf_token": token})
    assert response.status_code == 404
    with app.app_context():
        case, u = db.session.get(Case, b), users_by_name(org)
        with pytest.raises(engine.NotPermitted):
            engine.fire(case, "notify_acceptance", u["kiemtra3"])
        assert case.state == "accepted"
    # the others still see it
    client.post("/logout", data={"csrf_token": token})
    login(client, "kiemtra2")
    assert client.get(f"/cases/{b}").status_code == 200
    assert link in client.get("/inspection/board?kind=denunciation").get_data(as_text=True)
