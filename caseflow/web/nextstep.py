"""What comes next on a case and who takes it (the case page's "Bước tiếp theo", the home page's links),
and the procedure's step bar; read from the definition, the user's roles and the case's assignee."""
from __future__ import annotations

from dataclasses import dataclass

from caseflow.core.engine import get_registry
from caseflow.core.i18n import label
from caseflow.core.models import Case, User
from caseflow.core.policy import roles_on
from caseflow.extensions import db
from caseflow.web.labels import role_label


@dataclass(frozen=True)
class NextStep:
    trigger: str
    label: str
    #: who takes it: the named assignee, else the roles and the case's unit
    who: str
    #: whether the current user's role allows it
    mine: bool


def next_steps(case: Case, user: User | None) -> list[NextStep]:
    if case.closed_dt is not None:
        return []
    definition = get_registry().get(case.workflow, case.workflow_version)
    held = roles_on(db.session, user, case.unit) if user is not None else set()
    assignee_roles = roles_on(db.session, case.assignee, case.unit) if case.assignee is not None else set()
    steps = []
    for t in definition.next_steps(case.state):
        if assignee_roles.intersection(t.roles):
            who = case.assignee.full_name
        else:
            who = f"{', '.join(role_label(r) for r in t.roles)} ({case.unit.name})"
        steps.append(NextStep(t.trigger, label(t.label), who, bool(held.intersection(t.roles))))
    return steps


def my_next_step(case: Case, user: User) -> NextStep | None:
    """The first next step `user` may take (the home page's link opens its form)."""
    return next((s for s in next_steps(case, user) if s.mine), None)


@dataclass(frozen=True)
class Stop:
    state: str
    label: str
    #: done (passed), current, or ahead
    status: str


def step_bar(case: Case, passed: set[str]) -> list[Stop]:
    """The procedure's working states in order, then the final state the case reached (or, while open, the
    first final state): passed ones marked, the current one highlighted."""
    definition = get_registry().get(case.workflow, case.workflow_version)
    order = [s for s in definition.step_bar if not definition.is_final(s)]
    finals = [s for s in definition.step_bar if definition.is_final(s)]
    order.append(case.state if definition.is_final(case.state) else finals[0])
    return [Stop(s, label(definition.states[s].label),
                 "current" if s == case.state else ("done" if s in passed else "ahead")) for s in order]
