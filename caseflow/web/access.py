"""Loading cases for a view: out of the user's scope is a 404; personal data masked by role."""
from flask import abort
from flask_login import current_user

from caseflow.extensions import db
from caseflow.models import Case
from caseflow.policy import can_see, roles_on, units_in_scope

#: roles that may see a party's personal data (ID number, phone, address) on cases of their scope
PERSONAL_DATA_ROLES = {"legal_officer", "leader", "inspector"}


def load_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or not can_see(db.session, current_user, case):
        abort(404)
    return case


def sees_personal_data(case: Case) -> bool:
    return bool(PERSONAL_DATA_ROLES & roles_on(db.session, current_user, case.unit))


def mask(value: str | None) -> str:
    if not value:
        return ""
    return "•••" + value[-2:] if len(value) > 4 else "•••"


def intake_units(definition) -> list:
    """The units where the current user may open a case of `definition` (403 when there is none)."""
    units = [u for u in units_in_scope(db.session, current_user)
             if roles_on(db.session, current_user, u).intersection(definition.intake_roles)]
    if not units:
        abort(403)
    return units
