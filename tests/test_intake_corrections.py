"""Correcting intake data (Sửa thông tin tiếp nhận): a step of its own through the engine, audited field by field
(who, from what to what, why), open until the case is accepted and refused after."""
from datetime import date

from sqlalchemy import select

from caseflow.core.clock import local_today
from caseflow.core.models import CaseEvent
from caseflow.extensions import db
from caseflow.inspection import demo
from caseflow.inspection.models import ComplaintDetail, LetterDetail
from tests.conftest import csrf_token
from tests.test_inspection_web import browser  # noqa: F401 (the fixture)


def _events(app, case_id, trigger):
    with app.app_context():
        return [(e.actor.username, e.comment, e.payload) for e in db.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.trigger == trigger))]


def test_a_letter_registered_without_its_date_is_corrected_then_accepted(app, browser):  # noqa: F811
    letter = browser.register("complaint", letter_date="")
    browser.walk(letter, "letter_intake", demo.LETTER_PATHS["complaint"][:2], "complaint")
    # the correction form opens on the values as recorded
    page = browser.as_user("vanthu").get(f"/cases/{letter}").get_data(as_text=True)
    assert "Sửa thông tin tiếp nhận" in page and demo.CONTENTS["complaint"] in page
    day = date(2026, 11, 20)
    browser.fire(letter, "correct_intake", "vanthu", {"channel": "post", "letter_date": day.strftime("%d/%m/%Y"),
                                                      "signed": True, "content": demo.CONTENTS["complaint"]},
                 "Ngày ghi trên đơn bị sót khi vào sổ.")
    with app.app_context():
        assert db.session.get(LetterDetail, letter).letter_date == day
    [(who, why, payload)] = _events(app, letter, "correct_intake")
    assert who == "vanthu" and why == "Ngày ghi trên đơn bị sót khi vào sổ."
    assert payload["corrections"] == [{"field": "letter_date", "from": None, "to": "2026-11-20"}]
    timeline = browser.client.get(f"/cases/{letter}").get_data(as_text=True)
    assert "Ngày ghi trên đơn" in timeline and "(trống) → 20/11/2026" in timeline
    # the letter is no longer refused for its date at "Đề xuất thụ lý"
    browser.fire(letter, "propose_acceptance", "kiemtra", {})
    assert browser.state(letter) == "proposed"
    # ... and once accepted the letter's intake data is closed to correction
    client = browser.as_user("vanthu")
    page = client.get(f"/cases/{letter}").get_data(as_text=True)
    assert 'id="form-correct_intake"' not in page
    response = client.post(f"/cases/{letter}/fire/correct_intake", data={
        "correct_intake-csrf_token": csrf_token(client, "/cases/"), "correct_intake-channel": "email",
        "correct_intake-content": "Khác.", "correct_intake-comment": "Sửa."})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(LetterDetail, letter).channel == "post"
    assert len(_events(app, letter, "correct_intake")) == 1


def test_a_correction_needs_its_reason_and_a_change(app, browser):  # noqa: F811
    letter = browser.register("complaint")
    data = {"channel": "post", "letter_date": local_today(), "signed": True, "content": demo.CONTENTS["complaint"]}
    no_reason = browser.fire(letter, "correct_intake", "vanthu", data, "", expect=422).get_data(as_text=True)
    assert "Vui lòng ghi rõ lý do." in no_reason
    same = browser.fire(letter, "correct_intake", "vanthu", data, "Kiểm tra lại.", expect=422).get_data(as_text=True)
    assert "Chưa có gì thay đổi" in same
    assert _events(app, letter, "correct_intake") == []


def test_a_complaint_is_corrected_before_acceptance_and_not_after(app, browser):  # noqa: F811
    letter = browser.register("complaint")
    browser.walk(letter, "letter_intake", demo.LETTER_PATHS["complaint"], "complaint")
    case = browser.handling(letter)
    with app.app_context():
        act = db.session.get(ComplaintDetail, case).act_complained
    browser.fire(case, "correct_intake", "kiemtra", {"act_complained": act + " (tháng 10/2026)",
                                                     "known_date": date(2026, 11, 1)}, "Bổ sung thời điểm.")
    [(who, _why, payload)] = _events(app, case, "correct_intake")
    assert who == "kiemtra"
    assert {c["field"] for c in payload["corrections"]} == {"act_complained", "known_date"}
    browser.walk(case, "complaint", demo.COMPLAINT_PATHS["first_resolution"][:1], "first_resolution")
    assert browser.state(case) == "accepted"
    browser.fire(case, "correct_intake", "kiemtra", {"act_complained": "Khác."}, "Sửa.", expect=422)
    with app.app_context():
        assert db.session.get(ComplaintDetail, case).act_complained == act + " (tháng 10/2026)"
