"""One module decides access: which roles a user holds on a unit, which cases they may see.

A role held on a unit covers that unit and every unit below it (materialised paths)."""
from __future__ import annotations

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from caseflow.core.models import Case, RoleAssignment, Unit, User

#: extra visibility rules other features add: fn(user, query) -> query (e.g. conflicts of interest)
VISIBILITY_FILTERS: list = []
#: extra per-case vetoes: fn(session, user, case) -> bool (False hides the case)
CASE_VETOES: list = []


def role_paths(session: Session, user: User) -> list[tuple[str, str]]:
    """(unit path, role) of every assignment, loaded once per user per request."""
    cache = getattr(user, "_role_paths", None)
    if cache is None:
        cache = session.execute(
            select(Unit.path, RoleAssignment.role).join(RoleAssignment.unit).where(RoleAssignment.user_id == user.id)
        ).all()
        cache = [(p, r) for p, r in cache]
        user._role_paths = cache
    return cache


def roles_on(session: Session, user: User, unit: Unit) -> set[str]:
    return {role for path, role in role_paths(session, user) if unit.path.startswith(path)}


def has_role(session: Session, user: User, role: str, unit: Unit | None = None) -> bool:
    """Any assignment of `role` (on `unit`'s scope, if given)."""
    return any(r == role and (unit is None or unit.path.startswith(p)) for p, r in role_paths(session, user))


def can_see(session: Session, user: User, case: Case) -> bool:
    if not user.active or not roles_on(session, user, case.unit):
        return False
    return all(veto(session, user, case) for veto in CASE_VETOES)


def visible_cases(session: Session, user: User, query: Select | None = None) -> Select:
    """Scope a Case query to what `user` may see; a case outside it is a 404, not a 403."""
    query = query if query is not None else select(Case)
    paths = {p for p, _ in role_paths(session, user)}
    if not paths or not user.active:
        return query.where(False)
    in_scope = exists().where(Unit.id == Case.unit_id, or_(*[Unit.path.startswith(p) for p in sorted(paths)]))
    query = query.where(in_scope)
    for extra in VISIBILITY_FILTERS:
        query = extra(session, user, query)
    return query


def units_in_scope(session: Session, user: User, role: str | None = None) -> list[Unit]:
    """Units where the user holds `role` (any role if None), for choice lists."""
    paths = {p for p, r in role_paths(session, user) if role is None or r == role}
    if not paths:
        return []
    return list(session.scalars(select(Unit).where(or_(*[Unit.path.startswith(p) for p in sorted(paths)]))
                                .order_by(Unit.path)))
