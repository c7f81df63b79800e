"""Loading cases for a view: out of the user's scope is a 404; personal data masked by role."""
from flask import abort
from flask_login import current_user

from caseflow.extensions import db
from caseflow.models import Case
from caseflow.policy import can_see, roles_on

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
