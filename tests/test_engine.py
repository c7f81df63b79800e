"""The engine on the legal-aid workflow: paths, permissions, guards, input, conflicts, audit."""
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine.audit import verify_all, verify_case
from caseflow.core.engine.errors import Conflict, GuardFailed, InvalidInput, InvalidTrigger, NotPermitted
from caseflow.core.models import Case, CaseEvent
from caseflow.demo import PATHS, step_data
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY, append_only_off
from tests.factories import open_legal_aid, user

ACTOR_FOR_ROLE = {"legal_officer": "tuvan1", "leader": "lanhdao", "clerk": "vanthu"}
FINAL_STATE = {"advice": "closed", "conciliation": "closed", "court": "closed", "collective": "closed",
               "no_authorisation": "closed", "question": "closed", "referred": "referred", "declined": "declined",
               "withdrawn": "closed"}


def _events(case):
    return db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)).all()


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_path_walks_to_its_end_with_one_event_per_step(ctx, org, path):
    intake = {"need": "general_question", "dispute_type": "other"} if path == "question" else {}
    if path == "collective":
        intake = {"is_collective": True, "party_status": "union_org", "dispute_type": "collective"}
    case = open_legal_aid(org, **intake)
    for trigger, role in PATHS[path]:
        data, comment = step_data(trigger, __import__("random").Random(1), case.received_date, local_today())
        engine.fire(case, trigger, user(org, ACTOR_FOR_ROLE[role]), data, comment=comment or "lý do")
    assert case.state == FINAL_STATE[path]
    assert case.closed_dt is not None
    events = _events(case)
    assert [e.trigger for e in events] == ["open"] + [t for t, _ in PATHS[path]]
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []


def test_representation_facts_are_typed_columns(ctx, org):
    case = open_legal_aid(org)
    officer = user(org, "tuvan1")
    for trigger, data in [("start_consultation", {}), ("propose_representation", {}),
                          ("approve_representation", None), ("sign_authorisation",
                                                             {"authorisation_signed_date": date(2026, 11, 3)}),
                          ("file_in_court", {"rep_role": "defender"})]:
        actor = user(org, "lanhdao") if data is None else officer
        engine.fire(case, trigger, actor, data or {}, comment="đề nghị")
    detail = case.legal_aid
    assert (detail.union_rep_took_part, detail.rep_role, detail.rep_stage, detail.forum) == \
        (True, "defender", "court_first_instance", "court_first_instance")


def test_role_not_allowed_is_refused_and_nothing_changes(ctx, org):
    case = open_legal_aid(org)
    before = (case.state, case.version, case.audit_seq)
    with pytest.raises(NotPermitted):
        engine.fire(case, "start_consultation", user(org, "vanthu"))  # a clerk does intake only
    db.session.refresh(case)
    assert (case.state, case.version, case.audit_seq) == before


def test_user_outside_the_units_scope_is_refused(ctx, org):
    case = open_legal_aid(org, unit_key="LĐLĐ-AN")
    with pytest.raises(NotPermitted):
        engine.fire(case, "start_consultation", user(org, "quynhon"))  # legal officer of Quy Nhơn only
    engine.fire(case, "start_consultation", user(org, "tuvan1"))  # provincial scope covers An Nhơn
    assert case.state == "consulting"


def test_unknown_and_unavailable_triggers(ctx, org):
    case = open_legal_aid(org)
    with pytest.raises(InvalidTrigger):
        engine.fire(case, "launch_rocket", user(org, "tuvan1"))
    with pytest.raises(InvalidTrigger):
        engine.fire(case, "close", user(org, "tuvan1"))


def test_guard_refuses_representation_without_authorisation(ctx, org):
    case = open_legal_aid(org)
    for trigger, who in [("start_consultation", "tuvan1"), ("propose_representation", "tuvan1"),
                         ("approve_representation", "lanhdao")]:
        engine.fire(case, trigger, user(org, who), comment="x")
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, "act_for_collective", user(org, "tuvan1"))
    assert refused.value.reasons
    assert case.state == "awaiting_authorisation"


def test_closing_an_unrepresented_matter_requires_a_reason(ctx, org):
    case = open_legal_aid(org, need="consultation")
    engine.fire(case, "start_consultation", user(org, "tuvan1"))
    engine.fire(case, "propose_representation", user(org, "tuvan1"), comment="cần đại diện")
    engine.fire(case, "approve_representation", user(org, "lanhdao"))
    with pytest.raises(InvalidInput) as refused:
        engine.fire(case, "decline_to_sign", user(org, "tuvan1"), {})
    assert "no_rep_reason" in refused.value.errors
    engine.fire(case, "decline_to_sign", user(org, "tuvan1"), {"no_rep_reason": "Không ký ủy quyền"})
    engine.fire(case, "close", user(org, "tuvan1"))
    assert case.state == "closed" and case.legal_aid.no_rep_reason == "Không ký ủy quyền"


def test_bad_field_values_are_refused_with_field_errors(ctx, org):
    case = open_legal_aid(org)
    engine.fire(case, "start_consultation", user(org, "tuvan1"))
    with pytest.raises(InvalidInput) as refused:
        engine.fire(case, "give_advice", user(org, "tuvan1"), {"rep_role": "astronaut"}, comment="x")
    assert set(refused.value.errors) == {"rep_role"}
    with pytest.raises(InvalidInput):
        engine.fire(case, "give_advice", user(org, "tuvan1"), {"rep_role": "lawyer"})  # comment required
    assert case.state == "consulting"


def test_stale_expected_version_is_a_conflict(ctx, org):
    case = open_legal_aid(org)
    seen = case.version
    engine.fire(case, "start_consultation", user(org, "tuvan1"), expected_version=seen)
    with pytest.raises(Conflict):
        engine.fire(case, "refer", user(org, "tuvan1"), {"referred_to": "Sở LĐ"}, comment="x", expected_version=seen)
    assert case.state == "consulting"


@pytest.mark.parametrize("statement", [CaseEvent.__table__.update().values(comment="sửa lịch sử"),
                                       CaseEvent.__table__.delete()], ids=["update", "delete"])
def test_the_database_refuses_to_rewrite_events(ctx, org, statement):
    case = open_legal_aid(org)
    engine.fire(case, "start_consultation", user(org, "tuvan1"))
    with pytest.raises(DatabaseError, match="case_events is append-only"):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalar(select(func.count(CaseEvent.id))) == 2
    assert verify_all(db.session, AUDIT_KEY.encode()) == (1, [])


def test_tampering_with_an_event_breaks_the_chain(ctx, org, backend):
    case = open_legal_aid(org)
    engine.fire(case, "start_consultation", user(org, "tuvan1"))
    assert verify_all(db.session, AUDIT_KEY.encode()) == (1, [])
    with append_only_off(db.session, backend):
        db.session.execute(CaseEvent.__table__.update().where(CaseEvent.seq == 1).values(comment="sửa lịch sử"))
    db.session.commit()
    checked, problems = verify_all(db.session, AUDIT_KEY.encode())
    assert checked == 1 and any("HMAC" in p.problem for p in problems)


def test_deleting_the_newest_event_is_detected(ctx, org, backend):
    case = open_legal_aid(org)
    engine.fire(case, "start_consultation", user(org, "tuvan1"))
    with append_only_off(db.session, backend):
        db.session.execute(CaseEvent.__table__.delete().where(CaseEvent.seq == 2))
    db.session.commit()
    _, problems = verify_all(db.session, AUDIT_KEY.encode())
    assert any("chain head" in p.problem for p in problems)


def test_case_codes_are_sequential_per_prefix_and_year(ctx, org):
    a = open_legal_aid(org, received=date(2026, 1, 5))
    b = open_legal_aid(org, received=date(2026, 3, 1))
    c = open_legal_aid(org, received=date(2025, 12, 31))
    assert (a.code, b.code, c.code) == ("TV-2026-0001", "TV-2026-0002", "TV-2025-0001")
    assert db.session.scalar(select(func.count(Case.id))) == 3


def test_opening_needs_an_intake_role_in_the_unit(ctx, org):
    with pytest.raises(NotPermitted):
        open_legal_aid(org, by="kiemtra")
    with pytest.raises(InvalidInput) as refused:
        open_legal_aid(org, need="nonsense")
    assert "need" in refused.value.errors
