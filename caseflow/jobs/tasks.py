"""The app's jobs on its Huey: delivering the outbox, users' background jobs (runner.py), and the periodic
jobs features declare with `add_periodic` (the deadline sweep, `org sync`, the nightly backup), each run once per slot (periodic.py)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy.orm import Session

if TYPE_CHECKING:  # huey (and through it redis) is imported where a queue is made: not by `import caseflow.jobs`
    from huey import Huey

log = logging.getLogger(__name__)

#: app.extensions keys: the declared periodic jobs, and the registered task wrappers
PERIODIC = "caseflow.jobs.periodic"
TASKS = "caseflow.jobs.tasks"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    #: crontab fields, in UTC: {"minute": "*/5"} or {"minute": "5", "hour": "17"}
    cron: dict
    #: the slot it runs once in (seconds): every 5 minutes -> 300; daily -> 86400
    period_seconds: int
    #: work(session, app) -> one line saying what it did (the session is the job's; it commits itself)
    work: Callable[[Session, Flask], str]


def add_periodic(app: Flask, job: PeriodicJob) -> None:
    """A feature's periodic job (call in its setup; the jobs feature, set up last, registers them)."""
    if TASKS in app.extensions:
        raise RuntimeError(f"periodic job {job.name}: declared after the jobs feature's setup")
    app.extensions.setdefault(PERIODIC, []).append(job)


def tasks_of(app: Flask) -> SimpleNamespace:
    return app.extensions[TASKS]


def register_tasks(app: Flask, huey: Huey) -> SimpleNamespace:
    """Every task enters the app's context (a fresh database session per run)."""
    from huey import crontab

    from caseflow.extensions import db
    from caseflow.jobs import outbox
    from caseflow.jobs.periodic import run_periodic

    @huey.task(name="deliver_outbox")
    def deliver_outbox() -> str:
        """Deliver what is due, then come back when the next message falls due (a retry, or a dead
        worker's lease running out) if that is within the drain's minute."""
        with app.app_context():
            result = outbox.deliver_due(db.session, app.config)
            wait = outbox.next_due_in(db.session)
        if wait is not None and wait < 60 and not huey.immediate:
            deliver_outbox.schedule(delay=wait + 0.2)
        return str(result)

    @huey.periodic_task(crontab(minute="*"), name="drain_outbox")
    def drain_outbox() -> str:
        """The safety net: mail whose kick was lost (queue down at commit, a worker killed) goes out within
        a minute of being due. Concurrent drains are safe: each row is claimed by one of them."""
        return deliver_outbox.call_local()

    tasks = SimpleNamespace(deliver_outbox=deliver_outbox, drain_outbox=drain_outbox, noop=None, periodic={})

    @huey.task(name="noop")
    def noop(value=None):
        """Does nothing: bench/jobs.py measures the queue's own cost with it."""
        return value

    tasks.noop = noop
    _register_background(app, huey, tasks)
    for job in app.extensions.get(PERIODIC, []):
        tasks.periodic[job.name] = _register_periodic(app, huey, job, run_periodic)
    return tasks


def _register_background(app: Flask, huey: Huey, tasks: SimpleNamespace) -> None:
    """Users' background jobs (caseflow/jobs/runner.py) and the check that no job is silently lost."""
    from huey import crontab

    from caseflow.extensions import db
    from caseflow.jobs.runner import run_job
    from caseflow.jobs.stale import check_jobs

    @huey.task(name="run_background_job")
    def run_background_job(job_id: int) -> str:
        return run_job(app, job_id)

    @huey.periodic_task(crontab(minute="*"), name="check_background_jobs")
    def check_background_jobs() -> str:
        """Idempotent (a second worker's run changes nothing): no job_runs slot needed."""
        with app.app_context():
            return check_jobs(db.session, app)

    tasks.run_background_job, tasks.check_background_jobs = run_background_job, check_background_jobs


def _register_periodic(app: Flask, huey: Huey, job: PeriodicJob, run_periodic):
    from huey import crontab

    def run() -> str | None:
        return run_periodic(app, job.name, job.period_seconds, job.work)

    run.__name__ = run.__qualname__ = job.name
    run.__doc__ = f"periodic job {job.name} ({job.cron}, UTC), once per {job.period_seconds} s slot"
    return huey.periodic_task(crontab(**job.cron), name=job.name)(run)
