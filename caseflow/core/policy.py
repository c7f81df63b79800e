"""One module decides access: which roles a user holds on a unit, which cases they may see.

Need to know (issue 17): a role sees a procedure's cases only where it works on them. Who works on a
procedure is read from the workflow files themselves (the roles of its transitions); any other reading is an
explicit entry of READ_GRANTS with its reason; nothing else. Documents produced by a case inherit that case's
need to know (a draft decision on a denunciation is an inspection file). A role held on a unit covers that
unit and every unit below it (materialised paths). Every list, search, count, export and page asks
`visible_cases` (one SQL clause) or `can_see` (the same rule on one case: decided in memory on the loaded case
and the user's roles when every feature rule has its one-case form, otherwise by the same SQL clause)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session, aliased

from caseflow.core.memo import kept
from caseflow.core.models import Case, RoleAssignment, Unit, User

EXTENSION = "caseflow.policy"


@dataclass(frozen=True)
class ReadGrant:
    """A role reads cases of a procedure it does not act in, at the units where it holds the role."""

    role: str
    workflow: str
    #: why (the rule or duty behind it): shown nowhere but here, and required
    reason: str
    #: only the documents the procedure's cases produce, not the cases themselves
    documents_only: bool = False


#: every reading that the workflows' own roles do not give. Keep it short: each entry widens need to know.
READ_GRANTS: tuple[ReadGrant, ...] = (
    ReadGrant("clerk", "legal_aid", documents_only=True, reason=(
        "The unit's clerk (văn thư) numbers, registers, seals and dispatches every document the unit issues, "
        "the legal-aid centre's authorisations and advice slips included (Nghị định 30/2020/NĐ-CP, "
        "Điều 15-18 [R]); the clerk reads those documents, never the legal-aid file behind them.")),
)


@dataclass
class FeatureRules:
    """What features add to the need-to-know rule, per app (e.g. the inspection committee's conflicts)."""

    #: fn(session, user, query) -> query: narrows the cases a user may see
    visibility_filters: list[Callable] = field(default_factory=list)
    #: fn(session, user, case) -> bool: False hides the case
    case_vetoes: list[Callable] = field(default_factory=list)
    #: case kind -> fn(case_entity) -> correlated scalar SQL of the parent case's id (NULL: no parent):
    #: a case of that kind is read as its parent is (documents inherit the case that produced them)
    parents: dict[str, Callable] = field(default_factory=dict)
    #: case kind -> fn(session, case) -> the parent case's id or None: the same as `parents`, on one loaded case
    case_parents: dict[str, Callable] = field(default_factory=dict)
    #: every visibility filter came with a case veto saying the same of one case, and every parent with its
    #: one-case form: can_see decides in memory (False: a feature's rule exists only as SQL, can_see asks it)
    in_memory: bool = True


def feature_rules(app: Flask | None = None) -> FeatureRules:
    if app is None:
        if not has_app_context():
            return FeatureRules()
        app = current_app
    return app.extensions.setdefault(EXTENSION, FeatureRules())


def add_rules(app: Flask, *, visibility_filter: Callable | None = None, case_veto: Callable | None = None,
              parent: tuple[str, Callable] | tuple[str, Callable, Callable] | None = None) -> None:
    """A feature's setup narrows access for this app (never widens it); `parent` = (kind, fn[, case_fn]) makes
    cases of `kind` inherit their parent case's need to know.

    A `visibility_filter` given with its `case_veto` promises that the veto says of one loaded case what the
    filter says in SQL (tests/test_policy_in_memory.py holds every feature to it), and `case_fn(session, case)`
    gives the parent's id as `fn` does in SQL: can_see then decides in memory, with no query per fire. A filter
    without its veto, or a parent without its case_fn, makes can_see ask the SQL clause."""
    rules = feature_rules(app)
    if visibility_filter is not None and visibility_filter not in rules.visibility_filters:
        rules.visibility_filters.append(visibility_filter)
        if case_veto is None:
            rules.in_memory = False
    if case_veto is not None and case_veto not in rules.case_vetoes:
        rules.case_vetoes.append(case_veto)
    if parent is not None:
        rules.parents[parent[0]] = parent[1]
        if len(parent) > 2:
            rules.case_parents[parent[0]] = parent[2]
        else:
            rules.in_memory = False


# --- the policy data ----------------------------------------------------------------------------------
def workflow_roles(definitions) -> dict[str, set[str]]:
    """workflow name -> the roles of its transitions, over all its versions (who acts in the procedure)."""
    acting: dict[str, set[str]] = {}
    for definition in definitions:
        roles = acting.setdefault(definition.name, set())
        for transition in definition.transitions:
            roles.update(transition.roles)
    return acting


def read_table(definitions, grants=READ_GRANTS) -> dict[str, dict[str, set[str]]]:
    """workflow -> {"cases": roles reading its cases, "documents": roles reading only its documents}:
    the whole policy as data (the authorisation table test derives its expectations from it)."""
    table = {name: {"cases": set(roles), "documents": set()} for name, roles in workflow_roles(definitions).items()}
    for grant in grants:
        entry = table.setdefault(grant.workflow, {"cases": set(), "documents": set()})
        entry["documents" if grant.documents_only else "cases"].add(grant.role)
    return table


def _current_table() -> dict[str, dict[str, set[str]]]:
    from caseflow.core.engine.state import get_registry  # the engine imports this module

    registry = get_registry()
    key = (id(registry), len(registry.definitions))
    cached = getattr(registry, "_read_table", None)
    if cached is None or cached[0] != key:
        cached = (key, read_table(registry))
        registry._read_table = cached
    return cached[1]


# --- roles held ---------------------------------------------------------------------------------------
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


def user_with_role_paths(session: Session, user_id: int) -> User | None:
    """The signed-in user and their role paths in one statement (every signed-in request loads both):
    the user LEFT JOIN its assignments and their units; primes role_paths()'s per-request cache."""
    rows = session.execute(
        select(User, Unit.path, RoleAssignment.role)
        .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
        .outerjoin(Unit, Unit.id == RoleAssignment.unit_id)
        .where(User.id == user_id)
    ).all()
    if not rows:
        return None
    user = rows[0][0]
    user._role_paths = [(p, r) for _u, p, r in rows if r is not None and p is not None]
    return user


def roles_on(session: Session, user: User, unit: Unit) -> set[str]:
    return {role for path, role in role_paths(session, user) if unit.path.startswith(path)}


def has_role(session: Session, user: User, role: str, unit: Unit | None = None) -> bool:
    """Any assignment of `role` (on `unit`'s scope, if given)."""
    return any(r == role and (unit is None or unit.path.startswith(p)) for p, r in role_paths(session, user))


# --- the one scope clause -----------------------------------------------------------------------------
def reading_paths(session: Session, user: User, which: str = "cases") -> dict[str, set[str]]:
    """workflow -> unit paths under which `user` reads its cases (or, which="documents", only its documents)."""
    table = _current_table()
    held = role_paths(session, user)
    cache = getattr(user, "_reading_paths", None)  # with the role paths, once per user per request
    if cache is None or cache[0] is not table or cache[1] is not held:
        cache = user._reading_paths = (table, held, {})
    readable = cache[2].get(which)
    if readable is None:
        readable = cache[2][which] = {name: paths for name, entry in table.items()
                                      if (paths := {p for p, r in held if r in entry[which]})}
    return readable


def _under(case, paths: set[str]) -> ColumnElement:
    """The case's unit lies under one of `paths`: `unit_id IN (units under them)`, an uncorrelated subquery of
    the small units table that both planners evaluate once per statement (a correlated EXISTS ran once per
    case row, and kept an index on unit_id from serving the list's filters)."""
    # correlate(None): a query that joins units itself must not turn this subquery into a test of its own row
    return case.unit_id.in_(select(Unit.id).where(or_(*[Unit.path.startswith(p) for p in sorted(paths)]))
                            .correlate(None))


def _by_workflow(case, readable: dict[str, set[str]]) -> ColumnElement:
    """OR over groups of workflows read under the same paths: workflow IN (...) AND unit under a path."""
    groups: dict[frozenset, list[str]] = {}
    for name, paths in readable.items():
        groups.setdefault(frozenset(paths), []).append(name)
    if not groups:
        return false()
    return or_(*[and_(case.workflow.in_(sorted(names)), _under(case, set(paths)))
                 for paths, names in sorted(groups.items(), key=lambda g: sorted(g[1]))])


def scope_clause(session: Session, user: User, case=Case) -> ColumnElement:
    """The need-to-know rule as one SQL condition on `case` (the Case entity or an alias)."""
    if not user.active:
        return false()
    own = _by_workflow(case, reading_paths(session, user))
    parents = feature_rules().parents
    if not parents:
        return own
    parent_case = aliased(Case)
    documents = reading_paths(session, user, "documents")
    clauses = [and_(case.kind.not_in(sorted(parents)), own)]
    for kind, parent_of in sorted(parents.items()):
        parent_id = parent_of(case)
        # correlated EXISTS on the parent's primary key, asked only of rows of this kind: `parent_id IN
        # (SELECT id FROM cases WHERE ...)` made both databases read the whole cases table once per statement
        inherited = exists().where(parent_case.id == parent_id,
                                   _by_workflow(parent_case, reading_paths(session, user)))
        # the parent's workflow as a scalar read by key: as an EXISTS, PostgreSQL hashed every case of that
        # workflow (190,000 legal-aid ids for a clerk's count) instead of looking the one parent up
        parent_workflow = select(parent_case.workflow).where(parent_case.id == parent_id).scalar_subquery()
        only_documents = [and_(parent_workflow == name, _under(case, paths)) for name, paths in sorted(documents.items())]
        clauses.append(and_(case.kind == kind, or_(and_(parent_id.is_(None), own), inherited, *only_documents)))
    return or_(*clauses)


def visible_cases(session: Session, user: User, query: Select | None = None) -> Select:
    """Scope a Case query to what `user` needs to know; a case outside it is a 404, not a 403."""
    query = query if query is not None else select(Case)
    if not user.active or not role_paths(session, user):
        return query.where(false())
    clause = _visible_clause(session, user)
    if clause is not None:
        return query.where(clause)
    query = query.where(scope_clause(session, user))
    for extra in feature_rules().visibility_filters:
        query = extra(session, user, query)
    return query


#: at most this many users' clauses are kept per app (a clause is a few kB of SQL expression)
CLAUSES_KEPT = 512


def _visible_clause(session: Session, user: User) -> ColumnElement | None:
    """The whole visibility condition of `user` (scope clause and the features' filters) as one SQL
    expression, built once per user, roles held and definitions, then reused by every request: building it
    cost more than running it (~0.3 ms of SQLAlchemy constructs per list, page and fire). The values it binds
    are the user's id and role paths, both in the key; what changes in the tables (a conflict declared, a
    document made secret) is read by the SQL itself. None when a feature's filter adds anything but a WHERE
    condition on cases (then applied per query, as before)."""
    from caseflow.core.engine.state import get_registry  # the engine imports this module

    rules = feature_rules()
    registry = get_registry()
    key = (user.id, tuple(sorted(role_paths(session, user))), id(registry), len(registry.definitions))

    def build() -> ColumnElement | None:
        probe = select(Case.id).where(scope_clause(session, user))
        for extra in rules.visibility_filters:
            probe = extra(session, user, probe)
        froms = probe.get_final_froms()
        return probe.whereclause if len(froms) == 1 and froms[0] is Case.__table__ else None

    return kept(rules.__dict__.setdefault("_visible_clauses", {}), key, build, CLAUSES_KEPT)


def _reads(readable: dict[str, set[str]], workflow: str, path: str) -> bool:
    return any(path.startswith(p) for p in readable.get(workflow, ()))


def _in_scope(session: Session, user: User, case: Case, rules: FeatureRules) -> bool:
    """scope_clause, decided on one loaded case (its unit's path, and its parent's for a kind that has one)."""
    own = _reads(reading_paths(session, user), case.workflow, case.unit.path)
    parent_of = rules.case_parents.get(case.kind) if case.kind in rules.parents else None
    if parent_of is None:
        return own
    parent_id = parent_of(session, case)
    if parent_id is None:
        return own
    with session.no_autoflush:
        parent = session.get(Case, parent_id)
    if parent is None:
        return False
    return (_reads(reading_paths(session, user), parent.workflow, parent.unit.path)
            or _reads(reading_paths(session, user, "documents"), parent.workflow, case.unit.path))


def can_see(session: Session, user: User, case: Case) -> bool:
    """The same rule, asked of one case: in memory on the loaded case and the user's roles (a fire asks it
    each time, and a query built and run for it cost more than the rest of the fire), or by the SQL clause
    when a feature's rule exists only as SQL."""
    if case.id is None or not user.active or not role_paths(session, user):
        return False
    rules = feature_rules()
    if rules.in_memory:
        if not _in_scope(session, user, case, rules):
            return False
    elif not can_see_by_query(session, user, case):
        return False
    return all(veto(session, user, case) for veto in rules.case_vetoes)


def can_see_by_query(session: Session, user: User, case: Case) -> bool:
    """visible_cases asked of one case id, in the database (the reference the in-memory rule must match)."""
    if case.id is None or not user.active or not role_paths(session, user):
        return False
    return bool(session.scalar(select(visible_cases(session, user, select(Case.id).where(Case.id == case.id))
                                      .exists())))


def units_in_scope(session: Session, user: User, role: str | None = None) -> list[Unit]:
    """Units where the user holds `role` (any role if None), for choice lists."""
    paths = {p for p, r in role_paths(session, user) if role is None or r == role}
    if not paths:
        return []
    return list(session.scalars(select(Unit).where(or_(*[Unit.path.startswith(p) for p in sorted(paths)]))
                                .order_by(Unit.path)))


# --- administration: an admin manages the users of his units ------------------------------------------
def admin_paths(session: Session, user: User) -> set[str]:
    """Unit paths where `user` is an admin: he manages the units below them and the users whose roles lie there."""
    return {p for p, r in role_paths(session, user) if r == "admin"} if user.active else set()


def managed_users(session: Session, admin: User, query: Select | None = None) -> Select:
    """Users every one of whose roles lies within one of `admin`'s units (a district's admin cannot reach the
    province's officers, nor its admin). A user holding no role is any admin's to take in."""
    query = query if query is not None else select(User)
    paths = admin_paths(session, admin)
    if not paths:
        return query.where(false())
    outside = select(RoleAssignment.id).join(Unit, Unit.id == RoleAssignment.unit_id).where(
        RoleAssignment.user_id == User.id, ~or_(*[Unit.path.startswith(p) for p in sorted(paths)]))
    return query.where(~outside.exists())


def manages(session: Session, admin: User, target: User) -> bool:
    return session.scalar(select(managed_users(session, admin, select(User.id)).where(User.id == target.id)
                                 .exists())) or False


def managed_units(session: Session, admin: User) -> list[Unit]:
    """The units where `admin` may place a role."""
    return units_in_scope(session, admin, "admin")


# --- a planner hint for narrow scopes ------------------------------------------------------------------
#: seconds a process keeps the cases' count per workflow
SHARES_KEPT_S = 300
#: (engine id) -> (monotonic time, {workflow: cases}, total)
_SHARES: dict[int, tuple[float, dict[str, int], int]] = {}


def workflow_counts(session: Session) -> tuple[dict[str, int], int]:
    """Cases per workflow (one GROUP BY over ix_cases_workflow_updated, kept SHARES_KEPT_S per process): only
    to judge how narrow a scope is, never shown."""
    import time

    from sqlalchemy import func

    key = id(session.get_bind())
    kept = _SHARES.get(key)
    if kept is None or time.monotonic() - kept[0] > SHARES_KEPT_S:
        counts = dict(session.execute(select(Case.workflow, func.count()).group_by(Case.workflow)).all())
        kept = _SHARES[key] = (time.monotonic(), counts, sum(counts.values()))
    return kept[1], kept[2]


def narrow_scope(session: Session, user: User, share: float = 0.1) -> ColumnElement | None:
    """For a user who reads a small share of the cases (an inspector: the inspection committee's files; a
    clerk: letters and documents), a condition implied by the scope clause that an index can serve:
    `workflow IN (the workflows read, and those of the kinds read through a parent)`. Both planners then read
    those rows by index and sort them, instead of walking the whole table in the list's order testing the
    clause on each row (whose top-level OR no index serves). None when the scope is wide."""
    if not user.active:
        return None
    parents = sorted(feature_rules().parents)
    # documents-only readings (READ_GRANTS) reach rows of the parent kinds alone: `kind IN parents` covers them
    workflows = set(reading_paths(session, user))
    counts, total = workflow_counts(session)
    if not total:
        return None
    # a case's kind is its workflow's: the parent kinds' rows are those of their workflows (one IN, no OR,
    # so that one index serves it)
    workflows |= {w for w in counts if _kind_of(w) in parents}
    if sum(counts.get(w, 0) for w in workflows) > share * total:
        return None
    return Case.workflow.in_(sorted(workflows)) if workflows else false()


def _kind_of(workflow: str) -> str | None:
    from caseflow.core.engine.state import get_registry  # the engine imports this module

    registry = get_registry()
    try:
        return registry.get(workflow).kind
    except KeyError:
        return None
