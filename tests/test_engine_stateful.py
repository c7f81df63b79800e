"""Hypothesis drives random triggers, users and data over the legal-aid workflow through engine.fire():
the state is always one of the definition's, a successful fire adds exactly one audit event, a refused
one changes nothing (state, version, chain head, detail columns), and the chain verifies after every step."""
import random
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.errors import WorkflowError
from caseflow.core.models import Case, CaseEvent, User
from caseflow.core.policy import roles_on
from caseflow.demo import DEMO_USERS, step_data
from caseflow.extensions import db
from caseflow.legal_aid.models import LegalAidDetail
from tests.conftest import AUDIT_KEY
from tests.factories import INTAKE, unit

USERNAMES = [u for u, _name, _roles in DEMO_USERS]
#: provincial scope, a unit below Quy Nhơn (quynhon's scope), and An Nhơn (outside quynhon's scope)
UNIT_KEYS = ["province", "CĐCS-MMQN", "LĐLĐ-AN"]
INTAKES = {
    "litigation": {},
    "question": {"need": "general_question", "dispute_type": "other"},
    "collective": {"is_collective": True, "party_status": "union_org", "dispute_type": "collective"},
    "consultation": {"need": "consultation"},
}
BAD_VALUES = st.sampled_from([None, "", "astronaut", "2026-13-45", "9999-01-01", -5, "x" * 300, "won", "lawyer",
                              "defender", "2026-11-03", 0, True, "１２"])


def _detail_columns(case_id: int) -> tuple:
    row = db.session.execute(select(LegalAidDetail.__table__).where(LegalAidDetail.case_id == case_id)).one()
    return tuple(row)


def _snapshot(case_id: int) -> tuple:
    """What the database holds for the case (not the session's view of it)."""
    case_row = db.session.execute(select(Case.state, Case.version, Case.audit_seq, Case.audit_head, Case.assignee_id,
                                         Case.closed_dt).where(Case.id == case_id)).one()
    events = db.session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case_id))
    return tuple(case_row), events, _detail_columns(case_id)


class LegalAidMachine(RuleBasedStateMachine):
    cases = Bundle("cases")

    def __init__(self, org):
        super().__init__()
        self.org = org
        self.definition = engine.get_registry().get("legal_aid")
        self.triggers = sorted(self.definition.triggers) + ["launch_rocket", "open"]
        self.fields = sorted({f.name for t in self.definition.transitions for f in t.fields})
        self.touched: set[int] = set()
        self.fired = self.refused = 0

    def _user(self, username: str) -> User:
        return db.session.get(User, self.org["users"][username])

    @initialize(target=cases)
    def first_case(self):
        return self._open("province", "litigation")

    @rule(target=cases, unit_key=st.sampled_from(UNIT_KEYS), kind=st.sampled_from(sorted(INTAKES)))
    def open_case(self, unit_key, kind):
        return self._open(unit_key, kind)

    def _open(self, unit_key, kind):
        case = engine.open_case(db.session, "legal_aid", unit(self.org, unit_key), self._user("vanthu"),
                                {**INTAKE, **INTAKES[kind]}, title="Nguyễn Thị Hạnh – Tiền lương",
                                received_date=local_today() - timedelta(days=3),
                                parties=[{"role": "worker", "full_name": "Nguyễn Thị Hạnh", "confidential": False}])
        self.touched.add(case.id)
        return case.id

    @rule(case_id=cases, choices=st.data())
    def fire(self, case_id, choices):
        draw = choices.draw
        trigger = draw(st.sampled_from(self.triggers), label="trigger")
        username = draw(st.sampled_from(USERNAMES), label="user")
        plausible = draw(st.booleans(), label="plausible data")
        if plausible:
            data, comment = step_data(trigger, random.Random(draw(st.integers(0, 9))), local_today() - timedelta(3),
                                      local_today())
            if trigger == "assign":
                data = {"assignee_id": self.org["users"][draw(st.sampled_from(["tuvan1", "tuvan2", "quynhon"]))]}
            comment = comment or draw(st.sampled_from(["", "Lý do ghi nhận."]))
        else:
            data = draw(st.dictionaries(st.sampled_from(self.fields), BAD_VALUES, max_size=3), label="data")
            comment = draw(st.sampled_from(["", "lý do", "   "]))
        expected = draw(st.sampled_from([None, "current", "stale"]), label="expected_version")

        before = _snapshot(case_id)
        case = db.session.get(Case, case_id)
        actor = self._user(username)
        source = case.state
        version = {"current": case.version, "stale": case.version - 1, None: None}[expected]
        try:
            event = engine.fire(case, trigger, actor, data, comment=comment, expected_version=version)
        except WorkflowError:
            self.refused += 1
            assert _snapshot(case_id) == before, f"refused {trigger} by {username} changed the case"
            return
        self.fired += 1
        (_state, version_before, seq, *_rest), count, _detail = before
        after = _snapshot(case_id)
        assert after[0][2] == seq + 1 and after[1] == count + 1, "one audit event per successful fire"
        assert after[0][1] == version_before + 1
        assert (event.seq, event.trigger, event.from_state) == (seq + 1, trigger, source)
        transition = self.definition.transition(trigger, source)
        assert transition is not None
        assert roles_on(db.session, actor, case.unit) & set(transition.roles), f"{username} may not {trigger}"
        assert expected != "stale"

    @invariant()
    def states_are_valid_and_chains_verify(self):
        for case_id in self.touched:
            case = db.session.get(Case, case_id)
            assert case.state in self.definition.states
            assert (case.closed_dt is not None) == self.definition.is_final(case.state)
            assert verify_case(db.session, AUDIT_KEY.encode(), case) == []


def test_random_fires_keep_the_workflow_invariants(ctx, org):
    run_state_machine_as_test(
        lambda: LegalAidMachine(org),
        settings=settings(max_examples=10, stateful_step_count=20, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck)),
    )
