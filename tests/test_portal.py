"""The public portal (issue 13): requests and letters opened through the engine, the tracking code (shown once,
kept as a slow hash, the same answer for every wrong code, rate-limited), bad input on every form, the
thread with the handler, the staff side."""
from __future__ import annotations

import io
import random
import re
import unicodedata
from datetime import date

import pytest
from sqlalchemy import select

from caseflow.core.models import Attachment, Case, CaseEvent, Party, User
from caseflow.deadlines.models import Notification
from caseflow.extensions import db
from caseflow.inspection.models import LetterDetail, ProtectedIdentity, ProtectedScan
from caseflow.portal import codes
from caseflow.portal.models import PortalMessage, PortalSubmission
from tests.conftest import csrf_token, login
from tests.portal_helpers import DENUNCIATION, LEGAL_HELP, open_matter, send, submit, token

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app_config():
    # a cheap scrypt for tests (the shipped cost is measured by bench/portal.py); the look-up limit as shipped
    return {"PORTAL_HASH_METHOD": "scrypt:1024:8:1", "PORTAL_LOOKUP_LIMIT": "50 per hour"}


def _latest(kind: str) -> Case:
    return db.session.scalars(select(Case).where(Case.kind == kind).order_by(Case.id.desc())).first()


def test_legal_help_opens_an_intake_case_through_the_engine(app, client, org):
    code = submit(client, files={"files": [(io.BytesIO(PDF), "Hợp đồng lao động.pdf")]})
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    with app.app_context():
        case = _latest("legal_aid")
        assert case.state == "received" and case.legal_aid.channel == "portal"
        assert case.unit_id == org["units"]["province"]
        party = db.session.scalar(select(Party).where(Party.case_id == case.id))
        assert party.full_name == "Nguyễn Thị Lan" and party.is_union_member and party.phone == "0905 111 222"
        assert "Đề nghị: Được trả đủ tiền lương." in case.legal_aid.facts
        event = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
        assert event.trigger == "open" and db.session.get(User, event.actor_id).username == "cong-khai"
        attachment = db.session.scalar(select(Attachment).where(Attachment.case_id == case.id))
        assert attachment.filename == "Hợp đồng lao động.pdf" and attachment.content_type == "application/pdf"
        row = db.session.scalar(select(PortalSubmission).where(PortalSubmission.case_id == case.id))
        digits = code.replace(" ", "")
        # the code itself is nowhere: its look-up part in clear, the rest only as a slow hash
        assert row.lookup == digits[:6] and digits[6:] not in row.secret_hash
        assert row.secret_hash.startswith("scrypt:")
    # shown once: the receipt page does not show it again
    again = client.get("/cong-khai/bien-nhan", follow_redirects=True).get_data(as_text=True)
    assert code not in again
    client.delete_cookie("session")
    page = open_matter(client, code)
    assert page.status_code == 302
    body = client.get("/cong-khai/ho-so").get_data(as_text=True)
    assert "Đã nhận, đang chờ xem xét" in body and "Hợp đồng lao động.pdf" in body


def test_denunciation_goes_to_the_desk_with_the_identity_protected(app, client, org):
    code = submit(client, "letter", files={"files": [(io.BytesIO(PDF), "scan.pdf")]})
    with app.app_context():
        case = _latest("letter")
        letter = db.session.get(LetterDetail, case.id)
        assert case.unit_id == org["units"]["province"] and case.state == "received"
        assert letter.channel == "portal" and letter.content_type is None  # the desk classifies it
        identity = db.session.scalar(select(ProtectedIdentity).where(ProtectedIdentity.case_id == case.id))
        assert identity.full_name == "Trần Văn Bảo" and identity.phone == "0914555666"
        assert db.session.scalar(select(Party).where(Party.case_id == case.id)) is None
        assert "Trần Văn Bảo" not in case.title and "Bảo" not in (case.search_text or "")
        # a letter's file stays with the protected identity, not in the case file
        assert db.session.scalar(select(ProtectedScan).where(ProtectedScan.case_id == case.id)) is not None
        assert db.session.scalar(select(Attachment).where(Attachment.case_id == case.id)) is None
        assert db.session.scalar(select(PortalMessage.file_name).where(PortalMessage.case_id == case.id)) is None
        submission = db.session.scalar(select(PortalSubmission).where(PortalSubmission.case_id == case.id))
        assert submission.letter_type == "denunciation" and not submission.anonymous
    assert open_matter(client, code).status_code == 302


def test_denunciation_needs_name_and_address_unless_sent_anonymously(app, client, org):
    response = send(client, "/cong-khai/gui-don", {**DENUNCIATION, "full_name": "", "address": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "phải ghi họ tên" in body and "phải ghi địa chỉ" in body
    assert "Thu đoàn phí sai quy định" in body  # what was typed is kept
    # a complaint cannot be anonymous (its answer is a decision addressed to the complainant)
    response = send(client, "/cong-khai/gui-don", {**DENUNCIATION, "letter_type": "complaint", "anonymous": "y",
                                                    "full_name": "", "address": ""})
    assert response.status_code == 422 and "Khiếu nại không thể gửi ẩn danh" in response.get_data(as_text=True)
    code = submit(client, "letter", anonymous="y", full_name="", address="", phone="")
    with app.app_context():
        case = _latest("letter")
        assert db.session.scalar(select(ProtectedIdentity).where(ProtectedIdentity.case_id == case.id)) is None
        assert db.session.scalar(select(PortalSubmission.anonymous).where(PortalSubmission.case_id == case.id))
    open_matter(client, code)
    assert "Điều 25" in client.get("/cong-khai/ho-so").get_data(as_text=True)


def test_the_letter_text_may_not_name_the_sender(app, client, org):
    response = send(client, "/cong-khai/gui-don", {**DENUNCIATION, "content": "Tôi là Trần Văn Bảo, tố cáo chủ "
                                                                                "tịch CĐCS thu đoàn phí sai."})
    assert response.status_code == 422
    with app.app_context():
        assert _latest("letter") is None


def test_wrong_codes_get_one_answer_then_the_limit(app, client, org):
    real = submit(client).replace(" ", "")
    client.delete_cookie("session")
    html = client.get("/cong-khai/tra-cuu").get_data(as_text=True)
    tok = token(html)
    rng = random.Random(13)
    bodies, statuses = set(), set()
    guesses = [real[:6] + f"{rng.randrange(10**10):010d}"] + ["12ab", "", "1" * 40] + \
        [f"{rng.randrange(10**16):016d}" for _ in range(46)]
    for guess in guesses:  # 50 attempts: the real look-up part, malformed codes, random codes
        assert guess != real
        response = client.post("/cong-khai/tra-cuu", data={"csrf_token": tok, "code": guess})
        statuses.add(response.status_code)
        # the form's CSRF token is signed with the time: the only part that may differ
        bodies.add(re.sub(r'value="[^"]*"', 'value=""', response.get_data(as_text=True)))
    assert statuses == {422} and len(bodies) == 1
    assert "Không mở được hồ sơ nào với mã này" in bodies.pop()
    limited = client.post("/cong-khai/tra-cuu", data={"csrf_token": tok, "code": real})
    assert limited.status_code == 429  # even the right code waits now


def test_a_code_opens_its_own_matter_only(app, client, org):
    code_a = submit(client).replace(" ", "")
    code_b = submit(client, "letter").replace(" ", "")
    with app.app_context():
        secret = app.secret_key
        a = codes.find(db.session, code_a, secret, "scrypt:1024:8:1")
        b = codes.find(db.session, code_b, secret, "scrypt:1024:8:1")
        assert a.kind == "legal_aid" and b.kind == "letter" and a.id != b.id
        # one's look-up part with the other's secret digits opens neither
        assert codes.find(db.session, code_a[:6] + code_b[6:], secret, "scrypt:1024:8:1") is None
        assert codes.find(db.session, code_b[:6] + code_a[6:], secret, "scrypt:1024:8:1") is None
        # another instance's key (the pepper) opens nothing with the same database
        assert codes.find(db.session, code_a, "another-key", "scrypt:1024:8:1") is None
    client.delete_cookie("session")
    open_matter(client, code_b)
    assert "Đơn" in client.get("/cong-khai/ho-so").get_data(as_text=True)


LONG = "x" * 10001
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BAD_INPUTS = [
    ("empty", {"full_name": "", "facts": "", "wish": ""}, None, ["Vui lòng điền"]),
    ("over-long", {"facts": LONG, "full_name": "A" * 201}, None, ["Từ 10 đến 10.000 ký tự.", "Quá dài."]),
    ("wrong type", {"dispute_type": "not_a_choice", "breach_known_date": "ngày mai", "need": "x"}, None,
     ["Lựa chọn không hợp lệ"]),
    ("30 MB file", {}, ("big.pdf", b"%PDF-" + b"0" * (30 * 1024 * 1024)), ["lớn hơn 10 MB"]),
    ("SVG with script", {}, ("anh.svg", SVG), ["Chỉ gửi được tệp PDF, JPG, PNG hoặc DOCX."]),
    ("script named .png", {}, ("anh.png", SVG), ["không phải là tệp PNG"]),
    ("emoji", {"full_name": "Lan 😀"}, None, ["Họ tên chỉ gồm chữ cái"]),
]


@pytest.mark.parametrize("name,changes,upload,messages", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
@pytest.mark.parametrize("path", ["/cong-khai/yeu-cau-tu-van", "/cong-khai/gui-don"])
def test_bad_input_is_refused_with_a_message_and_kept(app, client, org, path, name, changes, upload, messages):
    base = LEGAL_HELP if "tu-van" in path else DENUNCIATION
    values = {**base, **changes}
    if "gui-don" in path:
        values = {k: v for k, v in {**base, **{("content" if k == "facts" else k): v for k, v in changes.items()
                                              if k in ("full_name", "facts")}}.items()}
        if name == "wrong type":
            values["letter_type"] = "gossip"
        if name == "empty":
            values.update(subject="", content="")
    files = {"files": [(io.BytesIO(upload[1]), upload[0])]} if upload else None
    response = send(client, path, values, files)
    body = response.get_data(as_text=True)
    assert response.status_code in (400, 422), body[-1500:]
    wanted = messages if "tu-van" in path or name not in ("wrong type",) else ["Lựa chọn không hợp lệ"]
    if "gui-don" in path and name == "over-long":
        wanted = ["Từ 10 đến 10.000 ký tự."]
    for message in wanted:
        assert message in body, (message, re.findall(r'invalid-feedback[^>]*>([^<]+)<', body))
    for key in ("employer_name", "subject"):  # what was typed is still there
        if values.get(key):
            assert values[key] in body
    with app.app_context():
        assert db.session.scalar(select(PortalSubmission.id)) is None


def test_a_name_typed_in_nfd_is_taken_and_stored_in_nfc(app, client, org):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Lan")
    assert nfd != "Nguyễn Thị Lan"
    submit(client, full_name=nfd)
    submit(client, "letter", full_name=unicodedata.normalize("NFD", "Trần Văn Bảo"))
    with app.app_context():
        assert db.session.scalar(select(Party.full_name)) == "Nguyễn Thị Lan"
        assert db.session.scalar(select(ProtectedIdentity.full_name)) == "Trần Văn Bảo"


def test_the_honeypot_drops_robots(app, client, org):
    response = send(client, "/cong-khai/yeu-cau-tu-van", {**LEGAL_HELP, "website": "http://spam.example"})
    assert response.status_code == 400 and "Không gửi được" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.id)) is None


def test_submissions_are_rate_limited_per_address(app, client, org):
    app.config["PORTAL_SUBMIT_LIMIT"] = "2 per hour"
    submit(client)
    submit(client)
    assert send(client, "/cong-khai/yeu-cau-tu-van", LEGAL_HELP).status_code == 429
    other = app.test_client()
    html = other.get("/cong-khai/yeu-cau-tu-van", environ_base={"REMOTE_ADDR": "10.0.0.9"}).get_data(as_text=True)
    response = other.post("/cong-khai/yeu-cau-tu-van", environ_base={"REMOTE_ADDR": "10.0.0.9"},
                          data={**LEGAL_HELP, "csrf_token": token(html), "unit_id": str(org["units"]["province"])})
    assert response.status_code == 302  # another address is not held back


def test_receipt_pdf_carries_the_code(app, client, org):
    from pypdf import PdfReader

    code = submit(client)
    html = client.get("/cong-khai/tra-cuu").get_data(as_text=True)
    response = client.post("/cong-khai/bien-nhan.pdf", data={"csrf_token": token(html), "code": code})
    assert response.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages)
    assert code in text and "BIÊN NHẬN" in text


def test_thread_staff_answer_is_audited_and_the_person_reads_it(app, client, org, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, msg):
            sent.append(("message", msg["To"], msg["Subject"], msg.get_content()))

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="smtp.test.invalid", MAIL_PORT=2525)
    with app.app_context():
        db.session.get(User, org["users"]["tuvan1"]).email = "tuvan1@ldld.test"
        db.session.commit()
    code = submit(client)
    open_matter(client, code)
    html = client.get("/cong-khai/ho-so").get_data(as_text=True)
    response = client.post("/cong-khai/ho-so/tin-nhan", data={
        "csrf_token": token(html), "body": "Tôi bổ sung bảng lương tháng 9.",
        "file": (io.BytesIO(PDF), "bang-luong.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        case = _latest("legal_aid")
        case_id = case.id
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                   .order_by(CaseEvent.seq.desc())).first()
        assert event.trigger == "portal_message" and "bảng lương" not in str(event.payload)
        notified = {n.user_id for n in db.session.scalars(select(Notification).where(Notification.case_id == case_id))}
        # the desk clerk registers legal aid but does not act in it (need to know): not notified
        assert org["users"]["tuvan1"] in notified and org["users"]["vanthu"] not in notified
        assert org["users"]["kiemtra"] not in notified
    mails = [m for m in sent if m[0] == "message"]
    assert any(m[1] == "tuvan1@ldld.test" for m in mails)
    assert all("bảng lương" not in m[3] and "Lan" not in m[3] and case.code in m[2] for m in mails)
    staff = app.test_client()
    login(staff, "tuvan1")
    queue = staff.get("/deadlines/").get_data(as_text=True)
    assert "tin nhắn mới" in queue
    page = staff.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Tôi bổ sung bảng lương tháng 9." in page and "bang-luong.pdf" in page
    version = re.search(r'name="expected_version" value="(\d+)"', page[page.index("portal-answer-form"):]).group(1)
    response = staff.post(f"/cases/{case_id}/portal/answer", data={
        "csrf_token": csrf_token(staff, f"/cases/{case_id}"), "body": "Mời chị đến Trung tâm sáng thứ Hai.",
        "expected_version": version})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                   .order_by(CaseEvent.seq.desc())).first()
        assert event.trigger == "portal_answer" and event.comment == "Mời chị đến Trung tâm sáng thứ Hai."
        assert event.actor_id == org["users"]["tuvan1"]
    # an empty answer, a stale version: refused, nothing written
    staff.post(f"/cases/{case_id}/portal/answer", data={"csrf_token": csrf_token(staff, f"/cases/{case_id}"),
                                                         "body": "Cũ.", "expected_version": version})
    with app.app_context():
        assert db.session.scalar(select(PortalMessage.id).where(PortalMessage.body == "Cũ.")) is None
    assert "Mời chị đến Trung tâm sáng thứ Hai." in client.get("/cong-khai/ho-so").get_data(as_text=True)
    # who does not act on legal aid (an inspector) may not answer
    inspector = app.test_client()
    login(inspector, "kiemtra")
    assert inspector.post(f"/cases/{case_id}/portal/answer", data={
        "csrf_token": csrf_token(inspector, "/cases/"), "body": "x"}).status_code in (403, 404)


def test_status_shows_public_labels_and_the_time_limits_owed(app, client, org):
    code = submit(client, "letter")
    open_matter(client, code)
    body = client.get("/cong-khai/ho-so").get_data(as_text=True)
    assert "Đã nhận, đang chờ xem xét" in body
    assert "Đã tiếp nhận, chờ phân loại" not in body  # the internal state's label never shows
    assert "Xử lý đơn" in body and "Thông tư 05/2021/TT-TTCP" in body


def test_a_message_needs_text_or_a_file(app, client, org):
    code = submit(client)
    open_matter(client, code)
    html = client.get("/cong-khai/ho-so").get_data(as_text=True)
    response = client.post("/cong-khai/ho-so/tin-nhan", data={"csrf_token": token(html), "body": "  "})
    assert response.status_code == 422 and "Hãy viết tin nhắn hoặc gửi kèm một tệp." in response.get_data(as_text=True)
    response = client.post("/cong-khai/ho-so/tin-nhan", data={"csrf_token": token(html), "body": "Xem ảnh 😀",
                                                              "file": (io.BytesIO(SVG), "a.svg")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Xem ảnh 😀" in response.get_data(as_text=True)
    client.delete_cookie("session")
    assert client.get("/cong-khai/ho-so").status_code == 302  # without the code: back to the look-up


def test_the_centre_and_the_kpi_page_count_matters_by_channel(app, client, org):
    from tests.factories import open_legal_aid

    submit(client)
    submit(client, member="non_member")
    with app.app_context():
        open_legal_aid(org, received=date.today(), channel="hotline")
        open_legal_aid(org, received=date.today(), channel="walk_in")
        from caseflow.core import engine
        from caseflow.core.models import Unit

        engine.import_case(db.session, "legal_aid", db.session.get(Unit, org["units"]["province"]),
                           db.session.get(User, org["users"]["tuvan1"]),
                           {"channel": "letter", "party_status": "member", "need": "consultation",
                            "dispute_type": "wages", "facts": "Nợ lương (sổ cũ)"}, state="received",
                           title="Sổ cũ", received_date=date.today())
        db.session.commit()
    staff = app.test_client()
    login(staff, "lanhdao")
    year = date.today().year
    for path in (f"/reports/legal-aid/centre?from={year}-01-01&to={year}-12-31", f"/reports/legal-aid?year={year}"):
        html = staff.get(path).get_data(as_text=True)
        table = html[html.index('id="by-channel"'):]
        counts = dict(re.findall(r'data-channel="(\w+)"><td>[^<]+</td><td class="text-end">(\d+)<', table))
        assert counts == {"portal": "2", "desk": "1", "phone": "1", "imported": "1"}, (path, counts)
