"""The app's queue: SQLite in the instance folder by default, Redis given REDIS_URL; the "queue reachable"
check of /readyz and `caseflow doctor` (caseflow/ops/health.py)."""
from __future__ import annotations

from huey import RedisHuey, SqliteHuey

from caseflow import create_app
from caseflow.jobs.queue import huey_of
from caseflow.ops.health import CHECKS, CheckFailed
from tests.conftest import AUDIT_KEY, redis_client


def _app(tmp_path, **config):
    return create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": "sqlite://",
                       "AUDIT_HMAC_KEY": AUDIT_KEY, "JOBS_IMMEDIATE": False, **config})


def _check(app):
    try:
        return True, dict(CHECKS)["queue"](app)
    except CheckFailed as exc:
        return False, str(exc)


def test_sqlite_queue_in_the_instance_folder(tmp_path):
    app = _app(tmp_path)
    huey = huey_of(app)
    assert isinstance(huey, SqliteHuey) and huey.storage.filename == str(tmp_path / "instance" / "jobs.db")
    ok, detail = _check(app)
    assert ok and "0 job(s) waiting" in detail


def test_redis_queue_and_an_unreachable_one(tmp_path):
    url = "redis://127.0.0.1:6379/15"
    redis_client(url).close()
    app = _app(tmp_path, REDIS_URL=url, JOBS_QUEUE_NAME="caseflow-test-queue")
    assert isinstance(huey_of(app), RedisHuey)
    assert _check(app)[0]
    down = _app(tmp_path / "down", REDIS_URL="redis://127.0.0.1:1/0")
    ok, detail = _check(down)
    assert not ok and "ConnectionError" in detail


def test_the_worker_refuses_immediate_mode(tmp_path):
    app = _app(tmp_path, JOBS_IMMEDIATE=True)
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 2 and "JOBS_IMMEDIATE" in result.output
