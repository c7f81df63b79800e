"""A Hypothesis state machine per procedure: random walks of allowed and refused actions, uploads and
role mistakes. Whatever happens, a refusal changes nothing, a success moves to the declared state with one
audit event, the chain verifies, final states are closed, and a founding creates at most one unit."""
from datetime import timedelta

import pytest
from flask import current_app
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.errors import GuardFailed, InvalidInput, InvalidTrigger, NotPermitted
from caseflow.core.models import Case
from caseflow.extensions import db
from caseflow.union.demo import CASE_UNIT, PATHS, open_for_path, seed_rounds, upload_missing
from caseflow.union.models import UnitFounding, UnitOfficer
from tests.conftest import AUDIT_KEY
from tests.factories import unit, user

TODAY = local_today()
USERS = {"organiser": "tochuc", "leader": "lanhdao", "clerk": "vanthu", "inspector": "kiemtra"}


def trigger_data(workflow: str) -> dict:
    """The first data the demo paths give each trigger (valid for the happy path)."""
    day0 = TODAY - timedelta(days=20 if workflow == "commendation" else 41)
    found = {}
    for steps in PATHS[workflow].values():
        for trigger, _role, build, comment in steps:
            found.setdefault(trigger, (build(day0), comment or "Lý do"))
    return found


def machine_for(workflow: str, org):
    definition = get_registry().get(workflow)
    data_for = trigger_data(workflow)

    class ProcedureMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            path = "forwarded" if workflow == "commendation" and len(data_for) % 2 else next(iter(PATHS[workflow]))
            opener = user(org, "kiemtra" if workflow == "discipline" else "tochuc")
            self.case = open_for_path(db.session, workflow, path, unit(org, CASE_UNIT[workflow]), opener,
                                      TODAY - timedelta(days=40))
            self.events = 1

        def _snapshot(self):
            db.session.refresh(self.case)
            return self.case.state, self.case.version, self.case.audit_seq

        @rule(pick=st.integers(min_value=0, max_value=50), wrong_role=st.booleans())
        def fire_an_available_action(self, pick, wrong_role):
            options = definition.transitions_from(self.case.state)
            if not options:
                return
            t = options[pick % len(options)]
            role = t.roles[0]
            if wrong_role:
                role = next((r for r in USERS if r not in t.roles), role)
            actor = user(org, USERS[role])
            data, comment = data_for.get(t.trigger, ({}, "Lý do"))
            data = dict(data)
            if "unit_code" in data:
                data["unit_code"] = f"CĐCS-H{self.case.id}"
            before = self._snapshot()
            try:
                engine.fire(self.case, t.trigger, actor, data, comment=comment)
            except (GuardFailed, NotPermitted, InvalidInput, InvalidTrigger):
                self.case = db.session.get(Case, self.case.id)
                assert self._snapshot() == before  # a refusal changes nothing
                return
            self.events += 1
            assert self.case.state == t.dest_from(before[0])
            assert role in t.roles

        @rule()
        def upload_the_dossier(self):
            if self.case.closed_dt is None:
                upload_missing(db.session, current_app.config["STORAGE_DIR"], self.case, user(org, "tochuc"))

        @rule(trigger=st.sampled_from(sorted(definition.triggers) + ["launch_rocket"]))
        def fire_anything(self, trigger):
            """Any trigger, available or not, by a leader: either it is allowed from here or it changes nothing."""
            before = self._snapshot()
            allowed = definition.transition(trigger, before[0]) is not None
            data, comment = data_for.get(trigger, ({}, "Lý do"))
            data = {**data, **({"unit_code": f"CĐCS-H{self.case.id}"} if "unit_code" in data else {})}
            try:
                engine.fire(self.case, trigger, user(org, "lanhdao"), data, comment=comment)
            except InvalidTrigger:
                assert not allowed
                self.case = db.session.get(Case, self.case.id)
                assert self._snapshot() == before
                return
            except (GuardFailed, NotPermitted, InvalidInput):
                self.case = db.session.get(Case, self.case.id)
                assert self._snapshot() == before
                return
            assert allowed
            self.events += 1

        @invariant()
        def consistent(self):
            case = self.case
            assert case.state in definition.states
            assert case.audit_seq == self.events
            assert (case.closed_dt is not None) == definition.is_final(case.state)
            assert verify_case(db.session, AUDIT_KEY.encode(), case) == []
            if workflow == "cdcs_founding":
                foundings = db.session.scalar(select(func.count(UnitFounding.id))
                                              .where(UnitFounding.case_id == case.id))
                assert foundings == (1 if case.state == "recognised" else 0)
            if workflow in ("committee_recognition", "committee_supplement") and case.state != "recognised":
                assert not db.session.scalar(select(func.count(UnitOfficer.id))
                                             .where(UnitOfficer.source_case_id == case.id))

    return ProcedureMachine


@pytest.mark.slow
@pytest.mark.parametrize("workflow", list(PATHS))
def test_random_walks_keep_the_procedure_consistent(ctx, org, workflow):
    seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    run_state_machine_as_test(machine_for(workflow, org), settings=settings(
        max_examples=6, stateful_step_count=14, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
