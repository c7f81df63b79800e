"""Tracking codes: 16 random digits shown once, kept only as a look-up part and a slow hash of the rest.

A code is 16 decimal digits (read aloud in four groups of four). The first LOOKUP_DIGITS are stored in clear
and are unique: they find the one row to check, so a look-up costs one slow hash whatever the number of
matters. The other SECRET_DIGITS are HMAC-ed with the instance's secret key (a pepper kept outside the
database) and then hashed with scrypt (memory-hard). The brute-force arithmetic is in README.md (portal)."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from caseflow.portal.models import PortalSubmission

DIGITS = 16
LOOKUP_DIGITS = 6
SECRET_DIGITS = DIGITS - LOOKUP_DIGITS
#: scrypt N=2^15, r=8, p=1: 32 MiB and ~60 ms a hash here; tests lower it (PORTAL_HASH_METHOD)
DEFAULT_METHOD = "scrypt:32768:8:1"
#: a hash of a code nobody holds: a look-up whose look-up part matches no row still costs one hash, so the
#: answer's timing does not tell a used look-up part from an unused one
_DUMMY: dict[str, str] = {}


def new_code() -> str:
    """16 random digits (the secrets module: unpredictable)."""
    return "".join(secrets.choice("0123456789") for _ in range(DIGITS))


def grouped(code: str) -> str:
    """“1234 5678 9012 3456”, for reading aloud and writing down."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise(typed: str | None) -> str | None:
    """The 16 digits of what was typed (spaces, dashes and dots allowed), or None."""
    digits = "".join(ch for ch in (typed or "") if ch not in " -.\u00a0\t")
    if len(digits) != DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def _peppered(secret_part: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), secret_part.encode(), hashlib.sha256).hexdigest()


def hash_secret(secret_part: str, pepper: str, method: str = DEFAULT_METHOD) -> str:
    return generate_password_hash(_peppered(secret_part, pepper), method=method)


def issue(session: Session, pepper: str, method: str = DEFAULT_METHOD) -> tuple[str, str, str]:
    """A fresh code whose look-up part no matter uses yet: (code, look-up part, hash of the rest)."""
    while True:
        code = new_code()
        lookup = code[:LOOKUP_DIGITS]
        if session.scalar(select(PortalSubmission.id).where(PortalSubmission.lookup == lookup)) is None:
            return code, lookup, hash_secret(code[LOOKUP_DIGITS:], pepper, method)


def find(session: Session, typed: str | None, pepper: str, method: str = DEFAULT_METHOD) -> PortalSubmission | None:
    """The matter of a code, or None; always one slow hash, whether the code is malformed, unknown or wrong."""
    code = normalise(typed) or "0" * DIGITS
    row = session.scalar(select(PortalSubmission).where(PortalSubmission.lookup == code[:LOOKUP_DIGITS])) \
        if normalise(typed) else None
    if row is None:
        dummy = _DUMMY.setdefault(method, hash_secret("x", "dummy", method))
        check_password_hash(dummy, _peppered(code[LOOKUP_DIGITS:], pepper))
        return None
    return row if check_password_hash(row.secret_hash, _peppered(code[LOOKUP_DIGITS:], pepper)) else None
