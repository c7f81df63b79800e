"""One module decides access: which roles a user holds on a unit, which cases they may see.

A role held on a unit covers that unit and every unit below it (materialised paths)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from caseflow.core.models import Case, RoleAssignment, Unit, User

EXTENSION = "caseflow.policy"


@dataclass
class FeatureRules:
    """What features add to the unit rule, per app (e.g. the inspection committee's conflicts of interest)."""

    #: fn(session, user, query) -> query: narrows the cases a user may see
    visibility_filters: list[Callable] = field(default_factory=list)
    #: fn(session, user, case) -> bool: False hides the case
    case_vetoes: list[Callable] = field(default_factory=list)


def feature_rules(app: Flask | None = None) -> FeatureRules:
    if app is None:
        if not has_app_context():
            return FeatureRules()
        app = current_app
    return app.extensions.setdefault(EXTENSION, FeatureRules())


def add_rules(app: Flask, *, visibility_filter: Callable | None = None, case_veto: Callable | None = None) -> None:
    """A feature's setup narrows access for this app (never widens it)."""
    rules = feature_rules(app)
    if visibility_filter is not None and visibility_filter not in rules.visibility_filters:
        rules.visibility_filters.append(visibility_filter)
    if case_veto is not None and case_veto not in rules.case_vetoes:
        rules.case_vetoes.append(case_veto)


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
    return all(veto(session, user, case) for veto in feature_rules().case_vetoes)


def visible_cases(session: Session, user: User, query: Select | None = None) -> Select:
    """Scope a Case query to what `user` may see; a case outside it is a 404, not a 403."""
    query = query if query is not None else select(Case)
    paths = {p for p, _ in role_paths(session, user)}
    if not paths or not user.active:
        return query.where(False)
    in_scope = exists().where(Unit.id == Case.unit_id, or_(*[Unit.path.startswith(p) for p in sorted(paths)]))
    query = query.where(in_scope)
    for extra in feature_rules().visibility_filters:
        query = extra(session, user, query)
    return query


def units_in_scope(session: Session, user: User, role: str | None = None) -> list[Unit]:
    """Units where the user holds `role` (any role if None), for choice lists."""
    paths = {p for p, r in role_paths(session, user) if role is None or r == role}
    if not paths:
        return []
    return list(session.scalars(select(Unit).where(or_(*[Unit.path.startswith(p) for p in sorted(paths)]))
                                .order_by(Unit.path)))
