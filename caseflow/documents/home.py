"""The documents' part of the home page: documents whose next step is the user's (approve, check, sign,
register, seal, dispatch), a signature only where the user holds a signing power for that document and a
seal only for the issuing unit's own clerk (the guards has_signing_power and seal_keeper, asked in SQL)."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import and_, exists, not_, or_

from caseflow.core.clock import local_today
from caseflow.core.models import Case, RoleAssignment
from caseflow.documents.models import DocumentDetail, SigningPower
from caseflow.documents.register import COMMITTEE_BODIES
from caseflow.web.home import waiting_groups
from caseflow.web.homepage import HomeSection, add_section

KIND = "document"


def _refine(user):
    today = local_today()
    committees = list(COMMITTEE_BODIES)
    body = or_(and_(DocumentDetail.issuer_code.in_(committees), SigningPower.issuer_code == DocumentDetail.issuer_code),
               and_(DocumentDetail.issuer_code.not_in(committees), SigningPower.issuer_code.is_(None)))
    can_sign = exists().where(
        DocumentDetail.case_id == Case.id, SigningPower.user_id == user.id,
        SigningPower.unit_id == DocumentDetail.issuing_unit_id, body,
        or_(SigningPower.type_key.is_(None), SigningPower.type_key == DocumentDetail.type_key),
        SigningPower.valid_from_date <= today,
        or_(SigningPower.valid_to_date.is_(None), SigningPower.valid_to_date >= today))
    keeps_seal = exists().where(DocumentDetail.case_id == Case.id, RoleAssignment.user_id == user.id,
                                RoleAssignment.role == "clerk", RoleAssignment.unit_id == DocumentDetail.issuing_unit_id)

    def refine(query):
        return query.where(or_(not_(Case.state.in_(("checked", "registered"))),
                               and_(Case.state == "checked", can_sign),
                               and_(Case.state == "registered", or_(Case.workflow_version == 1, keeps_seal))))
    return refine


def documents_section(user) -> dict | None:
    groups = waiting_groups(user, kinds={KIND}, refine=_refine(user))
    return {"groups": groups} if groups else None


def setup_home(app: Flask) -> None:
    add_section(app, HomeSection("documents", "documents/_home.html", documents_section, order=15))

