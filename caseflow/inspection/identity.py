"""The protected identity of a sender or denouncer (Luật Tố cáo 2018, Arts. 9(1)(b), 47(2), 56).

It is stored apart from the case file; a handler reads it only with an explicit grant on that case,
given (with a reason) by a leader; every grant, revocation and view is appended to identity_access_log.
Nothing here logs or returns identity data except `view()`, for the holder of a grant."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core import adminlog
from caseflow.core.engine.errors import InvalidInput, NotPermitted
from caseflow.core.i18n import _
from caseflow.core.models import Case, User, utcnow
from caseflow.core.policy import can_see, roles_on
from caseflow.core.text import fold, nfc
from caseflow.inspection.models import IdentityAccessLog, IdentityGrant, ProtectedIdentity, ProtectedScan

#: who may be given a grant, and who may give one
GRANTEE_ROLES = {"inspector", "leader"}
GRANTOR_ROLES = {"leader"}
PROTECTED_KINDS = ("letter", "denunciation")


@dataclass(frozen=True)
class IdentityView:
    """Plain data for the one page that shows an identity (never an ORM object in a template)."""
    role: str
    full_name: str
    address: str
    phone: str
    email: str
    id_number: str


def active_grant(session: Session, case_id: int, user_id: int) -> IdentityGrant | None:
    return session.scalar(select(IdentityGrant).where(
        IdentityGrant.case_id == case_id, IdentityGrant.user_id == user_id, IdentityGrant.revoked_dt.is_(None)))


def has_grant(session: Session, case: Case, user: User) -> bool:
    return can_see(session, user, case) and active_grant(session, case.id, user.id) is not None


def can_grant(session: Session, case: Case, user: User) -> bool:
    return can_see(session, user, case) and bool(GRANTOR_ROLES & roles_on(session, user, case.unit))


def identity_count(session: Session, case_id: int) -> int:
    return len(session.scalars(select(ProtectedIdentity.id).where(ProtectedIdentity.case_id == case_id)).all())


def scan_list(session: Session, case_id: int) -> list[tuple[int, str]]:
    """(id, filename) of the protected scans; the file names are the uploader's, shown only with a grant."""
    return [(i, n) for i, n in session.execute(select(ProtectedScan.id, ProtectedScan.filename)
                                               .where(ProtectedScan.case_id == case_id)
                                               .order_by(ProtectedScan.id))]


def _log(session: Session, case: Case, action: str, actor: User, subject: User | None = None,
         reason: str = "") -> None:
    session.add(IdentityAccessLog(case_id=case.id, action=action, actor_id=actor.id,
                                  subject_user_id=subject.id if subject else None, reason=reason,
                                  created_dt=utcnow()))


def grant(session: Session, case: Case, actor: User, grantee: User, reason: str) -> IdentityGrant:
    reason = nfc(reason)
    if not can_grant(session, case, actor):
        raise NotPermitted(_("Only a leader of this unit may grant access to the protected identity."))
    if not reason:
        raise InvalidInput(_("Some fields are not valid."), {"reason": _("Please give a reason.")})
    if not grantee.active or not can_see(session, grantee, case) or \
            not GRANTEE_ROLES & roles_on(session, grantee, case.unit):
        raise InvalidInput(_("Some fields are not valid."), {
            "user_id": _("Only an inspector or leader of this unit who may see the case can be granted access.")})
    existing = active_grant(session, case.id, grantee.id)
    if existing is not None:
        return existing
    row = IdentityGrant(case_id=case.id, user_id=grantee.id, granted_by_id=actor.id, reason=reason,
                        granted_dt=utcnow())
    session.add(row)
    _log(session, case, "grant", actor, grantee, reason)
    # the admin log says who may now read an identity, not why (the reason stays in identity_access_log)
    adminlog.record(session, "identity_grant", actor_id=actor.id, subject_user_id=grantee.id,
                    payload={"case": case.code})
    session.commit()
    return row


def revoke(session: Session, case: Case, actor: User, grant_id: int, reason: str) -> None:
    reason = nfc(reason)
    if not can_grant(session, case, actor):
        raise NotPermitted(_("Only a leader of this unit may revoke access to the protected identity."))
    if not reason:
        raise InvalidInput(_("Some fields are not valid."), {"reason": _("Please give a reason.")})
    row = session.get(IdentityGrant, grant_id)
    if row is None or row.case_id != case.id or row.revoked_dt is not None:
        raise InvalidInput(_("Some fields are not valid."), {"grant": _("No such active grant on this case.")})
    row.revoked_dt, row.revoked_by_id, row.revoke_reason = utcnow(), actor.id, reason
    _log(session, case, "revoke", actor, row.user, reason)
    adminlog.record(session, "identity_revoke", actor_id=actor.id, subject_user_id=row.user_id,
                    payload={"case": case.code})
    session.commit()


def view(session: Session, case: Case, user: User) -> list[IdentityView]:
    """The identities of the case, for the holder of a grant; the view itself is recorded."""
    grant_row = active_grant(session, case.id, user.id)
    if grant_row is None or not can_see(session, user, case):
        raise NotPermitted(_("You have no grant to see the protected identity on this case."))
    rows = session.scalars(select(ProtectedIdentity).where(ProtectedIdentity.case_id == case.id)
                           .order_by(ProtectedIdentity.id)).all()
    _log(session, case, "view", user, reason=grant_row.reason)
    session.commit()
    return [IdentityView(r.role, r.full_name, r.address or "", r.phone or "", r.email or "", r.id_number or "")
            for r in rows]


def read_scan(session: Session, case: Case, user: User, scan_id: int) -> ProtectedScan:
    grant_row = active_grant(session, case.id, user.id)
    scan = session.get(ProtectedScan, scan_id)
    if grant_row is None or not can_see(session, user, case) or scan is None or scan.case_id != case.id:
        raise NotPermitted(_("You have no grant to see the protected identity on this case."))
    _log(session, case, "view_scan", user, reason=grant_row.reason)
    session.commit()
    return scan


def grants_of(session: Session, case_id: int) -> list[IdentityGrant]:
    return list(session.scalars(select(IdentityGrant).where(IdentityGrant.case_id == case_id)
                                .order_by(IdentityGrant.granted_dt.desc())))


def access_log(session: Session, case_id: int) -> list[IdentityAccessLog]:
    return list(session.scalars(select(IdentityAccessLog).where(IdentityAccessLog.case_id == case_id)
                                .order_by(IdentityAccessLog.id.desc())))


def store(session: Session, case: Case, people: list[dict], role: str) -> list[ProtectedIdentity]:
    rows = []
    for person in people:
        clean = {k: (nfc(v) or None) for k, v in person.items() if k in
                 ("full_name", "address", "phone", "email", "id_number")}
        if not any(clean.values()):
            continue
        row = ProtectedIdentity(case_id=case.id, role=person.get("role", role), full_name=clean.get("full_name") or "",
                                address=clean.get("address"), phone=clean.get("phone"), email=clean.get("email"),
                                id_number=clean.get("id_number"), created_dt=utcnow())
        session.add(row)
        rows.append(row)
    return rows


def copy_identities(session: Session, source_case_id: int, target: Case, role: str) -> None:
    """Carry the protected identities and scans of a letter to the case opened from it (still apart
    from its file)."""
    for s in session.scalars(select(ProtectedScan).where(ProtectedScan.case_id == source_case_id)
                             .order_by(ProtectedScan.id)):
        session.add(ProtectedScan(case_id=target.id, filename=s.filename, content_type=s.content_type,
                                  sha256=s.sha256, data=s.data, uploaded_by_id=s.uploaded_by_id,
                                  uploaded_dt=s.uploaded_dt))
    for r in session.scalars(select(ProtectedIdentity).where(ProtectedIdentity.case_id == source_case_id)
                             .order_by(ProtectedIdentity.id)):
        session.add(ProtectedIdentity(case_id=target.id, role=role if r.role == "sender" else r.role,
                                      full_name=r.full_name, address=r.address, phone=r.phone, email=r.email,
                                      id_number=r.id_number, created_dt=utcnow()))


def identity_markers(session: Session, case_id: int) -> list[str]:
    """Folded names and digit strings of the case's stored identities, never to appear in its file's texts."""
    rows = session.scalars(select(ProtectedIdentity).where(ProtectedIdentity.case_id == case_id))
    return markers_of({"full_name": r.full_name, "phone": r.phone, "id_number": r.id_number} for r in rows)


def markers_of(people: Iterable[dict]) -> list[str]:
    """Folded names (5 letters or more) and digit strings (6 digits or more) of the given people."""
    markers = []
    for person in people:
        name = fold(person.get("full_name") or "").strip()
        if len(name.replace(" ", "")) >= 5:
            markers.append(" ".join(name.split()))
        for digits in (person.get("phone"), person.get("id_number")):
            only = "".join(ch for ch in digits or "" if ch.isdigit())
            if len(only) >= 6:
                markers.append(only)
    return markers


def leaks(text: str | None, markers: list[str]) -> bool:
    if not text or not markers:
        return False
    folded = " ".join(fold(text).split())
    digits = "".join(ch for ch in text if ch.isdigit())
    return any((m in digits) if m.isdigit() else (m in folded) for m in markers)
