"""Building the unit tree: materialised paths kept right on insert."""
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
