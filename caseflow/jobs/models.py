"""The e-mail outbox (a message row written in the transaction that causes it), the periodic jobs' runs (one
row per job and time slot: two workers due at the same minute run it once) and users' background jobs."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.types import JSONType

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


#: queued -> running -> done | failed | cancelled; a running job whose heartbeat stopped is shown (and, by the
#: periodic check, recorded) as failed: "worker stopped"
JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")
FINISHED_STATUSES = ("done", "failed", "cancelled")


class BackgroundJob(Base):
    """A user's long work (a batch of PDFs, a register import, a large export) run by a worker. Its state lives
    here, not in the queue (Huey has no acknowledgement): a worker killed mid-job leaves a stale heartbeat,
    never a job silently lost. Seen by its owner only."""

    __tablename__ = "background_jobs"
    __table_args__ = (Index("ix_background_jobs_owner_created", "owner_id", "created_dt"),
                      Index("ix_background_jobs_status", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the registered kind (caseflow.jobs.runner.add_job_kind): documents_render, register_import, ...
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the unit the work is about, when it has one (the owner's visibility decides what the work reads)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    #: the kind's arguments, plain JSON (never an ORM object, never a protected identity)
    params: Mapped[dict] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    #: None until the work knows it
    total: Mapped[int | None] = mapped_column(Integer)
    errors_count: Mapped[int] = mapped_column(Integer, default=0)
    #: the first few error messages (the full report is the result file)
    errors_sample: Mapped[list] = mapped_column(JSONType, default=list)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the worker beats while it runs; a beat older than JOBS_STALE_SECONDS means the worker stopped
    heartbeat_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: which worker runs it (host:pid)
    worker: Mapped[str | None] = mapped_column(String(120))
    #: the result, relative to STORAGE_DIR (jobs/<id>/<name>), its download name and type
    result_path: Mapped[str | None] = mapped_column(String(500))
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_mime: Mapped[str | None] = mapped_column(String(120))
    #: one line saying what the work did (shown on the job's page)
    summary: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        if not self.total:
            return 0
        return max(0, min(100, 100 * self.done // self.total))
