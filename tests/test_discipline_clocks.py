"""Discipline (version 2): the limitation period bars a late decision, the competent committee's vote needs
its quorum and its majority (settings with their basis), and each step has its clock."""
from datetime import date

import pytest
from sqlalchemy import select

from caseflow.core import engine
from caseflow.core.engine.errors import GuardFailed
from caseflow.deadlines.models import Deadline
from caseflow.extensions import db
from caseflow.union import config as procedure_config
from caseflow.union.demo import open_for_path
from tests.factories import unit, user

RECEIVED = date(2026, 3, 2)
VOTE = {"vote_date": date(2026, 3, 10), "members_total": 11, "members_present": 9, "votes_for": 7}


def _heard(org, violation: date):
    case = open_for_path(db.session, "discipline", "closed", unit(org), user(org, "kiemtra"), RECEIVED,
                         violation_date=violation)
    assert case.workflow_version == 2
    engine.fire(case, "schedule_review", user(org, "kiemtra"), {"meeting_date": date(2026, 3, 5)})
    engine.fire(case, "hear_person", user(org, "kiemtra"), {"heard_date": date(2026, 3, 5), "person_present": True},
                comment="Đương sự thừa nhận vi phạm.")
    return case


def _rows(case):
    db.session.expire_all()
    return {d.rule_key: d for d in db.session.scalars(select(Deadline).where(Deadline.case_id == case.id))}


DECISION = {"measure": "warning", "decision_number": "160/QĐ-LĐLĐ", "decision_date": date(2026, 3, 12)}


def test_a_decision_after_the_limitation_period_is_refused_with_its_reason_and_basis(ctx, org, clock):
    clock(date(2026, 3, 12))
    case = _heard(org, date(2021, 3, 1))  # 60 months [U] ended on 01/03/2026 (a Sunday: moved to 02/03)
    limitation = _rows(case)["limitation"]
    assert (limitation.kind, limitation.day_unit, limitation.days, limitation.due_date) == \
        ("warning", "months", 60, date(2026, 3, 2))
    engine.fire(case, "vote", user(org, "lanhdao"), VOTE)
    before = case.audit_seq
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, "decide", user(org, "lanhdao"), DECISION)
    reason = " ".join(refused.value.reasons)
    assert "Thời hiệu xử lý kỷ luật đã hết ngày 02/03/2026" in reason and "QĐ 684/QĐ-TLĐ (2020)" in reason
    db.session.refresh(case)
    assert (case.state, case.audit_seq) == ("voted", before)


def test_within_the_limitation_the_decision_is_taken_and_each_step_has_its_clock(ctx, org, clock):
    clock(date(2026, 3, 10))
    case = _heard(org, date(2025, 12, 1))
    assert _rows(case)["review_meeting"].status == "met"
    engine.fire(case, "vote", user(org, "lanhdao"), VOTE)
    decision = _rows(case)["decision"]
    assert (decision.status, decision.day_unit, decision.days, decision.rule["certainty"]) == \
        ("open", "working", 10, "U")
    clock(date(2026, 3, 12))
    engine.fire(case, "decide", user(org, "lanhdao"), DECISION)
    rows = _rows(case)
    assert (case.state, rows["decision"].status, rows["limitation"].status, rows["notice"].status) == \
        ("decided", "met", "met", "open")
    assert rows["notice"].due_date == date(2026, 3, 19)  # 5 working days from Thursday 12/03/2026


@pytest.mark.parametrize(("present", "votes", "trigger", "ground"), [
    (6, 6, "vote", "6/11 thành viên có mặt: biểu quyết cần ít nhất 66.67%"),
    (8, 5, "vote", "5/11 thành viên đồng ý kỷ luật: cần quá 50% tổng số thành viên"),
    (9, 7, "vote_rejected", "biểu quyết đã đạt"),
    (6, 2, "vote_rejected", "biểu quyết cần ít nhất 66.67%"),
])
def test_the_vote_needs_its_quorum_and_its_majority(ctx, org, clock, present, votes, trigger, ground):
    clock(date(2026, 3, 10))
    case = _heard(org, date(2025, 12, 1))
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, trigger, user(org, "lanhdao"), {**VOTE, "members_present": present, "votes_for": votes},
                    comment="Kết quả biểu quyết.")
    assert ground in " ".join(refused.value.reasons)
    assert case.state == "heard"


def test_a_vote_short_of_the_majority_ends_without_discipline(ctx, org, clock):
    clock(date(2026, 3, 10))
    case = _heard(org, date(2025, 12, 1))
    # exactly half of all members is not more than half
    engine.fire(case, "vote_rejected", user(org, "lanhdao"), {**VOTE, "members_total": 10, "votes_for": 5},
                comment="Không đủ quá nửa tổng số thành viên đồng ý.")
    assert case.state == "dismissed" and _rows(case)["limitation"].status == "cancelled"


def test_the_quorum_and_the_majority_are_settings_an_admin_changes_with_a_basis(ctx, org, clock):
    clock(date(2026, 3, 10))
    definition = engine.get_registry().get("discipline")
    procedure_config.override(db.session, definition, "quorum_ratio", {"value": 0.5},
                              "Quy định mới của Tổng Liên đoàn (thử)", user(org, "admin"))
    case = _heard(org, date(2025, 12, 1))
    engine.fire(case, "vote", user(org, "lanhdao"), {**VOTE, "members_present": 6, "votes_for": 6})
    assert case.state == "voted"


def test_cases_opened_under_version_1_keep_their_path(ctx, org, clock):
    clock(date(2026, 3, 10))
    case = engine.open_case(db.session, "discipline", unit(org), user(org, "kiemtra"),
                            {"person_name": "Lê Văn Tài", "violation": "Chi quỹ sai quy định."},
                            title="Kỷ luật (v1)", received_date=RECEIVED, version=1)
    engine.fire(case, "schedule_review", user(org, "kiemtra"), {"meeting_date": date(2026, 3, 5)})
    engine.fire(case, "hear_person", user(org, "kiemtra"), {"heard_date": date(2026, 3, 5)}, comment="Đã nghe.")
    engine.fire(case, "decide", user(org, "lanhdao"), DECISION)
    assert (case.workflow_version, case.state) == (1, "decided")
