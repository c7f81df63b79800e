"""Opening a case from the portal, through the engine, as the desk would: a legal-aid intake in the chosen
unit's queue, or a letter at the inspection committee's desk of the province (classified there as today).

The engine needs an actor: the portal's own service account (no password anyone knows, one clerk role on
the top of the unit's tree), so that every audit event says the matter came in through the portal."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.i18n import label
from caseflow.core.models import Case, RoleAssignment, Unit, User, utcnow
from caseflow.portal import codes
from caseflow.portal.files import CheckedFile, store
from caseflow.portal.models import PortalSubmission

#: the service account the portal acts as (the audit trail names it as the actor of every intake)
PORTAL_USERNAME = "cong-khai"
PORTAL_FULL_NAME = "Cổng tiếp nhận trực tuyến"
#: the role it holds: the intake role both workflows give the desk's clerk
PORTAL_ROLE = "clerk"
#: the intake channel recorded on the case (legal_aid.yaml and letter_intake.yaml list it)
CHANNEL = "portal"
#: units a person can choose as where they work: the province and the unions directly above the CĐCS
RECEIVING_KINDS = ("provincial", "superior")


@dataclass(frozen=True)
class Receipt:
    """What the sender is shown once: the code, and the case it opened."""
    code: str
    submission_id: int
    case_code: str


def receiving_units(session: Session) -> list[Unit]:
    today = local_today()
    return list(session.scalars(select(Unit).where(
        Unit.kind.in_(RECEIVING_KINDS), or_(Unit.effective_to_date.is_(None), Unit.effective_to_date >= today))
        .order_by(Unit.path)))


def province_of(session: Session, unit: Unit) -> Unit:
    """The provincial federation above (or at) `unit`: its inspection committee receives the letters."""
    ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    for row in session.scalars(select(Unit).where(Unit.id.in_(ids))):
        if row.kind == "provincial":
            return row
    return unit


def portal_actor(session: Session, unit: Unit) -> User:
    """The portal's service account, with the clerk role on the root of `unit`'s tree (made on first use)."""
    root_id = int(unit.path.strip("/").split("/")[0])
    user = session.scalar(select(User).where(User.username == PORTAL_USERNAME))
    if user is None:
        user = User(username=PORTAL_USERNAME, full_name=PORTAL_FULL_NAME, password_hash="")
        user.set_password(secrets.token_urlsafe(32))  # never told to anyone: nobody signs in as the portal
        session.add(user)
        try:
            session.flush()
        except IntegrityError:  # another request made it meanwhile
            session.rollback()
            return portal_actor(session, unit)
    if not any(r.role == PORTAL_ROLE and r.unit_id == root_id for r in user.roles):
        user.roles.append(RoleAssignment(role=PORTAL_ROLE, unit_id=root_id))
        session.flush()
        user._role_paths = None  # the policy's per-request cache
    return user


def _record(session: Session, case: Case, kind: str, pepper: str, method: str, actor: User, files: list[CheckedFile],
            storage_dir: str, *, letter_type: str | None = None, anonymous: bool = False) -> Receipt:
    """The submission row (look-up part + slow hash) and the files; committed with them."""
    code, lookup, secret_hash = codes.issue(session, pepper, method)
    row = PortalSubmission(case_id=case.id, kind=kind, letter_type=letter_type, anonymous=anonymous, lookup=lookup,
                           secret_hash=secret_hash, created_dt=utcnow())
    session.add(row)
    session.flush()
    from caseflow.portal.thread import add_file_message

    for checked in files:
        add_file_message(session, row, case, store(session, storage_dir, case, checked, actor), checked, actor)
    session.commit()
    return Receipt(code, row.id, case.code)


def submit_legal_help(session: Session, unit: Unit, person: dict, data: dict, title_need: str, files, *,
                      pepper: str, method: str, storage_dir: str) -> Receipt:
    """A legal-aid intake case (workflows/legal_aid/legal_aid.yaml) with the person as its party."""
    actor = portal_actor(session, unit)
    definition = get_registry().get("legal_aid")
    field = next(f for f in definition.intake_fields if f.name == "dispute_type")
    dispute = label(field.choices.get(data.get("dispute_type"), {"vi": ""}), "vi")
    party = {"role": "worker", "kind": "person", "confidential": False, **person}
    case = engine.open_case(session, "legal_aid", unit, actor, {**data, "channel": CHANNEL},
                            title=f"{person['full_name'].strip()} – {dispute or title_need}", parties=[party],
                            received_date=local_today(), commit=False)
    return _record(session, case, "legal_aid", pepper, method, actor, files, storage_dir)


def submit_letter(session: Session, unit: Unit, letter_type: str, title: str, sender: dict | None, content: str,
                  files, *, signed: bool, pepper: str, method: str, storage_dir: str) -> Receipt:
    """A letter at the province's inspection desk (letter_intake.yaml); the sender straight into the
    protected identities by the intake's own effect, never into the case file."""
    desk_unit = province_of(session, unit)
    actor = portal_actor(session, desk_unit)
    data = {"channel": CHANNEL, "letter_date": local_today(), "signed": signed, "foreign_language": False,
            "content": content}
    for key in ("name", "address", "phone", "email", "id_number"):
        data[f"sender_{key}"] = (sender or {}).get(key) or None
    case = engine.open_case(session, "letter_intake", desk_unit, actor, data, title=title,
                            received_date=local_today(), commit=False)
    return _record(session, case, "letter", pepper, method, actor, files, storage_dir, letter_type=letter_type,
                   anonymous=not (sender or {}).get("name"))
