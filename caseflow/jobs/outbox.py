"""The e-mail outbox: `queue_message` writes the message row in the caller's transaction (a rolled-back
fire or sweep sends nothing; a committed one is never lost), and the worker delivers it.

Never sent twice: a worker claims due rows in one UPDATE (status `sending`, its token, a lease), and marks
each row sent, under its token, right after the SMTP server accepted it. A worker killed mid-send leaves its
rows `sending` until the lease runs out, then any worker claims them again: an SMTP transaction cut before
the server's final reply is discarded by the server (RFC 5321, 4.1.1.4), so the retry delivers it once. The
one window left, between the server's acceptance and the row's UPDATE, is covered by a Message-ID fixed per
row, the same on every attempt, by which receiving systems drop a duplicate."""
from __future__ import annotations

import logging
import smtplib
import socket
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.orm import Session

from caseflow.core import clock
from caseflow.jobs.models import OutboxMessage

log = logging.getLogger(__name__)

OUTBOX = OutboxMessage.__table__
#: session.info key: the app whose worker should be told, once the transaction commits, that mail waits
_KICK = "caseflow.outbox.kick"
DEFAULT_LEASE_SECONDS = 120  # longer than an SMTP send can take (timeout 30 s per command)
DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_RETRY_BASE_SECONDS = 30
MAX_RETRY_DELAY_SECONDS = 3600
BATCH = 100


def queue_message(session: Session, recipient: str, subject: str, body: str, kind: str) -> OutboxMessage:
    """The one way caseflow sends e-mail: a row in the caller's transaction, delivered after it commits."""
    row = OutboxMessage(recipient=recipient, subject=subject[:500], body=body, kind=kind, status="pending",
                        attempts=0, next_attempt_dt=clock.now(), created_dt=clock.now())
    session.add(row)
    _kick_after_commit(session)
    return row


def _kick_after_commit(session: Session) -> None:
    from flask import current_app, has_app_context

    if has_app_context():
        session.info[_KICK] = current_app._get_current_object()  # type: ignore[attr-defined]


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Tell the queue mail waits (the periodic drain delivers it anyway within a minute: a queue that is
    down loses nothing)."""
    app = session.info.pop(_KICK, None)
    if app is None:
        return
    from caseflow.jobs.tasks import tasks_of

    try:
        tasks_of(app).deliver_outbox()
    except Exception as exc:  # noqa: BLE001 - the queue being down must not fail a committed fire
        log.warning("outbox: the queue was not told of new mail (%s); the periodic drain will send it",
                    exc.__class__.__name__)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KICK, None)


def _settings(config: Mapping) -> tuple[int, int, int]:
    return (int(config.get("OUTBOX_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)),
            int(config.get("OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)),
            int(config.get("OUTBOX_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS)))


def _due(now: datetime):
    o = OUTBOX.c
    return or_(and_(o.status == "pending", o.next_attempt_dt <= now),
               and_(o.status == "sending", o.lease_until_dt < now))


def claim(session: Session, token: str, now: datetime, lease_seconds: int, limit: int = BATCH) -> list:
    """Claim up to `limit` due rows for this worker in one UPDATE, committed: (id, recipient, subject, body,
    attempts, created_dt). The outer WHERE re-checks the row is still due, so on PostgreSQL a concurrent
    claimer's UPDATE, which waits for the row lock, then finds it taken; SKIP LOCKED spares the wait."""
    o = OUTBOX.c
    ids = select(o.id).where(_due(now)).order_by(o.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        ids = ids.with_for_update(skip_locked=True)
    rows = session.execute(
        update(OUTBOX).where(o.id.in_(ids), _due(now))
        .values(status="sending", claim_token=token, lease_until_dt=now + timedelta(seconds=lease_seconds),
                attempts=o.attempts + 1)
        .returning(o.id, o.recipient, o.subject, o.body, o.attempts, o.created_dt),
        execution_options={"synchronize_session": False}).all()
    session.commit()
    return sorted(rows, key=lambda r: r.id)


@contextmanager
def smtp_connection(config: Mapping) -> Iterator[smtplib.SMTP]:
    """An open, authenticated SMTP connection to MAIL_SERVER (OSError when it cannot be reached)."""
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        yield smtp


def build_email(config: Mapping, row) -> EmailMessage:
    """The message of an outbox row; its Message-ID is the row's, the same on every attempt."""
    sender = config.get("MAIL_FROM", "caseflow@localhost")
    msg = EmailMessage()
    msg["Subject"] = row.subject
    msg["From"] = sender
    msg["To"] = row.recipient
    msg["Message-ID"] = f"<outbox-{row.id}-{row.created_dt:%Y%m%d%H%M%S}@{sender.rpartition('@')[2] or 'caseflow'}>"
    msg.set_content(row.body)
    return msg


@dataclass
class Delivery:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    #: seconds until the earliest retry this run scheduled (None: nothing to retry)
    retry_in: int | None = None

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        if other.retry_in is not None:
            self.retry_in = min(self.retry_in or other.retry_in, other.retry_in)

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"


def _finish(session: Session, row_id: int, token: str, **values) -> None:
    o = OUTBOX.c
    session.execute(update(OUTBOX).where(o.id == row_id, o.claim_token == token)
                    .values(lease_until_dt=None, claim_token=None, **values))
    session.commit()


def _failure(session: Session, config: Mapping, row, token: str, error: str, permanent: bool,
             result: Delivery, reason: str) -> None:
    """`error` (the server's words, which may name the recipient) is kept on the row for the admin page;
    the log gets only `reason` (an exception class or an SMTP code) and the message's id."""
    _lease, max_attempts, base = _settings(config)
    if permanent or row.attempts >= max_attempts:
        _finish(session, row.id, token, status="failed", last_error=error[:1000])
        log.error("outbox: message %s failed for good after %s attempt(s): %s", row.id, row.attempts, reason)
        result.failed += 1
        return
    delay = min(base * 2 ** (row.attempts - 1), MAX_RETRY_DELAY_SECONDS)
    _finish(session, row.id, token, status="pending", last_error=error[:1000],
            next_attempt_dt=clock.now() + timedelta(seconds=delay))
    log.warning("outbox: message %s not sent (attempt %s), retry in %s s: %s", row.id, row.attempts, delay, reason)
    result.retried += 1
    result.retry_in = min(result.retry_in or delay, delay)


def deliver_batch(session: Session, config: Mapping, limit: int = BATCH) -> tuple[Delivery, int]:
    """Claim and send one batch over one SMTP connection; returns what happened and how many were claimed."""
    lease, _max, _base = _settings(config)
    token = uuid.uuid4().hex
    rows = claim(session, token, clock.now(), lease, limit)
    result = Delivery()
    if not rows:
        return result, 0
    if not config.get("MAIL_SERVER"):
        for row in rows:
            _failure(session, config, row, token, "MAIL_SERVER is not set", False, result, "MAIL_SERVER is not set")
        return result, len(rows)
    pending = list(rows)
    try:
        with smtp_connection(config) as smtp:
            while pending:
                row = pending[0]
                try:
                    refused = smtp.send_message(build_email(config, row)) or {}
                except smtplib.SMTPRecipientsRefused as exc:
                    pending.pop(0)
                    _failure(session, config, row, token, f"recipient refused: {exc.recipients}", True, result,
                             exc.__class__.__name__)
                    continue
                except smtplib.SMTPResponseException as exc:
                    pending.pop(0)
                    # 5xx: the server will not take it, whenever asked (RFC 5321, 4.2.1); 4xx: try later
                    _failure(session, config, row, token, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                             exc.smtp_code >= 500, result, f"{exc.__class__.__name__} {exc.smtp_code}")
                    continue
                pending.pop(0)
                if refused:
                    _failure(session, config, row, token, f"recipient refused: {refused}", True, result,
                             "recipient refused")
                    continue
                _finish(session, row.id, token, status="sent", sent_dt=clock.now(), last_error=None)
                result.sent += 1
    except (OSError, smtplib.SMTPException) as exc:  # unreachable, disconnected, TLS or login refused
        error = f"SMTP {config.get('MAIL_SERVER')}: {exc.__class__.__name__}: {exc}"
        for row in pending:
            _failure(session, config, row, token, error, False, result, exc.__class__.__name__)
    return result, len(rows)


def deliver_due(session: Session, config: Mapping, limit: int = BATCH) -> Delivery:
    """Deliver every due message, batch after batch, until none is left to claim."""
    total = Delivery()
    while True:
        result, claimed = deliver_batch(session, config, limit)
        total.add(result)
        if claimed < limit:
            return total


def next_due_in(session: Session) -> float | None:
    """Seconds until the next message falls due (a retry's time, or a dead worker's lease running out)."""
    from sqlalchemy import func

    o = OUTBOX.c
    times = session.execute(select(
        select(func.min(o.next_attempt_dt)).where(o.status == "pending").scalar_subquery(),
        select(func.min(o.lease_until_dt)).where(o.status == "sending").scalar_subquery())).one()
    session.rollback()  # a read: end the transaction, hold nothing
    times = [t for t in times if t is not None]
    if not times:
        return None
    earliest = min(t if t.tzinfo else t.replace(tzinfo=clock.now().tzinfo) for t in times)
    return max(0.0, (earliest - clock.now()).total_seconds())


def retry(session: Session, message_id: int) -> bool:
    """An admin's retry of a failed message: due now, with a fresh count of attempts (committed by the caller)."""
    o = OUTBOX.c
    done = session.execute(update(OUTBOX).where(o.id == message_id, o.status == "failed")
                           .values(status="pending", attempts=0, next_attempt_dt=clock.now()),
                           execution_options={"synchronize_session": False}).rowcount
    if done:
        _kick_after_commit(session)
    return bool(done)


def worker_name() -> str:
    import os

    return f"{socket.gethostname()}:{os.getpid()}"
