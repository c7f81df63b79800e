"""Recognising a CĐCS creates the unit and its officers exactly once, even when the transition is retried
(after a failure, twice in a row, replayed, or by two people at once)."""
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.core import clock as engine_clock
from caseflow.core import engine
from caseflow.core.engine import get_registry
from caseflow.core.engine.context import FireContext
from caseflow.core.engine.errors import Conflict, InvalidTrigger
from caseflow.core.models import Case, Unit, User
from caseflow.extensions import db
from caseflow.union.demo import PATHS, walk
from caseflow.union.models import UnitFounding, UnitOfficer
from tests.test_procedures_engine import actors, day0, open_case

RECOGNISE = {"unit_code": "CĐCS-DTNH", "decision_number": "125/QĐ-LĐLĐ", "decision_date": date(2026, 11, 20)}


def _ready(org) -> Case:
    case = open_case(org, "cdcs_founding")
    steps = PATHS["cdcs_founding"]["recognised"][:-1]
    walk(db.session, case, steps, actors(org), current_app.config["STORAGE_DIR"], day0("cdcs_founding"))
    assert case.state == "under_review"
    return case


def _counts(session, case_id):
    unit_ids = session.scalars(select(Unit.id).where(Unit.code == "CĐCS-DTNH")).all()
    foundings = session.scalar(select(func.count(UnitFounding.id)).where(UnitFounding.case_id == case_id))
    officers = session.scalar(select(func.count(UnitOfficer.id)).where(UnitOfficer.source_case_id == case_id))
    return len(unit_ids), foundings, officers


def test_retry_after_a_failure_creates_the_unit_once(ctx, org):
    case = _ready(org)
    case_id = case.id
    calls = []

    def fail_once(fire_ctx):
        if fire_ctx.trigger == "recognise" and not calls:
            calls.append(1)
            raise RuntimeError("network hiccup after the effect ran")

    listeners = engine.current_engine().hooks.listeners
    listeners.append(fail_once)
    try:
        with pytest.raises(RuntimeError):
            engine.fire(case, "recognise", actors(org)["leader"], RECOGNISE)
        case = db.session.get(Case, case_id)
        assert case.state == "under_review" and _counts(db.session, case_id) == (0, 0, 0)
        engine.fire(case, "recognise", actors(org)["leader"], RECOGNISE)
    finally:
        listeners.remove(fail_once)
    assert case.state == "recognised"
    assert _counts(db.session, case_id) == (1, 1, 4)


def test_firing_twice_is_refused_the_second_time(ctx, org):
    case = _ready(org)
    engine.fire(case, "recognise", actors(org)["leader"], RECOGNISE)
    with pytest.raises(InvalidTrigger):
        engine.fire(case, "recognise", actors(org)["leader"], RECOGNISE)
    assert _counts(db.session, case.id) == (1, 1, 4)


def test_replaying_the_effect_creates_nothing(ctx, org):
    case = _ready(org)
    engine.fire(case, "recognise", actors(org)["leader"], RECOGNISE)
    definition = get_registry().get("cdcs_founding")
    transition = definition.transition("recognise", "under_review")
    now = engine_clock.now()
    replay = FireContext(session=db.session, engine=engine.current_engine(), case=case, actor=actors(org)["leader"], definition=definition,
                         transition=transition, trigger="recognise", source="under_review", dest="recognised",
                         data=dict(RECOGNISE), comment="", now=now, today=now.date())
    found = engine.current_engine().hooks.effects["found_cdcs_unit"]
    found(replay)
    found(replay)
    db.session.commit()
    assert _counts(db.session, case.id) == (1, 1, 4)
    assert replay.payload["founded_unit_id"]


def test_two_people_recognising_at_once_create_one_unit(ctx, org):
    case = _ready(org)
    case_id = case.id
    db.session.commit()
    leader_id = actors(org)["leader"].id
    other = Session(db.engine)
    try:
        stale_case = other.get(Case, case_id)
        stale_leader = other.get(User, leader_id)
        assert stale_case.state == "under_review"
        engine.fire(db.session.get(Case, case_id), "recognise", actors(org)["leader"], RECOGNISE)
        with pytest.raises((Conflict, InvalidTrigger)):
            engine.fire(stale_case, "recognise", stale_leader, RECOGNISE, session=other)
    finally:
        other.rollback()
        other.close()
    db.session.expire_all()
    assert _counts(db.session, case_id) == (1, 1, 4)
    assert db.session.get(Case, case_id).state == "recognised"


def test_the_new_unit_takes_effect_from_the_decision_date(ctx, org):
    case = _ready(org)
    engine.fire(case, "recognise", actors(org)["leader"], RECOGNISE)
    unit = db.session.scalar(select(Unit).where(Unit.code == "CĐCS-DTNH"))
    assert unit.effective_from_date == RECOGNISE["decision_date"]
    officers = db.session.scalars(select(UnitOfficer).where(UnitOfficer.unit_id == unit.id)).all()
    assert {o.from_date for o in officers} == {RECOGNISE["decision_date"]}
    assert {o.term for o in officers} == {"2026–2031"}
    assert not officers[0].active_on(RECOGNISE["decision_date"] - timedelta(days=1))
