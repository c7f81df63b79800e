"""A job whose worker stopped (killed, host down) is never silently lost: a running job whose heartbeat is older
than JOBS_STALE_SECONDS shows as failed ("worker stopped") and a periodic check records it so; a queued job
whose task was lost (a worker killed between taking it and claiming the row) is enqueued again (the claim makes
a second run of one task harmless). Either can be retried by its owner."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from caseflow.core import clock
from caseflow.jobs import live
from caseflow.jobs.models import BackgroundJob

WORKER_STOPPED = "worker stopped"
DEFAULT_STALE_SECONDS = 60
#: a queued job older than this is enqueued again by the check
DEFAULT_REQUEUE_SECONDS = 300


def stale_after(app: Flask) -> timedelta:
    return timedelta(seconds=float(app.config.get("JOBS_STALE_SECONDS", DEFAULT_STALE_SECONDS)))


def is_stale(job: BackgroundJob, heartbeat: datetime | None, app: Flask, now: datetime | None = None) -> bool:
    if job.status != "running":
        return False
    beat = heartbeat or job.started_dt or job.created_dt
    return (now or clock.now()) - beat > stale_after(app)


def check_jobs(session: Session, app: Flask) -> str:
    """The periodic check: stale running jobs -> failed; long-queued jobs enqueued again."""
    from caseflow.jobs.runner import enqueue

    now = clock.now()
    failed = 0
    for job in session.scalars(select(BackgroundJob).where(BackgroundJob.status == "running")):
        beat = live.overlay(job, app.instance_path)["heartbeat_dt"]
        if is_stale(job, beat, app, now):
            failed += session.execute(update(BackgroundJob).where(
                BackgroundJob.id == job.id, BackgroundJob.status == "running").values(
                status="failed", last_error=WORKER_STOPPED, finished_dt=now)).rowcount
    session.commit()
    cutoff = now - timedelta(seconds=float(app.config.get("JOBS_REQUEUE_SECONDS", DEFAULT_REQUEUE_SECONDS)))
    queued = session.scalars(select(BackgroundJob.id).where(BackgroundJob.status == "queued",
                                                            BackgroundJob.created_dt < cutoff)).all()
    if queued and _queue_holds_work(app):
        queued = []  # the workers are busy: those jobs' tasks are waiting their turn, not lost
    for job_id in queued:
        enqueue(job_id, app)
    return f"{failed} stale job(s) marked failed, {len(queued)} queued job(s) enqueued again"


def _queue_holds_work(app: Flask) -> bool:
    """Whether tasks wait in the queue (then a long-queued job's task may be among them). An empty queue with a
    job still queued means its task was lost. Under JOBS_IMMEDIATE there is no queue."""
    from caseflow.jobs.queue import huey_of

    huey = huey_of(app)
    return not huey.immediate and huey.pending_count() > 0
