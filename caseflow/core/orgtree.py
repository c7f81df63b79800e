"""Building the unit tree: materialised paths kept right on insert; units merged away and their successors."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.models import Unit
from caseflow.core.text import nfc


def add_unit(session: Session, code: str, name: str, kind: str, parent: Unit | None = None,
             place: str | None = None) -> Unit:
    unit = Unit(code=nfc(code), name=nfc(name), kind=kind, parent=parent,
                place=place or (parent.place if parent else None))
    session.add(unit)
    session.flush()  # the id makes the path
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    return unit


def successor_of(session: Session, unit: Unit) -> Unit:
    """The unit that carries `unit`'s work today: itself, or the end of its chain of successors."""
    seen = {unit.id}
    while unit.successor_id is not None and unit.successor_id not in seen:
        unit = session.get(Unit, unit.successor_id)
        seen.add(unit.id)
    return unit


def successor_map(session: Session) -> dict[int, int]:
    """unit id -> the id of the unit carrying its work today, for every unit that was merged away."""
    rows = dict(session.execute(select(Unit.id, Unit.successor_id).where(Unit.successor_id.is_not(None))).all())
    result = {}
    for start in rows:
        current, seen = start, {start}
        while current in rows and rows[current] not in seen:
            current = rows[current]
            seen.add(current)
        result[start] = current
    return result
