"""The UBKT through the web client: the intake desk, every path of the three workflows as the user who acts,
refusals shown with their legal ground and nothing changed, the board and the statistics."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from caseflow.core.clock import local_today
from caseflow.core.models import Case
from caseflow.extensions import db
from caseflow.inspection import demo
from caseflow.inspection.models import LetterDetail
from tests.conftest import csrf_token, login
from tests.factories import users_by_name

SENDER = demo.DEMO_SENDERS[1]


class Browser:
    """One client that switches users as the steps require."""

    def __init__(self, app, client, org):
        self.app, self.client, self.org, self.user = app, client, org, None

    def as_user(self, username):
        if self.user != username:
            if self.user:
                self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/cases/")})
            login(self.client, username)
            self.user = username
        return self.client

    def token(self, path="/cases/"):
        return csrf_token(self.client, path)

    def register(self, kind, username="vanthu", **overrides):
        client = self.as_user(username)
        form = {"csrf_token": self.token("/inspection/desk"), "subject": f"Đơn {kind} gửi UBKT",
                "received_date": local_today().isoformat(), "channel": "post",
                "letter_date": local_today().isoformat(), "signed": "y", "unit_id": str(self.org["units"]["province"]),
                "sender_name": SENDER["full_name"], "sender_address": SENDER["address"],
                "sender_phone": SENDER["phone"], "content": demo.CONTENTS[kind]}
        form.update(overrides)
        form = {k: v for k, v in form.items() if v is not None}
        response = client.post("/inspection/desk", data=form)
        assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
        with self.app.app_context():
            return db.session.scalars(select(Case.id).where(Case.kind == "letter").order_by(Case.id.desc())).first()

    def fire(self, case_id, trigger, username, data=None, comment="", expect=302):
        client = self.as_user(username)
        page = client.get(f"/cases/{case_id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', page)
        form = {f"{trigger}-csrf_token": token.group(1), f"{trigger}-comment": comment}
        for name, value in (data or {}).items():
            if value is True:
                form[f"{trigger}-{name}"] = "y"
            elif value not in (False, None):
                form[f"{trigger}-{name}"] = value.isoformat() if isinstance(value, date) else str(value)
        response = client.post(f"/cases/{case_id}/fire/{trigger}", data=form)
        assert response.status_code == expect, (trigger, response.get_data(as_text=True)[-3000:])
        return response

    def classify(self, case_id, content_type, username="vanthu"):
        client = self.as_user(username)
        response = client.post(f"/inspection/desk/{case_id}/classify", data={
            f"c{case_id}-csrf_token": self.token("/inspection/desk"), f"c{case_id}-content_type": content_type})
        assert response.status_code == 302

    def walk(self, case_id, workflow, steps, path):
        with self.app.app_context():
            users = users_by_name(self.org)
            for trigger, role in steps:
                data, comment = demo.step_data(workflow, trigger, users, path)
                data = {k: (local_today() if v is None and k.endswith("_date") else v) for k, v in data.items()}
                if workflow == "letter_intake" and trigger == "classify":
                    self.classify(case_id, data["content_type"], demo.ACTORS[role])
                else:
                    self.fire(case_id, trigger, demo.ACTORS[role], data, comment or "Ghi nhận.")

    def state(self, case_id):
        with self.app.app_context():
            return db.session.get(Case, case_id).state

    def handling(self, letter_id):
        with self.app.app_context():
            return db.session.get(LetterDetail, letter_id).linked_case_ids[-1]


@pytest.fixture
def browser(app, client, org):
    return Browser(app, client, org)


@pytest.mark.parametrize("path", sorted(demo.LETTER_PATHS))
def test_letter_paths_on_the_web(browser, path):
    letter = browser.register(demo.LETTER_TYPE[path])
    browser.walk(letter, "letter_intake", demo.LETTER_PATHS[path], path)
    assert browser.state(letter) == {"complaint": "proposed", "denunciation": "proposed"}.get(
        path, {"transfer": "transferred", "guide": "guided", "archive": "archived", "split": "split"}.get(path))
    page = browser.client.get(f"/cases/{letter}").get_data(as_text=True)
    assert SENDER["full_name"] not in page and SENDER["phone"] not in page
    if path in ("complaint", "denunciation", "split"):
        assert 'id="linked-cases"' in page


@pytest.mark.parametrize("path", sorted(demo.COMPLAINT_PATHS))
def test_complaint_paths_on_the_web(browser, path):
    letter = browser.register("complaint")
    browser.walk(letter, "letter_intake", demo.LETTER_PATHS["complaint"], "complaint")
    case = browser.handling(letter)
    browser.walk(case, "complaint", demo.COMPLAINT_PATHS[path], path)
    assert browser.state(case) == demo.COMPLAINT_FINAL[path]


@pytest.mark.parametrize("path", sorted(demo.DENUNCIATION_PATHS))
def test_denunciation_paths_on_the_web(browser, path):
    letter = browser.register("denunciation", content=f"{demo.CONTENTS['denunciation']} ({path})")
    browser.walk(letter, "letter_intake", demo.LETTER_PATHS["denunciation"], "denunciation")
    case = browser.handling(letter)
    browser.walk(case, "denunciation", demo.DENUNCIATION_PATHS[path], path)
    assert browser.state(case) == demo.DENUNCIATION_FINAL[path]
    page = browser.as_user("lanhdao").get(f"/cases/{case}").get_data(as_text=True)
    assert SENDER["full_name"] not in page and "Được bảo mật" in page


def test_refusals_show_the_legal_ground_and_change_nothing(app, browser):
    letter = browser.register("complaint", letter_date="", signed=None)
    browser.walk(letter, "letter_intake", demo.LETTER_PATHS["complaint"][:2], "complaint")
    response = browser.fire(letter, "propose_acceptance", "kiemtra", {}, expect=422)
    body = response.get_data(as_text=True)
    assert "Đơn không ghi ngày, tháng, năm" in body and "Luật Khiếu nại 2011, Điều 8" in body
    assert "Đơn không có chữ ký hoặc điểm chỉ" in body
    assert browser.state(letter) == "assessed"
    # a decision before acceptance, on the complaint
    good = browser.register("complaint")
    browser.walk(good, "letter_intake", demo.LETTER_PATHS["complaint"], "complaint")
    case = browser.handling(good)
    body = browser.fire(case, "decide", "lanhdao", {}, expect=422).get_data(as_text=True)
    assert "Khiếu nại chưa được thụ lý" in body and "Điều 27" in body
    assert browser.state(case) == "received"
    # a third extension of a denunciation
    den_letter = browser.register("denunciation")
    browser.walk(den_letter, "letter_intake", demo.LETTER_PATHS["denunciation"], "denunciation")
    den = browser.handling(den_letter)
    browser.walk(den, "denunciation", demo.DENUNCIATION_PATHS["resolved"][:6], "resolved")
    body = browser.fire(den, "extend", "lanhdao", {"extension_days": 10}, "Thêm.", expect=422).get_data(as_text=True)
    assert "không được gia hạn lần thứ ba" in body and "Luật Tố cáo 2018, Điều 30" in body


def test_desk_keeps_the_sender_out_of_the_summary(browser):
    client = browser.as_user("vanthu")
    response = client.post("/inspection/desk", data={
        "csrf_token": browser.token("/inspection/desk"), "subject": f"Đơn của {SENDER['full_name']}",
        "received_date": local_today().isoformat(), "channel": "post", "unit_id": str(browser.org["units"]["province"]),
        "sender_name": SENDER["full_name"], "content": "Nội dung."})
    assert response.status_code == 422
    assert "Luật Tố cáo 2018, Điều 9" in response.get_data(as_text=True)


def test_desk_shows_duplicates_before_classification(browser):
    browser.register("complaint")
    second = browser.register("complaint", sender_name="PHAN VAN THACH")  # no diacritics, upper case
    page = browser.client.get("/inspection/desk").get_data(as_text=True)
    block = page[page.index(f'id="letter-{second}"'):]
    assert "Có thể trùng đơn" in block[:3000] and "cùng người gửi" in block[:3000]


def test_board_and_statistics(app, browser, org):
    with app.app_context():
        demo.seed_inspection(db.session, {"province": db.session.get(__import__("caseflow.core.models", fromlist=["Unit"])
                                                                     .Unit, org["units"]["province"])},
                             users_by_name(org))
    client = browser.as_user("lanhdao")
    board = client.get("/inspection/board?kind=denunciation").get_data(as_text=True)
    assert "Đang xác minh" in board and "TC-" in board
    stats = client.get(f"/inspection/stats?year={local_today().year}").get_data(as_text=True)
    assert "Đơn theo loại" in stats and "Tố cáo" in stats
    csv_text = client.get(f"/inspection/stats.csv?year={local_today().year}").get_data(as_text=True)
    assert "Đơn theo kết quả xử lý" in csv_text
    assert browser.as_user("tuvan1").get("/inspection/stats").status_code == 403
