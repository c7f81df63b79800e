"""Deadlines on the case page, the work queue, the calendar-override admin and the rule values admin."""
from datetime import date

import pytest
from sqlalchemy import select

from caseflow.core import engine
from caseflow.core.models import Case, CaseEvent
from caseflow.deadlines.models import CalendarOverride, Deadline, DeadlineSetting
from caseflow.extensions import db
from tests.deadline_helpers import open_probe, probe_config
from tests.factories import user


@pytest.fixture
def app_config(tmp_path):
    return probe_config(tmp_path)


def _probe(app, org, received, assignee="kiemtra", accept=False):
    with app.app_context():
        case = open_probe(org, received)
        case.assignee_id = org["users"][assignee]
        db.session.commit()
        if accept:
            engine.fire(case, "accept", user(org, "kiemtra"))
        case_id = case.id
        db.session.remove()
    return case_id


def test_case_page_shows_due_date_explanation_and_basis(app, org, client, auth, clock):
    clock(date(2026, 2, 13))
    case_id = _probe(app, org, date(2026, 2, 13))
    auth.login("kiemtra")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "03/03/2026" in html and "17/02/2026 – Tết Nguyên Đán" in html
    assert "Luật Tố cáo 2018, Điều 24 khoản 1" in html


def test_case_page_calls_a_deadline_overdue_before_the_sweep_records_it(app, org, client, auth, clock):
    clock(date(2026, 3, 2))
    case_id = _probe(app, org, date(2026, 3, 2))  # due 11/03/2026; no sweep has run
    auth.login("kiemtra")
    clock(date(2026, 3, 10))
    assert ">đang chạy</span>" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    clock(date(2026, 3, 12))
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert ">quá hạn</span>" in html and ">đang chạy</span>" not in html


def test_queue_colours_by_working_days_left(app, org, client, auth, clock):
    clock(date(2026, 3, 2))
    case_id = _probe(app, org, date(2026, 3, 2))  # due 11/03/2026
    auth.login("kiemtra")
    clock(date(2026, 3, 10))
    html = client.get("/deadlines/").get_data(as_text=True)
    assert f"/cases/{case_id}" in html and 'class="table-warning" data-days-left="1"' in html
    clock(date(2026, 3, 12))
    html = client.get("/deadlines/?scope=unit").get_data(as_text=True)
    assert 'class="table-danger" data-days-left="-1"' in html


def test_queue_of_a_user_without_cases_is_empty(app, org, client, auth, clock):
    clock(date(2026, 3, 2))
    _probe(app, org, date(2026, 3, 2))
    auth.login("tuvan1")
    assert "Nothing due soon." in client.get("/deadlines/?lang=en").get_data(as_text=True) or \
        "Không có" in client.get("/deadlines/").get_data(as_text=True)


def test_override_preview_lists_moves_and_save_recomputes_with_audit(app, org, client, auth, clock):
    clock(date(2026, 3, 2))
    moved = _probe(app, org, date(2026, 3, 2))  # initial processing: (02/03, 11/03]
    clock(date(2026, 3, 20))
    _probe(app, org, date(2026, 3, 20))  # its window starts after 10/03: untouched
    clock(date(2026, 3, 5))
    auth.login("admin")
    data = {"csrf_token": auth.csrf("/deadlines/calendar"), "day_date": "2026-03-10", "kind": "day_off",
            "notice": "Thông báo 99/TB-BNV"}
    preview = client.post("/deadlines/calendar", data={**data, "action": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "11/03/2026" in html and "12/03/2026" in html
    with app.app_context():  # the admin sets the calendar but sees no case file: the moves' cases stay unnamed
        code = db.session.get(Case, moved).code
    assert 'class="moves-unseen"' in html and code not in html
    with app.app_context():
        assert db.session.scalar(select(CalendarOverride.id)) is None
    saved = client.post("/deadlines/calendar", data={**data, "action": "save"})
    assert saved.status_code == 302
    with app.app_context():
        due = {d.case_id: d.due_date for d in db.session.scalars(select(Deadline))}
        assert due[moved] == date(2026, 3, 12) and max(due.values()) == date(2026, 3, 31)
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == moved)
                                   .order_by(CaseEvent.seq.desc())).first()
        assert event.trigger == "deadline_recomputed"
        assert event.payload["calendar_override"]["notice"] == "Thông báo 99/TB-BNV"


def test_override_for_a_past_date_with_closed_cases_is_refused_naming_the_item(app, org, client, auth, clock):
    clock(date(2026, 3, 2))
    case_id = _probe(app, org, date(2026, 3, 2), accept=True)  # initial processing met on 02/03
    with app.app_context():
        db.session.execute(Deadline.__table__.update().where(Deadline.case_id == case_id,
                                                             Deadline.rule_key == "initial_processing")
                           .values(status="met", due_date=date(2026, 3, 11)))
        db.session.commit()
    clock(date(2026, 5, 4))
    auth.login("admin")
    response = client.post("/deadlines/calendar", data={
        "csrf_token": auth.csrf("/deadlines/calendar"), "day_date": "2026-03-05", "kind": "day_off",
        "notice": "Thông báo muộn", "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "day_date:" in html and "05/03/2026" in html and "DP-2026-0001" in html
    with app.app_context():
        assert db.session.scalar(select(CalendarOverride.id)) is None


def test_calendar_and_rules_pages_are_for_admins_only(app, org, client, auth):
    auth.login("tuvan1")
    assert client.get("/deadlines/calendar").status_code == 403
    assert client.get("/deadlines/rules").status_code == 403


def test_admin_sets_a_u_value_with_its_basis(app, org, client, auth):
    auth.login("admin")
    page = client.get("/deadlines/rules").get_data(as_text=True)
    assert "legal_aid.limitation_court" in page and "cdcs.recognition_review" in page
    bad = client.post("/deadlines/rules", data={"csrf_token": auth.csrf("/deadlines/rules"), "key": "review",
                                                "days": "-2", "basis": "x", "effective_from_date": "2026-01-01"})
    assert bad.status_code == 422
    ok = client.post("/deadlines/rules", data={"csrf_token": auth.csrf("/deadlines/rules"), "key": "review",
                                               "days": "15", "basis": "Hướng dẫn mới, mục 2",
                                               "effective_from_date": "2026-01-01"})
    assert ok.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(DeadlineSetting))
        assert (row.key, row.days, row.basis) == ("review", 15, "Hướng dẫn mới, mục 2")
