"""Creating users and their role assignments, with clear errors."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.models import ROLES, RoleAssignment, Unit, User
from caseflow.core.text import nfc


class AccountError(ValueError):
    pass


def parse_role(session: Session, spec: str) -> tuple[str, Unit]:
    role, sep, unit_code = spec.partition("@")
    if not sep or role not in ROLES:
        raise AccountError(f"bad role '{spec}': expected role@UNIT_CODE with role one of {', '.join(ROLES)}")
    unit = session.scalar(select(Unit).where(Unit.code == nfc(unit_code)))
    if unit is None:
        raise AccountError(f"unknown unit code '{unit_code}'")
    return role, unit


def create_user(session: Session, username: str, full_name: str, password: str, roles=()) -> User:
    username = username.strip()
    if not username or len(username) > 80:
        raise AccountError("a username has 1 to 80 characters")
    if len(password) < 8:
        raise AccountError("a password has at least 8 characters")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"user '{username}' already exists")
    user = User(username=username, full_name=nfc(full_name), password_hash="")
    user.set_password(password)
    for spec in roles:
        role, unit = parse_role(session, spec)
        user.roles.append(RoleAssignment(role=role, unit=unit))
    session.add(user)
    session.commit()
    return user
