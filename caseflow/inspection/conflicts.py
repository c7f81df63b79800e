"""Conflicts of interest (NĐ 31/2019 Art. 10): a user declared conflicted on a case neither sees it nor acts on it.

Registered with the one policy module (caseflow.core.policy) so that every list, search, page and fire obeys it."""
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from caseflow.core import policy
from caseflow.core.engine import get_registry
from caseflow.core.models import Case, User
from caseflow.inspection.models import ConflictDeclaration


def is_conflicted(session: Session, user: User, case_id: int) -> bool:
    return session.scalar(select(exists().where(ConflictDeclaration.case_id == case_id,
                                                ConflictDeclaration.user_id == user.id))) or False


def _hide_conflicted(session: Session, user: User, query):
    return query.where(~exists().where(ConflictDeclaration.case_id == Case.id, ConflictDeclaration.user_id == user.id))


#: id(definition) -> (definition, whether a step of it records conflicts); the definition is held so its id
#: cannot be reused by another
_DECLARING: dict[int, tuple[object, bool]] = {}


def _declares_conflicts(case: Case) -> bool:
    """Declarations are made only by the `record_conflict` effect: a case whose workflow has no such step
    can have none, and is spared the query on every page and fire."""
    definition = get_registry().get(case.workflow, case.workflow_version)
    known = _DECLARING.get(id(definition))
    if known is None or known[0] is not definition:
        declares = any(e.name == "record_conflict" for t in definition.transitions for e in t.effects)
        known = _DECLARING[id(definition)] = (definition, declares)
    return known[1]


def _veto_conflicted(session: Session, user: User, case: Case) -> bool:
    return case.id is None or not _declares_conflicts(case) or not is_conflicted(session, user, case.id)


def register(app) -> None:
    """A user declared conflicted on a case neither sees nor acts on it (this app)."""
    policy.add_rules(app, visibility_filter=_hide_conflicted, case_veto=_veto_conflicted)


def declare(session: Session, case: Case, user_id: int, declared_by: User, reason: str) -> None:
    if session.scalar(select(ConflictDeclaration.id).where(ConflictDeclaration.case_id == case.id,
                                                          ConflictDeclaration.user_id == user_id)) is None:
        session.add(ConflictDeclaration(case_id=case.id, user_id=user_id, declared_by_id=declared_by.id,
                                        reason=reason))
