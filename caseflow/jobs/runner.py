"""Users' background jobs: `start_job(kind, owner, params)` writes the job's row and enqueues one Huey task;
the task claims the row, runs the kind's work in the owner's name and records how it ended. The work reports
progress through its JobContext, which writes the counters in short transactions of their own (never the
work's), at most every JOBS_PROGRESS_SECONDS, checks the cancel request (raising JobCancelled: the work's
transaction rolls back), and keeps a heartbeat from a thread while the work runs (a killed worker's beat goes
stale: caseflow/jobs/stale.py)."""
from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from caseflow.core import clock
from caseflow.jobs import live
from caseflow.jobs.models import BackgroundJob

log = logging.getLogger(__name__)

#: app.extensions key: kind name -> JobKind
KINDS = "caseflow.jobs.kinds"
#: how many error messages the row keeps (the full report is the job's result file)
ERRORS_KEPT = 20


class JobCancelled(Exception):
    """Raised inside the work when its owner asked to cancel: the work's transaction rolls back."""


@dataclass(frozen=True)
class JobKind:
    name: str
    #: the job's title on its page (a lazy translated string)
    title: Callable[[], str]
    #: work(ctx) -> one line saying what it did; it writes its result through ctx.save_result
    work: Callable[[JobContext], str]
    #: what the owner may do next from a finished job's page: follow_up(job) -> None or
    #: {"url": ..., "label": ..., "fields": {name: value}} (a POST form)
    follow_up: Callable[[BackgroundJob], dict | None] | None = None


def add_job_kind(app: Flask, kind: JobKind) -> None:
    """A feature's kind of background job (call in its setup)."""
    app.extensions.setdefault(KINDS, {})[kind.name] = kind


def kind_of(name: str, app: Flask | None = None) -> JobKind | None:
    return (app or current_app).extensions.get(KINDS, {}).get(name)


def start_job(session: Session, kind: str, owner, params: dict, unit_id: int | None = None) -> BackgroundJob:
    """Write the job's row (committed) and enqueue its task. Under JOBS_IMMEDIATE the job has run on return."""
    from flask_babel import get_locale

    if kind_of(kind) is None:
        raise KeyError(f"unknown job kind {kind!r}")
    locale = str(get_locale() or "vi")
    job = BackgroundJob(kind=kind, owner_id=owner.id, unit_id=unit_id, params={**params, "locale": locale},
                        status="queued", created_dt=clock.now(), errors_sample=[])
    session.add(job)
    session.commit()
    enqueue(job.id)
    session.refresh(job)
    return job


def enqueue(job_id: int, app: Flask | None = None) -> None:
    from caseflow.jobs.tasks import tasks_of

    tasks_of(app or current_app).run_background_job(job_id)


class JobContext:
    """What the work sees: its params, its owner, its session, and the progress, error and result calls."""

    def __init__(self, app: Flask, job: BackgroundJob, session: Session, owner):
        self.app, self.job_id, self.session, self.owner = app, job.id, session, owner
        self.kind, self.params = job.kind, dict(job.params or {})
        self.engine = session.get_bind()
        self.done, self.total, self.errors_count, self.errors_sample = 0, None, 0, []
        self.every = float(app.config.get("JOBS_PROGRESS_SECONDS", 0.5))
        self._written = 0.0
        self._cancel_checked = 0.0
        self.lock = threading.Lock()
        #: result_path, result_name, result_mime once save_result was called
        self.result: dict = {}

    # -- progress ------------------------------------------------------------------------------------
    def progress(self, done: int, total: int | None = None, force: bool = False) -> None:
        """done of total units (rows, documents); written at most every JOBS_PROGRESS_SECONDS; raises
        JobCancelled when the owner asked to cancel."""
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if force or now - self._written >= self.every or (self.total is not None and done >= self.total):
            self._written = now
            self.flush()
        self.check_cancel()

    def add_errors(self, messages: list[str], count: int | None = None) -> None:
        """Errors found so far (row-level: the work goes on); the first ERRORS_KEPT messages are kept."""
        self.errors_count += len(messages) if count is None else count
        room = ERRORS_KEPT - len(self.errors_sample)
        if room > 0:
            self.errors_sample.extend(str(m)[:500] for m in messages[:room])

    def counters(self) -> dict:
        return {"done": self.done, "total": self.total, "errors_count": self.errors_count,
                "errors_sample": list(self.errors_sample), "heartbeat_dt": clock.now()}

    def flush(self) -> None:
        """Write the counters and the heartbeat: the row, or the side file while SQLite's lock is taken."""
        with self.lock:
            values = self.counters()
            if not live.write_row(self.engine, self.job_id, values):
                live.write_progress(self.app.instance_path, self.job_id, values)

    def check_cancel(self) -> None:
        now = time.monotonic()
        if now - self._cancel_checked < self.every:
            return
        self._cancel_checked = now
        if self.cancel_requested():
            raise JobCancelled()

    def cancel_requested(self) -> bool:
        from sqlalchemy import select

        if live.cancel_file_present(self.app.instance_path, self.job_id):
            return True
        with self.engine.connect() as conn:  # a read of its own: the work's transaction may hold the row stale
            return bool(conn.execute(select(live.JOBS.c.cancel_requested)
                                     .where(live.JOBS.c.id == self.job_id)).scalar())

    # -- the result ----------------------------------------------------------------------------------
    @property
    def work_dir(self) -> Path:
        """The job's folder in the storage folder (its result, and any scratch files)."""
        path = Path(self.app.config["STORAGE_DIR"]) / "jobs" / str(self.job_id)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def save_result(self, name: str, mime: str, data: bytes | None = None, path: Path | None = None) -> None:
        """The job's result: bytes written atomically, or a file already written in work_dir."""
        if path is None:
            fd, tmp = tempfile.mkstemp(dir=self.work_dir, prefix=".result-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data or b"")
                fh.flush()
                os.fsync(fh.fileno())
            path = self.work_dir / "result"
            os.replace(tmp, path)
        self.result = {"result_path": str(path.relative_to(Path(self.app.config["STORAGE_DIR"]))),
                       "result_name": name, "result_mime": mime}


def _claim(engine, job_id: int) -> bool:
    """queued -> running, by one worker only (a task enqueued twice, by a retry of the check, runs once)."""
    now = clock.now()
    from caseflow.jobs.outbox import worker_name

    return live.write_row(engine, job_id, {"status": "running", "started_dt": now, "heartbeat_dt": now,
                                           "worker": worker_name()}, where=live.JOBS.c.status == "queued")


def _beat(ctx: JobContext, stop: threading.Event, seconds: float) -> None:
    while not stop.wait(seconds):
        try:
            ctx.flush()
        except Exception:
            log.warning("job %s: heartbeat not written", ctx.job_id, exc_info=True)


def run_job(app: Flask, job_id: int) -> str:
    """The task's body: claim, run the work in the owner's name and language, record how it ended."""
    from caseflow.core.models import User
    from caseflow.extensions import db

    with app.app_context():
        session = db.session
        engine = session.get_bind()
        if not _claim(engine, job_id):
            return f"job {job_id}: not queued (already taken, cancelled or gone); skipped"
        job = session.get(BackgroundJob, job_id)
        kind_name = job.kind
        kind = kind_of(kind_name, app)
        ctx = JobContext(app, job, session, session.get(User, job.owner_id))
        session.commit()  # the work starts on a fresh transaction
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(ctx, stop, float(app.config.get("JOBS_HEARTBEAT_SECONDS", 5))),
                                daemon=True, name=f"job-{job_id}-heartbeat")
        beat.start()
        try:
            if kind is None:
                raise LookupError(f"unknown job kind {kind_name}")
            if ctx.owner is None or not ctx.owner.active:
                raise PermissionError("the job's owner is gone or disabled")
            with force_locale(ctx.params.get("locale") or "vi"):
                summary, status, error = kind.work(ctx), "done", None
        except JobCancelled:
            session.rollback()
            summary, status, error = None, "cancelled", None
        except Exception as exc:  # noqa: BLE001 - any failure of the work is the job's, recorded on its row
            session.rollback()
            # the log names the failure's class only: its message may quote the work's data (a cell, a name),
            # and log lines carry no personal data; the owner reads the message on the job's page
            log.error("job %s (%s) failed: %s", job_id, kind_name, exc.__class__.__name__)
            summary, status, error = None, "failed", f"{exc.__class__.__name__}: {exc}"[:2000]
        finally:
            stop.set()
            beat.join(5)
        session.close()
        values = {**ctx.counters(), "status": status, "finished_dt": clock.now(), "summary": summary,
                  "last_error": error}
        if status == "done":
            values.update(ctx.result)
        _finish(engine, job_id, values)
        log.info("job %s (%s) %s", job_id, kind_name, status)
        return status


def _finish(engine, job_id: int, values: dict) -> None:
    """The end is written to the row itself: the work's transaction is over, nothing holds the lock for long."""
    for _attempt in range(100):
        if live.write_row(engine, job_id, values):
            return
        time.sleep(0.1)
    raise RuntimeError(f"job {job_id}: could not record its end")
