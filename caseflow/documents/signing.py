"""Signing powers: who may sign which documents of which unit, with which authority (TM./KT./Q./TL./TUQ.,
Nghị định 30/2020/NĐ-CP, Phụ lục I). Data, kept by the admin; a power is for exactly one issuing unit."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseflow.core.models import Unit, User
from caseflow.documents.models import SigningPower


def powers_of(session: Session, user: User, unit: Unit, type_key: str, issuer_code: str | None,
              day: date) -> list[SigningPower]:
    """The user's powers valid on `day` for a document of `type_key` issued by `unit` (its own body when
    issuer_code is None, else e.g. its inspection committee "UBKT"); the most specific first."""
    body = SigningPower.issuer_code.is_(None) if not issuer_code else SigningPower.issuer_code == issuer_code
    rows = session.scalars(select(SigningPower).where(
        SigningPower.user_id == user.id, SigningPower.unit_id == unit.id, body,
        or_(SigningPower.type_key.is_(None), SigningPower.type_key == type_key),
        SigningPower.valid_from_date <= day,
        or_(SigningPower.valid_to_date.is_(None), SigningPower.valid_to_date >= day))).all()
    return sorted(rows, key=lambda p: (p.type_key is None, p.id))


def signature_of(power: SigningPower, user: User, defaults: dict | None = None) -> dict:
    """The signature block as printed: authority and body from the power, else the type's defaults."""
    defaults = defaults or {}
    return {"authority": power.authority or defaults.get("authority", ""),
            "on_behalf_of": power.on_behalf_of or defaults.get("on_behalf_of", ""),
            "title": power.title or defaults.get("title", ""), "name": user.full_name}
