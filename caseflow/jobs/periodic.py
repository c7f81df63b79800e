"""Periodic jobs run once per time slot, however many workers' schedulers enqueue them: the first to
insert the (job, slot) row of `job_runs` runs it, the others find the row and skip (the unique key is the
lock; it holds across hosts on one database, and a later duplicate of the same slot skips too)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from caseflow.core import clock
from caseflow.jobs.models import JobRun
from caseflow.jobs.outbox import worker_name

log = logging.getLogger(__name__)
RUNS = JobRun.__table__


def slot_of(moment: datetime, period_seconds: int) -> datetime:
    """The start of the period `moment` falls in (UTC, counted from the epoch)."""
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % period_seconds, UTC)


def claim_slot(session: Session, job: str, slot: datetime) -> int | None:
    """The new run's id, or None when another worker holds this slot already (committed either way)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    run_id = session.execute(insert(RUNS).values(job=job, slot_dt=slot, status="running", worker=worker_name(),
                                                 started_dt=clock.now())
                             .on_conflict_do_nothing(index_elements=["job", "slot_dt"])
                             .returning(RUNS.c.id)).scalar()
    session.commit()
    return run_id


def run_periodic(app: Flask, job: str, period_seconds: int, work: Callable[[Session, Flask], str]) -> str | None:
    """Run `work(session, app)` for this slot unless another worker did; returns its one-line result
    (None when skipped). A failure is recorded on the run (and logged), never retried within the slot."""
    from caseflow.extensions import db

    with app.app_context():
        session = db.session
        run_id = claim_slot(session, job, slot_of(clock.now(), period_seconds))
        if run_id is None:
            log.info("job %s: this slot already ran on another worker; skipped", job)
            return None
        try:
            result, status = work(session, app), "done"
        except Exception as exc:
            session.rollback()
            log.exception("job %s failed", job)
            result, status = f"{exc.__class__.__name__}: {exc}", "failed"
        session.execute(update(RUNS).where(RUNS.c.id == run_id)
                        .values(status=status, finished_dt=clock.now(), result=result[:2000]))
        session.commit()
        log.info("job %s %s: %s", job, status, result)
        return result
