"""The member register (đoàn viên): checks on a member's facts, who may read it, the look-up legal aid and the
portal use to verify membership, admission by the admission workflow, and the one writer of its history."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from caseflow.core.i18n import _
from caseflow.core.models import Case, Unit, User, utcnow
from caseflow.core.policy import role_paths
from caseflow.core.text import fold, nfc
from caseflow.union.models import MEMBER_STATUSES, Member, MemberEvent

#: a citizen identity card number (căn cước công dân): 12 digits (Luật Căn cước 2023; Thông tư 59/2021/TT-BCA
#: on the number's make-up); the older 9-digit identity cards are not accepted in the register
CITIZEN_ID = re.compile(r"[0-9]{12}")
#: roles that keep or read the register within their units (organising work: Điều lệ Công đoàn Việt Nam khóa
#: XIII (2023) gives the grassroots union's executive committee the members' register)
MEMBER_ROLES = ("organiser", "leader", "clerk", "admin")
#: the unit kind a member belongs to
GRASSROOTS = "grassroots"
CARD_LENGTH = 30
NAME_LENGTH = 200


def name_key(name: str | None) -> str:
    """The look-up key of a name: folded (no diacritics, lower case), single spaces."""
    return " ".join(fold(name).split())


def citizen_id_problem(value: Any) -> str | None:
    text = str(value or "").strip()
    if not CITIZEN_ID.fullmatch(text):
        return _("A citizen ID (CCCD) has exactly 12 digits.")
    return None


def status_label(status: str) -> str:
    return {"active": _("Active"), "transferred": _("Transferred"), "ceased": _("Ceased"),
            "expelled": _("Expelled")}.get(status, status)


def statuses() -> dict[str, str]:
    return {s: status_label(s) for s in MEMBER_STATUSES}


# --- who may read it ---------------------------------------------------------------------------------

def member_paths(session: Session, user: User) -> list[str]:
    if not user.is_authenticated or not user.active:
        return []
    return sorted({p for p, r in role_paths(session, user) if r in MEMBER_ROLES})


def can_read_members(session: Session, user: User) -> bool:
    return bool(member_paths(session, user))


def visible_members(session: Session, user: User, query: Select | None = None) -> Select:
    """Members of the grassroots unions under the units where the user holds an organising role."""
    query = query if query is not None else select(Member)
    paths = member_paths(session, user)
    if not paths:
        return query.where(False)
    units = select(Unit.id).where(or_(*[Unit.path.startswith(p) for p in paths]))
    return query.where(Member.grassroots_unit_id.in_(units))


def visible_grassroots(session: Session, user: User) -> Select:
    """The grassroots unions whose members the user may read (for the filter list)."""
    paths = member_paths(session, user)
    query = select(Unit).where(Unit.kind == GRASSROOTS).order_by(Unit.name)
    return query.where(or_(*[Unit.path.startswith(p) for p in paths])) if paths else query.where(False)


def search(query: Select, text: str) -> Select:
    """Words of a name without diacritics, or (part of) a citizen ID."""
    for word in name_key(text).split()[:6]:
        if word.isdigit():
            query = query.where(Member.citizen_id.contains(word, autoescape=True))
        else:
            query = query.where(Member.name_key.contains(word, autoescape=True))
    return query


# --- verification ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    member: Member
    #: "citizen_id" | "name_birth_date"
    by: str

    @property
    def verified(self) -> bool:
        """Only a member in good standing makes the party a member."""
        return self.member.status == "active"

    def as_payload(self) -> dict:
        return {"member_id": self.member.id, "by": self.by, "status": self.member.status,
                "unit_id": self.member.grassroots_unit_id}


def look_up(session: Session, *, citizen_id: str | None = None, full_name: str | None = None,
            birth_date: date | None = None) -> Match | None:
    """The register's member with this citizen ID, else the ONE member with this name (diacritics ignored) and
    date of birth; two namesakes born the same day verify nobody."""
    cid = (citizen_id or "").strip()
    if cid and CITIZEN_ID.fullmatch(cid):
        member = session.scalar(select(Member).where(Member.citizen_id == cid))
        if member is not None:
            return Match(member, "citizen_id")
    key = name_key(full_name)
    if key and birth_date is not None:
        found = session.scalars(select(Member).where(Member.name_key == key, Member.birth_date == birth_date)
                                .limit(2)).all()
        if len(found) == 1:
            return Match(found[0], "name_birth_date")
    return None


# --- writing -----------------------------------------------------------------------------------------

def record(session: Session, member: Member, action: str, actor: User, source: str = "",
           detail: dict | None = None) -> MemberEvent:
    """The one writer of the register's history."""
    event = MemberEvent(member_id=member.id, action=action, actor_id=actor.id, source=source[:255],
                        detail=detail or {}, created_dt=utcnow())
    session.add(event)
    return event


def new_member(session: Session, *, full_name: str, birth_date: date, citizen_id: str, unit: Unit,
               admitted_date: date, card_number: str | None, status: str = "active", source: str = "",
               admission_case: Case | None = None) -> Member:
    name = nfc(full_name)
    member = Member(full_name=name, name_key=name_key(name), birth_date=birth_date, citizen_id=citizen_id.strip(),
                    grassroots_unit_id=unit.id, admitted_date=admitted_date, card_number=card_number or None,
                    status=status, source=source[:255],
                    admission_case_id=admission_case.id if admission_case is not None else None)
    session.add(member)
    session.flush()
    return member


def admit(session: Session, case: Case, actor: User, *, full_name: str, birth_date: date, citizen_id: str,
          admitted_date: date, card_number: str) -> tuple[Member, str]:
    """Admit the applicant of `case` into its grassroots union: a new member, or a former one (transferred,
    ceased) re-activated there with the new card. Keyed on the case: a retry changes nothing."""
    existing = session.scalar(select(Member).where(Member.admission_case_id == case.id))
    if existing is not None:
        return existing, "admitted"
    member = session.scalar(select(Member).where(Member.citizen_id == citizen_id))
    if member is None:
        member = new_member(session, full_name=full_name, birth_date=birth_date, citizen_id=citizen_id,
                            unit=case.unit, admitted_date=admitted_date, card_number=card_number,
                            source=case.code, admission_case=case)
        action = "admitted"
    else:
        before = {"status": member.status, "unit_id": member.grassroots_unit_id, "card_number": member.card_number}
        member.status, member.grassroots_unit_id, member.admitted_date = "active", case.unit_id, admitted_date
        member.card_number, member.admission_case_id, member.source = card_number, case.id, case.code
        member.updated_dt = utcnow()
        action = "reactivated"
        record(session, member, action, actor, case.code, {"before": before})
        return member, action
    record(session, member, action, actor, case.code, {"card_number": card_number})
    return member, action


def admission_problems(session: Session, unit: Unit, citizen_id: str | None, case: Case | None = None) -> list[str]:
    """Why the applicant cannot be admitted here: not a grassroots union, a bad citizen ID, already an active
    member (of any union: one membership per person)."""
    problems = []
    if unit.kind != GRASSROOTS:
        problems.append(_("Members are admitted into a grassroots union (CĐCS), not into %(unit)s.", unit=unit.name))
    bad = citizen_id_problem(citizen_id)
    if bad:
        problems.append(bad)
    else:
        member = session.scalar(select(Member).where(Member.citizen_id == str(citizen_id).strip()))
        if member is not None and member.status == "active" and \
                (case is None or member.admission_case_id != case.id):
            problems.append(_("The person with this citizen ID is already an active member (%(unit)s).",
                              unit=member.grassroots_unit.name))
    return problems


def card_problem(session: Session, card_number: str | None, citizen_id: str | None) -> str | None:
    """A union card number belongs to one member (re-admitting a member may give them their old number)."""
    if not card_number:
        return None
    holder = session.scalar(select(Member).where(Member.card_number == card_number))
    if holder is not None and holder.citizen_id != str(citizen_id or "").strip():
        return _("The card number %(card)s is already another member's.", card=card_number)
    return None
