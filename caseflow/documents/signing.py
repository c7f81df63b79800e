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


def authority_problems(authority: str, on_behalf_of: str, title: str) -> dict[str, str]:
    """What a signing authority lacks, by form field (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.7 and the
    signature block's layout there):
    - TM. (thay mặt): signed for a collective body: the body ("BAN THƯỜNG VỤ") and the signer's title.
    - KT. (ký thay): a deputy for the head: the head's title ("CHỦ TỊCH") and the deputy's own ("PHÓ CHỦ TỊCH").
    - TL. (thừa lệnh), TUQ. (thừa ủy quyền): for the head: the head's title and the signer's own title.
    - Q. (quyền): the acting head: the post acted in as the title alone ("Q. CHỦ TỊCH"), nobody on behalf of."""
    from caseflow.core.i18n import _

    on_behalf_of, title = (on_behalf_of or "").strip(), (title or "").strip()
    problems: dict[str, str] = {}
    if authority == "TM." and not on_behalf_of:
        problems["on_behalf_of"] = _("TM.: name the collective body signed for, e.g. BAN THƯỜNG VỤ.")
    elif authority in ("KT.", "TL.", "TUQ.") and not on_behalf_of:
        problems["on_behalf_of"] = _("%(authority)s: give the head's title signed for, e.g. CHỦ TỊCH.",
                                     authority=authority)
    elif authority == "Q." and on_behalf_of:
        problems["on_behalf_of"] = _("Q.: leave this empty; the title is the post acted in (Q. CHỦ TỊCH).")
    if authority == "KT." and on_behalf_of and title and on_behalf_of.casefold() == title.casefold():
        problems["title"] = _("KT.: the title is the deputy's own (e.g. PHÓ CHỦ TỊCH), not the head's.")
    return problems
