"""Hypothesis state machines, one per UBKT workflow: random triggers, users and inputs (some corrupted).
The state stays valid, deadlines stay consistent, the audit chain verifies, and a refused action changes
nothing at all."""
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.errors import WorkflowError
from caseflow.core.models import Case, CaseEvent
from caseflow.deadlines.models import Deadline
from caseflow.extensions import db
from caseflow.inspection import demo
from caseflow.inspection.models import ProtectedIdentity
from tests.conftest import AUDIT_KEY
from tests.factories import unit, users_by_name

USERS = ["lanhdao", "kiemtra", "kiemtra2", "vanthu", "tuvan1", "quynhon"]
SETTINGS = settings(max_examples=6, stateful_step_count=14, deadline=None,
                    suppress_health_check=list(HealthCheck))


def corrupt(data: dict, how: int) -> dict:
    """Drop a field, blank it, or give it a value of the wrong kind."""
    if not data:
        return {"unexpected": "x"}
    key = sorted(data)[how % len(data)]
    bad = [None, "", "không phải số", -5, "9999-99-99", 10 ** 9][how % 6]
    return {**data, key: bad}


def machine_for(workflow: str, org: dict):
    definition = engine.get_registry().get(workflow)
    triggers = sorted(definition.triggers)

    class WorkflowMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.users = users_by_name(org)
            self.case = self._open()
            self.path = ""

        def _open(self) -> Case:
            u, where = self.users, unit(org)
            if workflow == "letter_intake":
                return demo.register_letter(db.session, where, u, "denunciation", demo.DEMO_SENDERS[0])
            if workflow == "complaint":
                return engine.open_case(db.session, "complaint", where, u["vanthu"],
                                        {"act_complained": demo.CONTENTS["complaint"]}, title="Khiếu nại",
                                        parties=[{"role": "complainant", "full_name": "Nguyễn Văn Bình",
                                                  "confidential": False}])
            return engine.open_case(db.session, "denunciation", where, u["vanthu"], {
                "accused": demo.ACCUSED, "violation": demo.CONTENTS["denunciation"],
                "denouncer_name": "Hồ Thị Mơ", "denouncer_address": "Quy Nhơn"}, title="Tố cáo")

        def _snapshot(self):
            db.session.expire_all()
            case = db.session.get(Case, self.case.id)
            return (case.state, case.version, case.audit_seq, db.session.scalar(select(func.count(Case.id))),
                    db.session.scalar(select(func.count(CaseEvent.id))),
                    db.session.scalar(select(func.count(ProtectedIdentity.id))))

        @rule(trigger=st.sampled_from(triggers), username=st.sampled_from(USERS), bad=st.none() | st.integers(0, 11))
        def fire(self, trigger, username, bad):
            data, comment = demo.step_data(workflow, trigger, self.users, "transfer" if bad == 1 else "")
            data = {k: (local_today() if v is None and k.endswith("_date") else v) for k, v in data.items()}
            if trigger == "declare_conflict":
                data = {"conflicted_user_id": self.users["kiemtra3"].id}
            if bad is not None:
                data = corrupt(data, bad)
            before = self._snapshot()
            try:
                event = engine.fire(self.case, trigger, self.users[username], data, comment=comment)
            except WorkflowError:
                assert self._snapshot() == before, "a refused action changed something"
                self.case = db.session.get(Case, self.case.id)
            else:
                assert event.seq == before[2] + 1 and self.case.state in definition.states

        @rule(pick=st.integers(0, 50))
        def advance(self, pick):
            """Mostly well-formed progress, so that walks reach the deep states too."""
            options = definition.transitions_from(self.case.state)
            if not options:
                return
            transition = options[pick % len(options)]
            actor = next(name for name in ("lanhdao", "kiemtra", "vanthu")
                         if {"lanhdao": "leader", "kiemtra": "inspector", "vanthu": "clerk"}[name] in transition.roles)
            self.fire(transition.trigger, actor, None)

        @invariant()
        def consistent(self):
            case = db.session.get(Case, self.case.id)
            assert case.state in definition.states
            assert (case.closed_dt is not None) == definition.is_final(case.state)
            assert verify_case(db.session, AUDIT_KEY.encode(), case) == []
            for d in db.session.scalars(select(Deadline).where(Deadline.case_id == case.id)):
                assert d.status in ("open", "paused", "met", "breached", "cancelled")
                assert d.due_date >= d.start_date
                if definition.is_final(case.state):
                    assert d.status != "open", f"{d.rule_key} still open on a closed case"

        def teardown(self):
            db.session.rollback()

    return WorkflowMachine


@pytest.mark.parametrize("workflow", ["letter_intake", "complaint", "denunciation"])
def test_random_walks_keep_the_case_consistent(ctx, org, workflow):
    run_state_machine_as_test(machine_for(workflow, org), settings=SETTINGS)
