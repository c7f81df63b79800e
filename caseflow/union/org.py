"""The organisation tree through time: versions of a unit (name, place, parent) from an effective date,
the name in force on a given day (documents print that one), officers with their terms, and the
competent superior union. A provincial merger (Bình Định into Gia Lai from 12/6/2025 [R]) is data:
a new version of the unit, or units moved under a new parent, from that date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.engine.audit import append_event
from caseflow.core.engine.state import audit_key
from caseflow.core.i18n import _
from caseflow.core.models import Case, Unit, User
from caseflow.core.orgtree import add_unit, successor_of
from caseflow.core.text import fold, nfc
from caseflow.union.models import Enterprise, UnitOfficer, UnitVersion


class OrgError(ValueError):
    """A change to the tree that cannot be made (the message is for the admin)."""


@dataclass(frozen=True)
class UnitSnapshot:
    unit_id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    place: str | None
    valid_from: date | None


def versions(session: Session, unit: Unit) -> list[UnitVersion]:
    rows = session.scalars(select(UnitVersion).where(UnitVersion.unit_id == unit.id)).all()
    return sorted(rows, key=lambda v: v.valid_from_date or date.min)


def as_of(session: Session, unit: Unit, day: date) -> UnitSnapshot:
    """The unit as it was on `day` (the unit row itself when it has no recorded history)."""
    return snapshots_on(session, [unit], day)[unit.id]


def snapshots_on(session: Session, units: list[Unit], day: date) -> dict[int, UnitSnapshot]:
    """Every unit as it was on `day`, with one query for all their versions (the tree page)."""
    by_unit: dict[int, list[UnitVersion]] = {}
    for v in session.scalars(select(UnitVersion).where(UnitVersion.unit_id.in_([u.id for u in units]))):
        by_unit.setdefault(v.unit_id, []).append(v)
    result = {}
    for unit in units:
        chosen = None
        for v in sorted(by_unit.get(unit.id, []), key=lambda v: v.valid_from_date or date.min):
            if (v.valid_from_date or date.min) <= day:
                chosen = v
        result[unit.id] = (UnitSnapshot(unit.id, unit.code, chosen.name, chosen.kind, chosen.parent_id, chosen.place,
                                        chosen.valid_from_date) if chosen else
                           UnitSnapshot(unit.id, unit.code, unit.name, unit.kind, unit.parent_id, unit.place,
                                        unit.effective_from_date))
    return result


def name_on(session: Session, unit: Unit, day: date) -> str:
    """The name to print on a document dated `day`."""
    return as_of(session, unit, day).name


def _snapshot_history(session: Session, unit: Unit, actor: User | None) -> None:
    """Before the first change, keep what the unit was so far as its version "since the beginning"."""
    if not versions(session, unit):
        session.add(UnitVersion(unit_id=unit.id, valid_from_date=unit.effective_from_date, name=unit.name,
                                kind=unit.kind, parent_id=unit.parent_id, place=unit.place,
                                basis="", created_by_id=actor.id if actor else None))
        session.flush()


def record_change(session: Session, unit: Unit, valid_from: date, actor: User | None, basis: str, *,
                  today: date, name: str | None = None, place: str | None = None,
                  parent: Unit | None = None, kind: str | None = None) -> UnitVersion:
    """A new version of `unit` from `valid_from`; the unit row follows when the date has come."""
    if not nfc(basis):
        raise OrgError(_("Give the decision that makes the change (its basis)."))
    if parent is not None and (parent.id == unit.id or parent.path.startswith(unit.path)):
        raise OrgError(_("A unit cannot be placed under itself or one of its own units."))
    _snapshot_history(session, unit, actor)
    before = as_of(session, unit, valid_from)
    existing = session.scalar(select(UnitVersion).where(UnitVersion.unit_id == unit.id,
                                                        UnitVersion.valid_from_date == valid_from))
    version = existing or UnitVersion(unit_id=unit.id, valid_from_date=valid_from)
    version.name = nfc(name) or before.name
    version.kind = kind or before.kind
    version.parent_id = parent.id if parent is not None else before.parent_id
    version.place = nfc(place) or before.place
    version.basis = nfc(basis)
    version.created_by_id = actor.id if actor else None
    session.add(version)
    session.flush()
    sync(session, unit, today)
    return version


def close_unit(session: Session, unit: Unit, last_day: date, actor: User | None, basis: str) -> None:
    """A unit dissolved or merged away: it exists until `last_day` inclusive."""
    if not nfc(basis):
        raise OrgError(_("Give the decision that makes the change (its basis)."))
    if unit.effective_from_date and last_day < unit.effective_from_date:
        raise OrgError(_("A unit cannot end before it began."))
    _snapshot_history(session, unit, actor)
    unit.effective_to_date = last_day


#: the audit trigger of a case moved to its unit's successor (no state changes)
REASSIGNED = "reassign_unit"


def merge_into(session: Session, unit: Unit, successor: Unit, last_day: date, actor: User, basis: str, *,
               now: datetime) -> int:
    """A unit merged into another (the 2025 merger): it ends on `last_day`, its successor is recorded, and
    its cases move to the successor so its staff can act on them, each move one event on the case's chain.
    A closed matter is still counted for the unit that handled it (the KPI's own copy of the unit is kept
    from its closing: caseflow/legal_aid/hooks.py); reports roll it up to the successor on request."""
    if successor.id == unit.id or successor_of(session, successor).id == unit.id:
        raise OrgError(_("A unit cannot be merged into itself."))
    if successor.effective_to_date is not None and successor.effective_to_date <= last_day:
        raise OrgError(_("The successor unit has itself been closed."))
    close_unit(session, unit, last_day, actor, basis)
    unit.successor_id = successor.id
    moved = 0
    for case in session.scalars(select(Case).where(Case.unit_id == unit.id).order_by(Case.id)).all():
        append_event(session, audit_key(), case, actor_id=actor.id, trigger=REASSIGNED, from_state=case.state,
                     to_state=case.state, comment=nfc(basis),
                     payload={"from_unit": unit.code, "to_unit": successor.code}, now=now)
        case.unit_id = successor.id
        moved += 1
    session.flush()
    return moved


def sync(session: Session, unit: Unit, today: date) -> None:
    """Make the unit row (and the paths of its subtree) match the version in force today."""
    now = as_of(session, unit, today)
    unit.name, unit.kind, unit.place = now.name, now.kind, now.place
    if now.parent_id != unit.parent_id:
        parent = session.get(Unit, now.parent_id) if now.parent_id else None
        old_path = unit.path
        new_path = (parent.path if parent else "/") + f"{unit.id}/"
        unit.parent_id = now.parent_id
        for u in session.scalars(select(Unit).where(Unit.path.startswith(old_path))):
            u.path = new_path + u.path[len(old_path):]
    session.flush()


def sync_all(session: Session, today: date) -> int:
    """Apply the versions whose date has come (run daily, e.g. from cron); returns units changed."""
    changed = 0
    unit_ids = {v.unit_id for v in session.scalars(select(UnitVersion))}
    for unit in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.path)).all():
        before = (unit.name, unit.kind, unit.place, unit.parent_id)
        sync(session, unit, today)
        changed += before != (unit.name, unit.kind, unit.place, unit.parent_id)
    return changed


def create_unit(session: Session, code: str, name: str, kind: str, parent: Unit | None, valid_from: date,
                actor: User | None, basis: str, place: str | None = None) -> Unit:
    code = nfc(code)
    if not code or session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise OrgError(_("The unit code “%(code)s” is empty or taken.", code=code))
    unit = add_unit(session, code, name, kind, parent, place)
    unit.effective_from_date = valid_from
    session.add(UnitVersion(unit_id=unit.id, valid_from_date=valid_from, name=unit.name, kind=kind,
                            parent_id=parent.id if parent else None, place=unit.place, basis=nfc(basis),
                            created_by_id=actor.id if actor else None))
    session.flush()
    return unit


def active_on(unit: Unit, day: date) -> bool:
    return (unit.effective_from_date is None or unit.effective_from_date <= day) and \
        (unit.effective_to_date is None or day <= unit.effective_to_date)


def officers_on(session: Session, unit: Unit, day: date) -> list[UnitOfficer]:
    rows = session.scalars(select(UnitOfficer).where(UnitOfficer.unit_id == unit.id)
                           .order_by(UnitOfficer.position, UnitOfficer.full_name)).all()
    return [o for o in rows if o.active_on(day)]


def competent_superior(session: Session, tax_code: str | None) -> Unit | None:
    """The directly superior union the enterprise register names for this enterprise, if any."""
    if not tax_code:
        return None
    enterprise = session.scalar(select(Enterprise).where(Enterprise.tax_code == tax_code.strip()))
    if enterprise is None or enterprise.superior_unit_id is None:
        return None
    return session.get(Unit, enterprise.superior_unit_id)


def unit_by_code(session: Session, code: str | None) -> Unit | None:
    """The unit with this code; typed without diacritics ("LDLD-AN") it still matches ("LĐLĐ-AN")."""
    if not code or not code.strip():
        return None
    exact = session.scalar(select(Unit).where(Unit.code == nfc(code)))
    if exact is not None:
        return exact
    wanted = fold(code.strip())
    return next((u for u in session.scalars(select(Unit)) if fold(u.code) == wanted), None)
