"""Conflict check at intake: is the employer or the opposing party already a client of the centre, or
linked to a union officer who may handle the case? Shown to the officer before the case is opened."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.i18n import _
from caseflow.core.models import Case, RoleAssignment, Unit, User
from caseflow.core.text import fold
from caseflow.legal_aid.models import LegalAidDetail
from caseflow.reports.models import ConflictLink

#: roles whose holders may end up on a legal-aid case of a unit
OFFICER_ROLES = ("legal_officer", "leader")


@dataclass(frozen=True)
class Conflict:
    kind: str  # "client" | "officer"
    name: str
    message: str


def client_key(name: str | None) -> str | None:
    key = " ".join(fold(name).split())
    return key or None


def find_conflicts(session: Session, unit: Unit, names: list[str | None], limit: int = 10,
                   exclude_case_id: int | None = None) -> list[Conflict]:
    keys = {k: n for n in names if (k := client_key(n))}
    if not keys:
        return []
    found: list[Conflict] = []
    clients = select(Case.code, LegalAidDetail.client_key).join(Case, Case.id == LegalAidDetail.case_id).where(
        LegalAidDetail.client_key.in_(list(keys)))
    if exclude_case_id:
        clients = clients.where(Case.id != exclude_case_id)
    for code, key in session.execute(clients.order_by(Case.code).limit(limit)):
        found.append(Conflict("client", keys[key], _("“%(name)s” is already a client of the centre (case %(code)s).",
                                                     name=keys[key], code=code)))
    # officers holding a role on the unit or one of its ancestors may be put on the case
    ancestors = [int(x) for x in unit.path.strip("/").split("/") if x]
    officers = select(RoleAssignment.user_id).where(RoleAssignment.unit_id.in_(ancestors),
                                                    RoleAssignment.role.in_(OFFICER_ROLES))
    links = select(ConflictLink, User.full_name).join(User, User.id == ConflictLink.user_id).where(
        ConflictLink.name_key.in_(list(keys)), ConflictLink.user_id.in_(officers))
    for link, officer in session.execute(links.limit(limit)):
        found.append(Conflict("officer", keys[link.name_key], _(
            "“%(name)s” is linked to union officer %(officer)s (%(relation)s).", name=keys[link.name_key],
            officer=officer, relation=link.relation or "—")))
    return found
