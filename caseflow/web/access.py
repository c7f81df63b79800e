"""Loading cases for a view (out of the user's scope is a 404), pages for given roles (else 403), and
personal data masked by role."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from caseflow.core.models import Case
from caseflow.core.policy import can_see, has_role, roles_on, units_in_scope
from caseflow.extensions import db

#: roles that may see a party's personal data (ID number, phone, address) on cases of their scope
PERSONAL_DATA_ROLES = {"legal_officer", "leader", "inspector"}


def load_case(case_id: int) -> Case:
    # with its unit and assignee (every case page shows them): one statement, not three
    case = db.session.get(Case, case_id, options=[joinedload(Case.unit), joinedload(Case.assignee)])
    if case is None or not can_see(db.session, current_user, case):
        abort(404)
    return case


def holds_any_role(user, roles) -> bool:
    """Whether `user` (signed in) holds one of `roles` on some unit."""
    return bool(getattr(user, "is_authenticated", False)) and any(has_role(db.session, user, r) for r in roles)


def role_required(*roles: str):
    """A page for the holders of one of `roles`: sign-in first, then 403 for anyone else."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not holds_any_role(current_user, roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


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
