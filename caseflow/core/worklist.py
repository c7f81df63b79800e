"""Cases waiting for a user: those whose next step (Definition.next_steps) a role the user holds on the
case's unit may take, found in SQL from the definitions (never by loading cases to ask the engine one by one).

A case handed to a named assignee waits for that person alone among the holders of the assignee's roles
(a leader still sees the assigned case that waits for the leader's approval)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from caseflow.core.models import Case, Unit, User
from caseflow.core.policy import role_paths, visible_cases
from caseflow.web.pager import COUNT_CAP


def waiting_states(definitions: Iterable) -> dict[str, dict[tuple[str, int, str], set[str]]]:
    """role -> {(workflow, version, state) whose next step that role takes: the roles of those steps}."""
    out: dict[str, dict[tuple[str, int, str], set[str]]] = {}
    for d in definitions:
        for state, spec in d.states.items():
            if spec.final:
                continue
            for t in d.next_steps(state):
                for role in t.roles:
                    out.setdefault(role, {}).setdefault((d.name, d.version, state), set()).add(t.trigger)
    return out


def _waiting_condition(session: Session, user: User, definitions: list, assignee_roles: Mapping[str, tuple],
                       kinds: set[str] | None, exclude_kinds: set[str]):
    condition, _workflows = _waiting_parts(session, user, definitions, assignee_roles, kinds, exclude_kinds)
    return condition


def _waiting_parts(session: Session, user: User, definitions: list, assignee_roles: Mapping[str, tuple],
                   kinds: set[str] | None, exclude_kinds: set[str]):
    """The waiting condition and the workflows it names (the groups the home page may show)."""
    by_role = waiting_states(definitions)
    kind_of = {(d.name, d.version): d.kind for d in definitions}
    held: dict[str, set[str]] = {}
    for path, role in role_paths(session, user):
        held.setdefault(role, set()).add(path)
    clauses = []
    workflows: set[str] = set()
    for role, paths in sorted(held.items()):
        grouped: dict[tuple[str, int], list[str]] = {}
        for (workflow, version, state) in by_role.get(role, {}):
            kind = kind_of[(workflow, version)]
            if (kinds is None or kind in kinds) and kind not in exclude_kinds:
                grouped.setdefault((workflow, version), []).append(state)
        if not grouped:
            continue
        in_units = Case.unit_id.in_(select(Unit.id).where(or_(*[Unit.path.startswith(p) for p in sorted(paths)])))
        per_workflow = []
        for (workflow, version), states in sorted(grouped.items()):
            workflows.add(workflow)
            clause = and_(Case.workflow == workflow, Case.workflow_version == version, Case.state.in_(sorted(states)))
            if role in assignee_roles.get(kind_of[(workflow, version)], ()):
                clause = and_(clause, or_(Case.assignee_id.is_(None), Case.assignee_id == user.id))
            per_workflow.append(clause)
        clauses.append(and_(in_units, or_(*per_workflow)))
    return (or_(*clauses) if clauses else None), workflows


def waiting_workflows(session: Session, user: User, definitions: list, *, assignee_roles: Mapping[str, tuple],
                      kinds: set[str] | None = None, exclude_kinds: Iterable[str] = ()) -> list[str]:
    """The workflows waiting_query's condition names: the only ones whose cases can wait for the user."""
    _condition, workflows = _waiting_parts(session, user, definitions, assignee_roles, kinds, set(exclude_kinds))
    return sorted(workflows)


def waiting_query(session: Session, user: User, definitions: list, *, assignee_roles: Mapping[str, tuple],
                  kinds: set[str] | None = None, exclude_kinds: Iterable[str] = ()) -> Select | None:
    """Open cases the user may see and whose next step a role of theirs takes (None: there can be none)."""
    condition = _waiting_condition(session, user, definitions, assignee_roles, kinds, set(exclude_kinds))
    if condition is None or not user.active:
        return None
    return visible_cases(session, user, select(Case).where(Case.closed_dt.is_(None), condition))


@dataclass
class Group:
    workflow: str
    #: the waiting cases counted, at most the cap (exact when not `more`)
    count: int
    #: the oldest cases first (received first), at most the page's share
    cases: list[Case]
    #: more cases wait than were counted
    more: bool = False

    @property
    def count_label(self) -> str:
        shown = f"{self.count:,}".replace(",", ".")
        return shown + "+" if self.more else shown


def oldest_per_workflow(session: Session, query: Select, per_group: int, workflows: Iterable[str],
                        cap: int = COUNT_CAP) -> list[Group]:
    """Each workflow's `per_group` oldest cases and its count up to `cap` ("1.000+" beyond, as the case list):
    per workflow one LIMIT-ed statement read in ix_cases_workflow_open's order (workflow, open, received_date,
    id), and a count only when the group is fuller than its share. The work is bounded by the rows shown and
    the cap, not by the cases that wait (issue 12: a legal officer with 10,000 waiting cases counted and ranked
    them all on each view)."""
    groups = []
    for workflow in workflows:
        in_workflow = query.where(Case.workflow == workflow)
        rows = list(session.scalars(in_workflow.options(selectinload(Case.unit), selectinload(Case.assignee))
                                    .order_by(Case.received_date, Case.id).limit(per_group + 1)))
        if not rows:
            continue
        if len(rows) <= per_group:
            groups.append(Group(workflow, len(rows), rows))
            continue
        counted = session.scalar(select(func.count()).select_from(
            in_workflow.with_only_columns(Case.id).order_by(Case.received_date, Case.id).limit(cap + 1)
            .subquery())) or 0
        groups.append(Group(workflow, min(counted, cap), rows[:per_group], more=counted > cap))
    return sorted(groups, key=lambda g: (g.cases[0].received_date, g.workflow))
