"""The home page "Việc của tôi" (issue 18): the cases whose next step is the user's, per procedure, oldest
first, one click from the action; deadlines due within the lead days; unread notices and the bell; documents
to sign only where the user holds the signing power. And the case page's next step, step bar and the
actions a guard would refuse shown disabled with the reason, computed without writing anything."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete, func, select

from caseflow.core import engine
from caseflow.core.models import Case, CaseEvent
from caseflow.deadlines.models import Notification
from caseflow.documents.models import DocumentDetail, SigningPower
from caseflow.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import open_legal_aid, user
from tests.test_documents_register import draft
from tests.test_web_cases import fire_via_web


def logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})


def home_items(client) -> list[tuple[int, str]]:
    """(case id, trigger) of every action link on the home page."""
    html = client.get("/").get_data(as_text=True)
    return [(int(c), t) for c, t in re.findall(r'href="/cases/(\d+)\?act=(\w+)#', html)]


def test_login_lands_on_the_home_page_and_anonymous_goes_to_login(client, org):
    assert client.get("/").headers["Location"].startswith("/login")
    response = login(client, "tuvan1")
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Việc của tôi" in page and 'id="nav-home"' in page


def test_cases_waiting_for_my_step_grouped_oldest_first_and_gone_once_taken(app, client, org):
    with app.app_context():
        new = open_legal_aid(org, worker="Trần Văn Mới", received=date(2026, 11, 20)).id
        old = open_legal_aid(org, worker="Lê Thị Cũ", received=date(2026, 10, 1)).id
        elsewhere = open_legal_aid(org, unit_key="LĐLĐ-QN", worker="Phan Văn Xa", received=date(2026, 11, 25)).id
        db.session.remove()
    login(client, "tuvan1")
    items = home_items(client)
    assert items[:2] == [(old, "start_consultation"), (new, "start_consultation")]  # oldest first
    assert elsewhere in [c for c, _t in items]  # a role on the province covers the units below
    page = client.get("/").get_data(as_text=True)
    assert 'data-workflow="legal_aid"' in page and "Tư vấn, trợ giúp pháp lý" in page
    # one click from the action: the link opens that action's form
    case_page = client.get(f"/cases/{old}?act=start_consultation").get_data(as_text=True)
    assert 'class="collapse show" id="form-start_consultation"' in case_page
    assert fire_via_web(client, old, "start_consultation").status_code == 302
    with app.app_context():
        assert db.session.get(Case, old).state == "consulting"
    assert (old, "start_consultation") not in home_items(client)
    assert (old, "give_advice") in home_items(client)  # it is now tuvan1's, assigned to him
    logout(client)
    login(client, "tuvan2")  # another officer: the case handed to tuvan1 no longer waits for tuvan2
    assert old not in [c for c, _t in home_items(client)] and (new, "start_consultation") in home_items(client)
    logout(client)
    login(client, "quynhon")  # an officer of Quy Nhơn sees Quy Nhơn's case only
    assert [c for c, _t in home_items(client)] == [elsewhere]


def test_a_case_waiting_for_the_leader_is_on_the_leader_page_not_the_officer(app, client, org):
    with app.app_context():
        case = open_legal_aid(org)
        officer = user(org, "tuvan1")
        engine.fire(case, "start_consultation", officer)
        engine.fire(case, "propose_representation", officer, comment="Cần đại diện tại hòa giải.")
        case_id = case.id
        db.session.remove()
    login(client, "lanhdao")
    assert (case_id, "approve_representation") in home_items(client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert re.search(r'id="next-step">.*Duyệt đại diện — Lãnh đạo \(Liên đoàn Lao động tỉnh Bình Định\)', page, re.DOTALL)
    assert 'aria-current="step" >' not in page and re.search(
        r'class="step step-current" data-state="representation_proposed" aria-current="step"', page)
    assert re.search(r'class="step step-done" data-state="consulting"', page)
    logout(client)
    login(client, "tuvan1")
    assert case_id not in [c for c, _t in home_items(client)]
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)  # told who acts now, though not them
    assert 'data-trigger="approve_representation" data-mine="false">Duyệt đại diện — Lãnh đạo' in page


def test_deadlines_within_the_lead_days_notices_and_the_bell(app, client, org):
    with app.app_context():
        case = open_legal_aid(org)
        me = user(org, "tuvan1")
        engine.fire(case, "start_consultation", me)
        db.session.add(Notification(user_id=me.id, case_id=case.id, kind="portal_message"))
        db.session.add(Notification(user_id=user(org, "tuvan2").id, case_id=case.id, kind="portal_message"))
        db.session.commit()
        mine, theirs = db.session.scalars(select(Notification.id).order_by(Notification.id)).all()
        code, case_id = case.code, case.id
        db.session.remove()
    login(client, "tuvan1")
    page = client.get("/cases/").get_data(as_text=True)  # the bell on every page
    assert re.search(r'id="badge-notices"[^>]*aria-label="Thông báo chưa đọc: 1"', page)
    home = client.get("/").get_data(as_text=True)
    assert f"{code}: có tin nhắn mới" in home and f'/deadlines/notifications/{mine}"' in home
    assert client.get(f"/deadlines/notifications/{theirs}").status_code == 404
    assert client.get(f"/deadlines/notifications/{mine}").headers["Location"] == f"/cases/{case_id}"
    assert 'data-count="0"' in client.get("/").get_data(as_text=True)
    assert 'id="home-deadlines"' in home


@pytest.fixture
def powers(app, org):
    from caseflow.documents.demo import seed_powers
    from tests.factories import users_by_name
    from tests.test_documents_register import units_by_key

    with app.app_context():
        seed_powers(db.session, units_by_key(org), users_by_name(org), date(2020, 1, 1))
        db.session.commit()
        db.session.remove()


def _checked(org, type_key: str) -> int:
    case = draft(org, type_key=type_key)
    engine.fire(case, "approve_draft", user(org, "lanhdao"))
    engine.fire(case, "check", user(org, "vanthu"), {"content_checked": True, "format_checked": True})
    return case.id


def test_a_document_the_leader_cannot_sign_shows_sign_disabled_with_why_and_not_on_the_home(app, client, org,
                                                                                           powers):
    with app.app_context():
        # the demo gives lanhdao the legal-aid centre's power: withdraw it to have a document he cannot sign
        db.session.execute(delete(SigningPower).where(SigningPower.issuer_code == "TTTVPL"))
        db.session.commit()
        centre = _checked(org, "van_ban_de_nghi")
        own = _checked(org, "quyet_dinh")
        assert db.session.get(DocumentDetail, centre).issuer_code == "TTTVPL"
        db.session.remove()
    login(client, "lanhdao")
    items = home_items(client)
    assert (own, "sign") in items and centre not in [c for c, _t in items]
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(DocumentDetail))
        events = db.session.scalar(select(func.count()).select_from(CaseEvent))
    page = client.get(f"/cases/{centre}").get_data(as_text=True)
    assert re.search(r'<button type="button" class="btn btn-outline-secondary btn-sm" disabled[^>]*id="btn-sign"', page)
    assert re.search(r'id="refusal-sign"><span class="fw-semibold">Ký ban hành</span> — không thực hiện được lúc này: '
                     r'Bạn không có thẩm quyền ký', page)
    assert 'id="form-sign"' not in page
    assert 'id="btn-sign" data-bs-toggle' not in page
    api = client.get(f"/api/cases/{centre}").get_json()  # the JSON API says the same
    refused = {t["trigger"]: t["refused"] for t in api["available_triggers"]}
    assert refused["sign"] and "thẩm quyền ký" in refused["sign"][0] and refused["return_draft"] == []
    assert api["next_steps"] == [{"trigger": "sign", "label": "Ký ban hành", "yours": True,
                                  "who": "Lãnh đạo, Cán bộ kiểm tra (Liên đoàn Lao động tỉnh Bình Định)"}]
    signable = client.get(f"/cases/{own}").get_data(as_text=True)
    assert 'id="form-sign"' in signable and 'id="refusal-sign"' not in signable
    with app.app_context():  # the preview wrote nothing
        assert db.session.scalar(select(func.count()).select_from(DocumentDetail)) == rows
        assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == events
        assert db.session.get(Case, centre).state == "checked"


def test_a_guard_reading_the_form_is_not_judged_before_the_form_is_filled(app, client, org):
    """assign needs a legal officer chosen in the form: the preview cannot know, so the action stays open."""
    with app.app_context():
        case_id = open_legal_aid(org).id
        db.session.remove()
    login(client, "lanhdao")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="form-assign"' in page and 'id="refusal-assign"' not in page


def test_a_step_a_guard_refuses_now_is_listed_with_why_not_as_a_button(app, client, org):
    """A draft with its required fields empty waits for approval, but approving it would be refused."""
    with app.app_context():
        empty = engine.open_case(db.session, "document_issuance", db.session.get(Case, open_legal_aid(org).id).unit,
                                 user(org, "vanthu"), {"type_key": "quyet_dinh", "summary": "Về việc khen thưởng"},
                                 title="Về việc khen thưởng").id
        db.session.remove()
    login(client, "lanhdao")
    page = client.get("/").get_data(as_text=True)
    assert (empty, "approve_draft") not in home_items(client)
    assert re.search(rf'data-case-id="{empty}".*?class="small text-secondary home-refused" data-trigger="approve_draft">'
                     r'Duyệt dự thảo — không thực hiện được lúc này: Các mục bắt buộc', page, re.DOTALL)


def test_a_refusal_shown_before_the_click_names_values_by_their_labels(app, client, org):
    """need_is: "Hỏi đáp pháp luật chung", never the code general_question."""
    with app.app_context():
        case_id = open_legal_aid(org).id  # need: litigation
        db.session.remove()
    login(client, "tuvan1")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "nhu cầu “Hỏi đáp pháp luật chung”" in page and "general_question" not in page.split('id="refusals"')[1]


def test_next_steps_read_from_the_definitions(ctx):
    """Forward steps (primary, success), else plain ones, else whatever moves the case unless marked
    next_step: false; never a step back to the same state."""
    registry = engine.get_registry()

    def steps(workflow, state):
        return [t.trigger for t in registry.get(workflow).next_steps(state)]

    assert steps("letter_intake", "classified") == ["assess"]  # re-classifying stays in place: not "next"
    assert steps("document_issuance", "drafting") == ["approve_draft"]  # not the cancel button
    assert steps("document_issuance", "dispatched") == ["file"]  # a plain step where there is no forward one
    assert steps("discipline", "voted") == ["decide"]  # its one way on, drawn as a warning
    assert steps("commendation", "awarded") == []  # a revocation may happen; nothing waits for it
    assert steps("legal_aid", "closed") == []
