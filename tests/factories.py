"""Test data builders on top of the engine (the same one the app uses)."""
from datetime import date

from caseflow.core import engine
from caseflow.core.models import Unit, User
from caseflow.extensions import db

INTAKE = {"channel": "walk_in", "party_status": "member", "need": "litigation", "dispute_type": "wages",
          "is_collective": False, "employer_name": "Công ty TNHH May mặc Quy Nhơn",
          "facts": "Công ty nợ lương 3 tháng."}


def user(org, username: str) -> User:
    return db.session.get(User, org["users"][username])


def unit(org, key: str = "province") -> Unit:
    return db.session.get(Unit, org["units"][key])


def open_legal_aid(org, *, unit_key: str = "province", by: str = "vanthu", worker: str = "Nguyễn Văn Ánh",
                   received: date | None = None, **intake):
    return engine.open_case(db.session, "legal_aid", unit(org, unit_key), user(org, by), {**INTAKE, **intake},
                            title=f"{worker} – Tiền lương", received_date=received or date(2026, 11, 2),
                            parties=[{"role": "worker", "full_name": worker, "is_union_member": True,
                                      "phone": "0905123456", "confidential": False}])


def users_by_name(org) -> dict[str, User]:
    """Every demo user, by username (ORM objects of the current session)."""
    return {name: db.session.get(User, user_id) for name, user_id in org["users"].items()}
