"""Hash-chained, append-only audit events: one per transition."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime
from caseflow.core.models.org import User
from caseflow.core.models.types import JSONType


class CaseEvent(Base):
    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    #: 1, 2, 3 ... per case; the unique constraint backs the optimistic lock
    seq: Mapped[int] = mapped_column(Integer)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    trigger: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(60))
    to_state: Mapped[str] = mapped_column(String(60))
    comment: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: HMAC-SHA256 over every field above and prev_hash, keyed outside the database
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


class AdminEvent(Base):
    """The admin audit log: role grants and withdrawals, identity grants, logins, lockouts and unlocks, in
    one HMAC chain (the same construction as a case's events, its own sequence)."""

    __tablename__ = "admin_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3 ... over the whole log; unique, so two writers cannot both take the same place
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: login, login_failed, lockout, unlock, role_grant, role_withdraw, identity_grant, identity_revoke, ...
    action: Mapped[str] = mapped_column(String(40))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: the client address of a login event
    address: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
