"""The fire's write path (caseflow/core/engine/write.py): two Core statements normally, the unit of work when
the case carries relationship changes; either way one event, a bumped version and a verifying chain."""
from sqlalchemy import func, select

from caseflow.core import engine
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.write import write_case
from caseflow.core.models import CaseEvent
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY
from tests.factories import open_legal_aid, user


def _event_count(case) -> int:
    return db.session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id))


def test_the_returned_event_is_the_persistent_row(ctx, org):
    case = open_legal_aid(org)
    event = engine.fire(case, "start_consultation", user(org, "tuvan1"))
    assert event.id is not None and event in db.session
    assert event.actor.username == "tuvan1"  # its relationships load like any loaded row
    assert db.session.get(CaseEvent, event.id) is event


def test_case_columns_set_by_effects_are_written_with_the_state(ctx, org):
    case = open_legal_aid(org)
    version = case.version
    engine.fire(case, "start_consultation", user(org, "tuvan2"))  # effect: assignee := actor
    db.session.expire_all()
    assert (case.state, case.assignee_id, case.version, case.audit_seq) == \
        ("consulting", org["users"]["tuvan2"], version + 1, 2)


def test_a_relationship_change_is_left_to_the_unit_of_work(ctx, org):
    """An effect that sets a relationship (not its column) makes write_case decline: fire() then lets the
    ordinary flush write the case row."""
    case = open_legal_aid(org)
    version = case.version
    with db.session.no_autoflush:
        case.assignee = user(org, "tuvan1")
        assert write_case(db.session, case) is False
    db.session.commit()
    assert case.version == version + 1 and _event_count(case) == 1


def test_committed_objects_stay_loaded_between_fires(ctx, org):
    case = open_legal_aid(org)
    engine.fire(case, "start_consultation", user(org, "tuvan1"))
    assert "state" in case.__dict__ and "unit" in case.__dict__  # nothing to re-read for the next fire
    engine.fire(case, "give_advice", user(org, "tuvan1"), {"rep_role": "lawyer"}, comment="Đã tư vấn.")
    db.session.expire_all()
    assert (case.state, case.legal_aid.rep_role, case.legal_aid.union_rep_took_part) == ("advised", "lawyer", True)
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []
