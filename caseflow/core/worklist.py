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
    by_role = waiting_states(definitions)
    kind_of = {(d.name, d.version): d.kind for d in definitions}
    held: dict[str, set[str]] = {}
    for path, role in role_paths(session, user):
        held.setdefault(role, set()).add(path)
    clauses = []
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
            clause = and_(Case.workflow == workflow, Case.workflow_version == version, Case.state.in_(sorted(states)))
            if role in assignee_roles.get(kind_of[(workflow, version)], ()):
                clause = and_(clause, or_(Case.assignee_id.is_(None), Case.assignee_id == user.id))
            per_workflow.append(clause)
        clauses.append(and_(in_units, or_(*per_workflow)))
    return or_(*clauses) if clauses else None


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
    count: int
    #: the oldest cases first (received first), at most the page's share
    cases: list[Case]


def oldest_per_workflow(session: Session, query: Select, per_group: int) -> list[Group]:
    """Counts per workflow, and each workflow's `per_group` oldest cases: two queries, whatever the count."""
    counts = dict(session.execute(query.with_only_columns(Case.workflow, func.count(Case.id))
                                  .group_by(Case.workflow)).all())
    if not counts:
        return []
    rank = func.row_number().over(partition_by=Case.workflow, order_by=(Case.received_date, Case.id)).label("rank")
    ranked = query.with_only_columns(Case.id, rank).subquery()
    rows = session.scalars(select(Case).where(Case.id.in_(select(ranked.c.id).where(ranked.c.rank <= per_group)))
                           .options(selectinload(Case.unit), selectinload(Case.assignee))
                           .order_by(Case.received_date, Case.id)).all()
    groups = {w: Group(w, n, []) for w, n in counts.items()}
    for case in rows:
        groups[case.workflow].cases.append(case)
    return sorted(groups.values(), key=lambda g: (g.cases[0].received_date if g.cases else None, g.workflow))
