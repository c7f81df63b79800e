"""The denunciation's clocks the law sets beside the resolution (Luật Tố cáo 2018): the transfer outside
competence (Art. 24, 5 working days), the notice of a suspension or termination (Art. 34, 5 working days),
and how a stopped clock reads on the case page (Art. 34(2): the time of suspension is not counted)."""
from datetime import date

import pytest
from sqlalchemy import select

from caseflow.core import engine
from caseflow.core.engine.errors import GuardFailed
from caseflow.deadlines.models import Deadline
from caseflow.extensions import db
from tests.conftest import logged_in
from tests.factories import unit, users_by_name

INTAKE = {"accused": "Trần Văn Bình, Chủ tịch CĐCS", "violation": "Chi sai quỹ công đoàn.",
          "denouncer_name": "Lê Thị Cúc", "denouncer_address": "12 Lê Lợi, Quy Nhơn"}


@pytest.fixture
def u(ctx, org):
    return users_by_name(org)


def _open(org, u, received: date):
    return engine.open_case(db.session, "denunciation", unit(org), u["kiemtra"], dict(INTAKE),
                            title="Tố cáo chi sai quỹ", received_date=received)


def _rows(case) -> dict[str, Deadline]:
    db.session.expire_all()
    return {d.rule_key: d for d in db.session.scalars(select(Deadline).where(Deadline.case_id == case.id))}


@pytest.mark.parametrize(("day", "status"), [(date(2026, 3, 9), "met"), (date(2026, 3, 10), "met_late")])
def test_a_transfer_after_the_5th_working_day_is_late(u, org, clock, day, status):
    """Received Monday 02/03/2026: the 5th working day is Monday 09/03, the 6th is 10/03."""
    clock(date(2026, 3, 2))
    case = _open(org, u, date(2026, 3, 2))
    assert _rows(case)["transfer"].due_date == date(2026, 3, 9)
    clock(day)
    engine.fire(case, "transfer", u["kiemtra"], {"transferred_to": "Ủy ban kiểm tra Liên đoàn Lao động tỉnh"})
    transfer = _rows(case)["transfer"]
    assert (transfer.status, transfer.met_date, transfer.basis) == (status, day, "Luật Tố cáo 2018, Điều 24")


def test_a_case_kept_within_competence_cancels_the_transfer_clock(u, org, clock):
    clock(date(2026, 3, 2))
    case = _open(org, u, date(2026, 3, 2))
    clock(date(2026, 3, 11))
    engine.fire(case, "accept", u["lanhdao"])
    assert _rows(case)["transfer"].status == "cancelled"


def _suspended(org, u, clock):
    clock(date(2026, 3, 2))
    case = _open(org, u, date(2026, 3, 2))
    engine.fire(case, "accept", u["lanhdao"])
    engine.fire(case, "form_team", u["lanhdao"], _team(u))
    clock(date(2026, 3, 10))
    engine.fire(case, "suspend", u["lanhdao"], comment="Chờ kết quả giám định chứng từ.")
    return case


def _team(u):
    return {"team_leader_id": u["kiemtra"].id, "member_2_id": u["lanhdao"].id, "no_conflict_declared": True}


def test_a_suspension_opens_its_5_working_day_notice_and_the_notice_meets_it(u, org, clock):
    case = _suspended(org, u, clock)
    notice = _rows(case)["suspension_notice"]
    # from Tuesday 10/03/2026: 11, 12, 13, 16, 17/03
    assert (notice.status, notice.due_date, notice.day_unit) == ("open", date(2026, 3, 17), "working")
    assert notice.basis == "Luật Tố cáo 2018, Điều 34"
    clock(date(2026, 3, 12))
    engine.fire(case, "notify_suspension", u["kiemtra"])
    assert _rows(case)["suspension_notice"].status == "met"
    with pytest.raises(GuardFailed):  # given once: nothing waits for a second notice
        engine.fire(case, "notify_suspension", u["kiemtra"])


def test_a_termination_opens_its_notice_and_the_case_closes_with_it(u, org, clock):
    clock(date(2026, 3, 2))
    case = _open(org, u, date(2026, 3, 2))
    engine.fire(case, "accept", u["lanhdao"])
    clock(date(2026, 3, 20))
    engine.fire(case, "terminate", u["lanhdao"], {"termination_ground": "accused_died"},
                comment="Người bị tố cáo đã chết.")
    rows = _rows(case)
    assert (case.state, rows["termination_notice"].status, rows["termination_notice"].due_date) == \
        ("terminating", "open", date(2026, 3, 27))
    assert rows["resolution"].status == "cancelled"
    engine.fire(case, "notify_termination", u["kiemtra"])
    assert (case.state, _rows(case)["termination_notice"].status) == ("terminated", "met")


def _panel(client, case) -> str:
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    start = html.index('id="deadlines"')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize(("today", "due"), [(date(2026, 3, 10), "01/04/2026"), (date(2026, 3, 17), "08/04/2026")])
def test_a_suspended_deadline_reads_right_on_the_day_and_a_week_later(u, org, clock, client, today, due):
    """Accepted 02/03, 30 calendar days; suspended 10/03 with 8 days used: 22 days run from the day it
    would resume (10/03 -> 01/04; 17/03 -> 08/04). The old due date (01/04) is not shown as the due date."""
    case = _suspended(org, u, clock)
    clock(today)
    with logged_in(client, "lanhdao"):
        panel = _panel(client, case)
    block = panel[panel.index('data-rule="Giải quyết tố cáo"'):]
    block = block[:block.index('data-rule=', 20)] if 'data-rule=' in block[20:] else block
    assert "tạm dừng từ 10/03/2026" in block
    assert f"nếu tiếp tục từ hôm nay, hạn là <strong class=\"deadline-due\">{due}</strong>" in " ".join(block.split())
    assert "tạm dừng tính thời hạn từ 10/03/2026 (đang tạm dừng)" in block
    assert "đến 09/03" not in block and "đến 10/03" not in block
