"""The real app in a real browser (Debian's chromium through Playwright): log in, act on a case, open one.

The app runs in a background thread on a free 127.0.0.1 port over a migrated database seeded through the
engine. Every request the page makes must stay on 127.0.0.1 (no CDN), and the console must stay clean."""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Unit, User
from caseflow.demo import seed_demo
from caseflow.extensions import db
from tests.browser_helpers import DESKTOP, browser_page, log_in

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/caseflow-case-page.png")


@pytest.fixture
def live_server(app):
    """(base URL, id of a fresh case in state `received`) with the app served from a thread."""
    with app.app_context():
        seed_demo(db.session, cases=12, seed=7)
        province = db.session.query(Unit).filter_by(code="LĐLĐ-BĐ").one()
        clerk = db.session.query(User).filter_by(username="vanthu").one()
        case = engine.open_case(
            db.session, "legal_aid", province, clerk,
            {"channel": "walk_in", "party_status": "member", "need": "litigation", "dispute_type": "termination",
             "employer_name": "Công ty TNHH Giày da An Nhơn",
             "facts": "Người lao động bị đơn phương chấm dứt hợp đồng lao động trái pháp luật sau 6 năm làm việc."},
            title="Đặng Thị Hạnh – Chấm dứt hợp đồng lao động", received_date=local_today(),
            parties=[{"role": "worker", "full_name": "Đặng Thị Hạnh", "is_union_member": True,
                      "phone": "0905123456", "id_number": "052012345678", "confidential": False}])
        case_id = case.id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", case_id
    server.shutdown()
    thread.join(5)


@pytest.fixture
def page():
    with browser_page(DESKTOP) as page:
        yield page


def test_log_in_open_a_case_fire_a_transition_and_see_it_on_the_timeline(live_server, page):
    base, case_id = live_server
    log_in(page, base, "tuvan1")
    assert page.inner_text("#home-h") == "Việc của tôi"  # signing in lands on the home page (issue 18)
    page.goto(f"{base}/cases/")
    assert page.locator("h1").first.inner_text().startswith("Vụ việc")
    assert page.locator("a.case-link").count() > 0

    page.fill("input[name=q]", "dang thi hanh")  # diacritics optional
    page.click("#filter-submit")
    page.click(f"a.case-link[href='/cases/{case_id}']")
    page.wait_for_url(f"{base}/cases/{case_id}")
    assert page.inner_text("#case-state") == "Đã tiếp nhận"
    assert "Người lao động" in page.inner_text(".party-role")

    page.click("#btn-start_consultation")
    with page.expect_navigation():  # the POST and its redirect back to the same URL
        page.click("#submit-start_consultation")
    page.wait_for_url(f"{base}/cases/{case_id}")
    assert page.inner_text("#case-state") == "Đang tư vấn"
    latest = page.locator("#timeline .event").first
    assert latest.get_attribute("data-trigger") == "start_consultation"
    assert "Bắt đầu tư vấn" in latest.inner_text()

    # a transition with a select and a required comment: labels, not codes, on the page
    page.click("#btn-give_advice")
    with page.expect_navigation():  # no choice, no comment: refused, form kept open with messages
        page.click("#submit-give_advice")
    assert page.locator("#form-give_advice .invalid-feedback").count() >= 1
    page.select_option("#give_advice-rep_role", "lawyer")
    page.fill("#give_advice-comment", "Đã hướng dẫn người lao động khởi kiện theo Điều 188 BLLĐ 2019.")
    with page.expect_navigation():
        page.click("#submit-give_advice")
    page.wait_for_url(f"{base}/cases/{case_id}")
    assert page.inner_text("#case-state") == "Đã tư vấn"
    latest = page.locator("#timeline .event").first
    assert "Luật sư của Trung tâm" in latest.inner_text() and "lawyer" not in latest.inner_text()
    assert "Luật sư của Trung tâm" in page.inner_text("#rep-took-part")

    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert page.outside_requests == []
    assert page.console_errors == []


def test_new_case_form_keeps_input_on_error_then_opens_the_case(live_server, page):
    base, _case_id = live_server
    log_in(page, base, "tuvan1")  # the legal officer opens and then reads it (need to know: the clerk does not)
    legal_aid_menu = page.locator("nav .dropdown-toggle", has_text="Tư vấn pháp luật")
    if legal_aid_menu.count():  # the user group's menu, when it holds more than this entry
        legal_aid_menu.click()
    page.click("nav >> text=Tiếp nhận yêu cầu tư vấn")
    page.wait_for_url(f"{base}/legal-aid/new")
    page.fill("#worker_name", "Bùi Văn Ước")
    page.fill("#worker_phone", "0914 222 333")
    page.select_option("#channel", "hotline")
    page.select_option("#party_status", "member")
    page.select_option("#need", "consultation")
    page.select_option("#dispute_type", "social_insurance")
    page.fill("#employer_name", "Công ty TNHH Thủy sản Hải Vương")
    page.click("#create-case")  # facts missing

    page.wait_for_load_state()
    facts_error = page.locator("#facts ~ .invalid-feedback")
    assert facts_error.inner_text() == "Trường này là bắt buộc."
    assert page.input_value("#worker_name") == "Bùi Văn Ước"
    assert page.input_value("#employer_name") == "Công ty TNHH Thủy sản Hải Vương"
    assert page.input_value("#dispute_type") == "social_insurance"

    page.fill("#facts", "Công ty không đóng bảo hiểm xã hội trong 8 tháng.")
    page.click("#create-case")
    page.wait_for_url(f"{base}/cases/*")
    assert "Đã tiếp nhận vụ việc TV-" in page.inner_text(".alert-success")
    assert page.inner_text("#case-state") == "Đã tiếp nhận"
    assert "Bảo hiểm xã hội" in page.inner_text(".case-data")
    assert page.locator("#timeline .event").first.get_attribute("data-trigger") == "open"
    assert page.outside_requests == []
    assert page.console_errors == []
