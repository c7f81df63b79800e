"""The e-mail outbox (a message row written in the transaction that causes it) and the periodic jobs'
runs (one row per job and time slot: two workers due at the same minute run it once)."""
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.models.base import Base, UTCDateTime, utcnow

#: pending -> sending (claimed under a lease) -> sent | pending again (retry, with backoff) | failed
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(Base):
    """One e-mail to one address. Its text names a case code at most: never a party's personal data,
    never a protected identity (the admin page shows it)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next", "status", "next_attempt_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    #: what caused it (deadline_notice, portal_message, ...), for the admin page and logs
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    #: delivery attempts started (a claim counts one, even when its worker died mid-send)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: a claim holds the row until then; a worker killed mid-send leaves it to be claimed again after it
    lease_until_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: who holds the claim: only that worker may mark the row sent
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobRun(Base):
    """A periodic job's run for one time slot; the unique key is the lock that makes it run once."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "slot_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    #: the slot's start (UTC): the run's time rounded down to the job's period
    slot_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    #: running -> done | failed (a run whose worker died stays running; the next slot runs anyway)
    status: Mapped[str] = mapped_column(String(10), default="running")
    #: which worker ran it (host:pid)
    worker: Mapped[str] = mapped_column(String(120))
    started_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: one line: what it did, or the error
    result: Mapped[str | None] = mapped_column(Text)
