"""A running job's live state (counters, heartbeat, a cancel request) where it can always be written.

The row of `background_jobs` holds it, written in short transactions on a connection of its own. SQLite has one
writer at a time: while an import's all-or-nothing transaction holds the write lock, neither the worker's
progress nor the web's cancel request can update the row. They then go to a side file in the instance folder
(SQLite means one host), which readers lay over the row while it is newer. On PostgreSQL the row always takes
the write and the side file is never needed."""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from caseflow.jobs.models import BackgroundJob

JOBS = BackgroundJob.__table__
#: how long a progress or cancel write waits for SQLite's write lock before it takes the side file (ms)
LOCK_WAIT_MS = 150


def folder(instance_path: str, job_id: int) -> Path:
    return Path(instance_path) / "jobs" / str(job_id)


def write_row(engine: Engine, job_id: int, values: dict, where=None) -> bool:
    """Update the job's row in a transaction of its own; False when SQLite's write lock is held elsewhere."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
        try:
            statement = update(JOBS).where(JOBS.c.id == job_id)
            if where is not None:
                statement = statement.where(where)
            changed = conn.execute(statement.values(**values)).rowcount
            conn.commit()
            return bool(changed) or where is None
        except OperationalError:
            conn.rollback()
            if not sqlite:
                raise
            return False
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA busy_timeout=10000")


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".live-", suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def write_progress(instance_path: str, job_id: int, values: dict) -> None:
    """The side file: the counters and heartbeat (datetimes as ISO text)."""
    data = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}
    _write_json(folder(instance_path, job_id) / "live.json", data)


def read_progress(instance_path: str, job_id: int) -> dict:
    try:
        data = json.loads((folder(instance_path, job_id) / "live.json").read_text())
    except (OSError, ValueError):
        return {}
    if data.get("heartbeat_dt"):
        data["heartbeat_dt"] = datetime.fromisoformat(data["heartbeat_dt"])
    return data


def request_cancel_file(instance_path: str, job_id: int) -> None:
    path = folder(instance_path, job_id) / "cancel"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def cancel_file_present(instance_path: str, job_id: int) -> bool:
    return (folder(instance_path, job_id) / "cancel").exists()


def overlay(job: BackgroundJob, instance_path: str) -> dict:
    """The job's counters as a reader should show them: the row's, or the side file's when it is newer."""
    state = {"done": job.done, "total": job.total, "errors_count": job.errors_count,
             "errors_sample": list(job.errors_sample or []), "heartbeat_dt": job.heartbeat_dt,
             "cancel_requested": bool(job.cancel_requested) or cancel_file_present(instance_path, job.id)}
    if job.status == "running":
        side = read_progress(instance_path, job.id)
        beat = side.get("heartbeat_dt")
        if beat and (job.heartbeat_dt is None or beat > job.heartbeat_dt):
            state.update({k: side[k] for k in ("done", "total", "errors_count", "errors_sample", "heartbeat_dt")
                          if k in side})
    return state
