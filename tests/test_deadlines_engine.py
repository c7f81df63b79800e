"""Deadlines driven by the engine: opened, met, paused, resumed, extended, cancelled in the same
transaction, each change in the audit payload; snapshots keep the rule in force when received."""
from datetime import date

import pytest
from sqlalchemy import select

from caseflow.core import engine
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.errors import GuardFailed
from caseflow.core.models import CaseEvent
from caseflow.deadlines.models import Deadline, DeadlineSetting
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY
from tests.deadline_helpers import open_probe, probe_config
from tests.factories import open_legal_aid, user


@pytest.fixture
def app_config(tmp_path):
    return probe_config(tmp_path)


def _deadlines(case):
    return {d.rule_key: d for d in db.session.scalars(select(Deadline).where(Deadline.case_id == case.id))}


def _payloads(case):
    return [e.payload.get("deadlines") for e in db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq))]


def test_intake_opens_the_initial_processing_deadline_in_working_days(ctx, org, clock):
    clock(date(2026, 2, 13))
    case = open_probe(org, date(2026, 2, 13))
    d = _deadlines(case)["initial_processing"]
    # 7 working days from Friday 13/02/2026 across Tết (14/02-22/02 off): 23, 24, 25, 26, 27/02, 02, 03/03
    assert (d.status, d.day_unit, d.days, d.due_date) == ("open", "working", 7, date(2026, 3, 3))
    assert d.rule["basis"] == "Luật Tố cáo 2018, Điều 24 khoản 1" and d.rule["workflow"] == "deadline_probe"
    assert _payloads(case)[0][0]["change"] == "opened"


def test_accept_meets_one_deadline_and_opens_the_next_in_one_event(ctx, org, clock):
    clock(date(2026, 3, 2))
    case = open_probe(org, date(2026, 3, 2))
    engine.fire(case, "accept", user(org, "kiemtra"))
    rows = _deadlines(case)
    assert rows["initial_processing"].status == "met" and rows["initial_processing"].met_date == date(2026, 3, 2)
    assert rows["resolution"].due_date == date(2026, 4, 1)  # 30 calendar days from 02/03
    changes = _payloads(case)[1]
    assert [(c["rule"], c["change"]) for c in changes] == [("initial_processing", "met"), ("resolution", "opened"),
                                                          ("review", "opened")]
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []


def test_suspension_pauses_the_clock_and_resuming_moves_the_due_date(ctx, org, clock):
    """Luật Tố cáo 2018, Art. 34(2): the time of suspension is not counted."""
    clock(date(2026, 3, 2))
    case = open_probe(org, date(2026, 3, 2))
    officer = user(org, "kiemtra")
    engine.fire(case, "accept", officer)
    clock(date(2026, 3, 10))
    engine.fire(case, "suspend", officer)
    assert _deadlines(case)["resolution"].status == "paused"
    clock(date(2026, 3, 20))
    engine.fire(case, "resume", officer)
    d = _deadlines(case)["resolution"]
    # 8 days used (03/03-10/03), 10 paused (11/03-20/03), 22 left from 20/03: 11/04 is a Saturday -> 13/04
    assert (d.status, d.due_date, d.pauses) == ("open", date(2026, 4, 13), [["2026-03-10", "2026-03-20"]])
    assert [c["change"] for c in _payloads(case)[2] + _payloads(case)[3] if c["rule"] == "resolution"] == \
        ["paused", "resumed"]


def test_a_second_extension_is_refused_when_the_law_allows_one(ctx, org, clock):
    """Luật Tố cáo 2018, Art. 30: a complex case may be extended once by at most 30 days."""
    clock(date(2026, 3, 2))
    case = open_probe(org, date(2026, 3, 2))
    officer = user(org, "kiemtra")
    engine.fire(case, "accept", officer, {"complex": True})
    d = _deadlines(case)["resolution"]
    assert d.variant == "complex" and d.rule["extendable"]["times"] == 1
    engine.fire(case, "extend_resolution", officer)
    d = _deadlines(case)["resolution"]
    assert (d.extensions, d.due_date) == (1, date(2026, 5, 4))  # 60 days from 02/03 = Friday 01/05 (holiday)
    before = case.audit_seq
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, "extend_resolution", officer)
    assert "tối đa 1 lần" in refused.value.reasons[0]
    db.session.refresh(case)
    assert case.audit_seq == before and _deadlines(case)["resolution"].extensions == 1


def test_a_simple_case_may_not_be_extended_at_all(ctx, org, clock):
    clock(date(2026, 3, 2))
    case = open_probe(org, date(2026, 3, 2))
    engine.fire(case, "accept", user(org, "kiemtra"))
    with pytest.raises(GuardFailed):
        engine.fire(case, "extend_resolution", user(org, "kiemtra"))


def test_a_final_state_cancels_what_is_still_open(ctx, org, clock):
    clock(date(2026, 3, 2))
    case = open_probe(org, date(2026, 3, 2))
    engine.fire(case, "withdraw", user(org, "kiemtra"))
    assert _deadlines(case)["initial_processing"].status == "cancelled"


def test_admin_set_value_applies_to_cases_received_from_its_date_only(ctx, org, clock):
    """[U] values are configuration; a case keeps the value in force when it was received."""
    db.session.add(DeadlineSetting(key="review", days=15, basis="Hướng dẫn mới, mục 2",
                                   effective_from_date=date(2026, 3, 5)))
    db.session.commit()
    clock(date(2026, 3, 10))
    old = open_probe(org, date(2026, 3, 4))
    new = open_probe(org, date(2026, 3, 6))
    for case in (old, new):
        engine.fire(case, "accept", user(org, "kiemtra"))
    assert _deadlines(old)["review"].days == 10 and _deadlines(old)["review"].rule["configured"] is None
    review = _deadlines(new)["review"]
    assert (review.days, review.basis) == (15, "Hướng dẫn mới, mục 2")


def test_legal_aid_limitation_warnings_run_from_the_day_the_breach_was_known(ctx, org, clock):
    """Bộ luật Lao động 2019, Art. 190 [U]: 6 / 9 / 12 months."""
    clock(date(2026, 11, 2))
    case = open_legal_aid(org, breach_known_date=date(2026, 6, 10))
    rows = _deadlines(case)
    assert rows["limitation_conciliation"].due_date == date(2026, 12, 10)
    assert rows["limitation_arbitration"].due_date == date(2027, 3, 10)
    assert rows["limitation_court"].due_date == date(2027, 6, 10)
    assert {r.kind for r in rows.values()} == {"warning"}


def test_legal_aid_without_a_breach_date_opens_no_warning(ctx, org, clock):
    clock(date(2026, 11, 2))
    case = open_legal_aid(org)
    assert _deadlines(case) == {}


def test_found_especially_complex_later_allows_two_extensions_and_refuses_a_third(ctx, org, clock):
    """Luật Tố cáo 2018, Art. 30; Nghị định 31/2019, Art. 3: especially complex -> 2 extensions of 30 days."""
    clock(date(2026, 3, 2))
    case = open_probe(org, date(2026, 3, 2))
    officer = user(org, "kiemtra")
    engine.fire(case, "accept", officer)
    engine.fire(case, "classify", officer, {"complexity": "especially_complex"})
    d = _deadlines(case)["resolution"]
    assert (d.variant, d.rule["extendable"]["times"], d.due_date) == ("especially_complex", 2, date(2026, 4, 1))
    assert {"rule": "resolution", "change": "variant", "variant": "especially_complex", "days": 30,
            "due": "2026-04-01", "status": "open"} in _payloads(case)[2]
    engine.fire(case, "extend_resolution", officer)
    engine.fire(case, "extend_resolution", officer)
    # 90 days from 02/03/2026 end on Sunday 31/05 -> Monday 01/06/2026
    assert _deadlines(case)["resolution"].due_date == date(2026, 6, 1)
    with pytest.raises(GuardFailed):
        engine.fire(case, "extend_resolution", officer)
    d = _deadlines(case)["resolution"]
    assert (d.extensions, d.extension_days) == (2, 60)
