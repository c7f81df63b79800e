"""The app's Huey: a SQLite file in the instance folder by default (nothing to install), Redis when
CASEFLOW_REDIS_URL is set (any number of `caseflow worker` processes on any number of hosts share it).

One Huey per app, made in the jobs feature's setup: its storage depends on the app's configuration (tests
make many apps, each with its own instance folder), and every task it runs enters that app's context."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey

log = logging.getLogger(__name__)

#: app.extensions key of the app's Huey
EXTENSION = "caseflow.huey"


def make_huey(app: Flask) -> Huey:
    """JOBS_IMMEDIATE (default: under TESTING) runs each job at once, in the caller, on Huey's in-memory
    storage; JOBS_QUEUE_NAME keeps two deployments sharing one Redis apart."""
    config = app.config
    name = config.get("JOBS_QUEUE_NAME", "caseflow")
    immediate = bool(config.get("JOBS_IMMEDIATE", config.get("TESTING", False)))
    # utc: crontab() of the periodic jobs reads UTC (the server's own zone may be anything)
    options = {"results": False, "utc": True, "immediate": immediate}
    redis_url = config.get("JOBS_REDIS_URL") or config.get("REDIS_URL")
    if redis_url:
        return RedisHuey(name, url=redis_url, **options)
    path = config.get("JOBS_SQLITE_PATH") or str(Path(app.instance_path) / "jobs.db")
    return SqliteHuey(name, filename=path, **options)


def huey_of(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions[EXTENSION]


def queue_reachable(app: Flask | None = None) -> tuple[bool, str]:
    """Whether the queue's storage answers (the /readyz and `caseflow doctor` check): pending jobs counted."""
    huey = huey_of(app)
    try:
        pending = huey.pending_count()
    except Exception as exc:  # noqa: BLE001 - redis, sqlite3 and OS errors all mean "not reachable"
        # the class only: a driver's message may name a host or a path, and /readyz answers anyone
        return False, f"{type(huey.storage).__name__}: {exc.__class__.__name__}"
    return True, f"{type(huey.storage).__name__}, {pending} job(s) waiting"
