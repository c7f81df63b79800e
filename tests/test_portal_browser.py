"""The portal from a phone (360 px wide, Debian's chromium): a worker asks for legal help and sends a
denunciation, keeps the codes, comes back with one, reads the acceptance notice, writes; the handler answers
from the case page; the worker reads the answer. Nothing leaves 127.0.0.1, the console stays clean."""
import threading

import pyotp
import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Case
from caseflow.demo import build_tree, create_users, demo_totp_secret
from caseflow.documents.demo import issue_draft, seed_powers
from caseflow.documents.models import DocumentDetail
from caseflow.extensions import db
from caseflow.inspection import demo as inspection_demo
from tests.browser_helpers import DESKTOP, PHONE, browser_page

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"PORTAL_HASH_METHOD": "scrypt:4096:8:1"}


@pytest.fixture
def live(app):
    with app.app_context():
        units = build_tree(db.session)
        users = create_users(db.session, units)
        seed_powers(db.session, units, users, local_today().replace(month=1, day=1))
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def accept_and_notify(app) -> None:
    """The desk and the committee, as today: classify, assess, propose acceptance, accept, notify; the notice
    issued (signed, numbered, dispatched)."""
    with app.app_context():
        users = users_by_name_all()
        letter = db.session.scalars(select(Case).where(Case.kind == "letter")).one()
        inspection_demo.walk(db.session, letter, "letter_intake", inspection_demo.LETTER_PATHS["denunciation"],
                             users, "denunciation")
        case = inspection_demo.handling_case(db.session, letter)
        engine.fire(case, "accept", users["lanhdao"])
        engine.fire(case, "notify_acceptance", users["kiemtra"])
        draft = db.session.scalars(select(Case).join(DocumentDetail, DocumentDetail.case_id == Case.id).where(
            DocumentDetail.source_case_id == case.id, DocumentDetail.type_key == "thong_bao_thu_ly_to_cao")).one()
        issue_draft(db.session, draft, users, "lanhdao")
        db.session.remove()


def users_by_name_all():
    from caseflow.core.models import User

    return {u.username: u for u in db.session.scalars(select(User))}


def test_a_worker_on_a_phone_asks_writes_comes_back_and_reads_the_answer(app, live):
    base = live
    with browser_page(PHONE, is_mobile=True, has_touch=True) as page:
        # 1. legal help
        page.goto(f"{base}/cong-khai/")
        assert fits_the_screen(page)
        page.click("#go-legal-help")
        page.fill("#full_name", "Phan Thị Hồng Nhung")
        page.check("#member-0")
        page.fill("#employer_name", "Công ty TNHH Thủy sản Hải Vương")
        page.select_option("#dispute_type", "wages")
        page.check("#need-0")
        page.fill("#facts", "Công ty chậm trả lương hai tháng, không báo lý do.")
        page.click("#send-legal-help")  # the wish and the consent missing: refused, what was typed kept
        page.wait_for_load_state()
        assert page.locator("#wish ~ .invalid-feedback").inner_text() == "Vui lòng điền mục này."
        assert page.input_value("#full_name") == "Phan Thị Hồng Nhung"
        assert fits_the_screen(page)
        page.fill("#wish", "Được trả đủ lương.")
        page.check("#consent")
        page.click("#send-legal-help")
        page.wait_for_url(f"{base}/cong-khai/bien-nhan")
        legal_code = page.inner_text("#tracking-code")
        assert len(legal_code.replace(" ", "")) == 16
        assert fits_the_screen(page)
        # 2. a denunciation
        page.goto(f"{base}/cong-khai/gui-don")
        page.check("#letter_type-1")
        page.fill("#full_name", "Phan Thị Hồng Nhung")
        page.fill("#address", "Số 12 đường Trần Hưng Đạo, Quy Nhơn")
        page.fill("#subject", "Thu đoàn phí sai quy định")
        page.fill("#content", "Chủ tịch CĐCS công ty thu đoàn phí gấp đôi mức quy định từ tháng 3/2026.")
        page.check("#declaration")
        page.check("#consent")
        page.click("#send-letter")
        page.wait_for_url(f"{base}/cong-khai/bien-nhan")
        letter_code = page.inner_text("#tracking-code")
        assert letter_code != legal_code
        page.click("#go-matter")
        assert "Đã nhận, đang chờ xem xét" in page.inner_text("#public-status")
        page.click("#leave")

    accept_and_notify(app)

    with browser_page(PHONE, is_mobile=True, has_touch=True) as page:
        # 3. back with the code (a new browser: nothing kept but the code written down)
        page.goto(f"{base}/cong-khai/")
        page.fill("#code", "1234 5678 9012 3456")
        page.click("#lookup-submit")
        assert "Không mở được hồ sơ nào" in page.inner_text("#wrong-code")
        page.fill("#code", letter_code)
        page.click("#lookup-submit")
        page.wait_for_url(f"{base}/cong-khai/ho-so")
        assert page.inner_text("#public-status") == "Đã thụ lý, đang giải quyết"
        assert fits_the_screen(page)
        notice = page.locator("a.portal-document", has_text="Thông báo thụ lý tố cáo")
        with page.expect_response(lambda r: "/cong-khai/ho-so/van-ban/" in r.url) as pdf:
            page.evaluate("url => fetch(url)", notice.get_attribute("href"))
        assert pdf.value.headers["content-type"] == "application/pdf" and pdf.value.status == 200
        page.fill("#body", "Tôi có thêm bảng kê thu đoàn phí tháng 10, xin gửi kèm.")
        page.click("#send-message")
        page.wait_for_url(f"{base}/cong-khai/ho-so#thread")
        assert "bảng kê thu đoàn phí" in page.inner_text("#thread")
        assert page.outside_requests == [] and page.console_errors == []

    with browser_page(DESKTOP) as staff:
        # 4. the handler answers from the case page
        staff.goto(f"{base}/login")
        staff.fill("#username", "kiemtra")
        staff.fill("#password", "caseflow2026")
        staff.click("#login-submit")
        # an inspector's login needs the second factor (issue 17): the code of the demo user's key
        staff.wait_for_url(f"{base}/login/two-factor")
        staff.fill("#code", pyotp.TOTP(demo_totp_secret("kiemtra")).now())
        staff.click("#totp-submit")
        staff.wait_for_url(f"{base}/")
        with app.app_context():
            case_id = db.session.scalar(select(Case.id).where(Case.kind == "denunciation"))
        staff.goto(f"{base}/cases/{case_id}")
        assert "bảng kê thu đoàn phí" in staff.inner_text("#portal-thread")
        assert "Phan Thị Hồng Nhung" not in staff.content()
        staff.fill("#portal-answer", "Đã nhận bảng kê. Tổ xác minh sẽ liên hệ qua kênh này.")
        staff.click("#portal-answer-submit")
        staff.wait_for_url(f"{base}/cases/{case_id}#portal-thread")
        assert staff.locator("#timeline .event").first.get_attribute("data-trigger") == "portal_answer"
        assert staff.outside_requests == [] and staff.console_errors == []

    with browser_page(PHONE, is_mobile=True, has_touch=True) as page:
        # 5. the worker reads the answer
        page.goto(f"{base}/cong-khai/tra-cuu")
        page.fill("#code", letter_code)
        page.click("#lookup-submit")
        page.wait_for_url(f"{base}/cong-khai/ho-so")
        answer = page.locator("#thread .message.answer").last
        assert "Tổ xác minh sẽ liên hệ qua kênh này" in answer.inner_text()
        # and the legal-help request opens with its own code
        page.click("#leave")
        page.goto(f"{base}/cong-khai/tra-cuu")
        page.fill("#code", legal_code)
        page.click("#lookup-submit")
        page.wait_for_url(f"{base}/cong-khai/ho-so")
        assert "Yêu cầu tư vấn" in page.inner_text("main")
        assert page.outside_requests == [] and page.console_errors == []
