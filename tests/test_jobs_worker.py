"""`caseflow worker` as a real process (Huey's consumer, on the SQLite queue in the instance folder and on Redis): it
delivers the outbox into a local SMTP sink, and a worker killed with SIGKILL in the middle of an SMTP
transaction loses no message and sends none twice (the next worker claims it again once its lease runs out)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from caseflow.extensions import db
from caseflow.jobs.models import OutboxMessage
from caseflow.jobs.outbox import queue_message
from tests.conftest import AUDIT_KEY, private_redis_queue
from tests.smtp_sink import running_sink

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
LEASE = 3


@pytest.fixture
def sink():
    with running_sink(hold="#3") as s:
        yield s


REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(params=["sqlite", "redis"])
def queue(request):
    """The worker's queue: the SQLite file in the instance folder, or Redis (a queue name of this test's own)."""
    if request.param == "sqlite":
        yield {}
        return
    with private_redis_queue(REDIS_URL, "caseflow-kill") as name:
        yield {"JOBS_REDIS_URL": REDIS_URL, "JOBS_QUEUE_NAME": name}


@pytest.fixture
def app_config(sink, queue):
    # a real queue, as in production: the test's commits enqueue into the worker's queue
    return {"JOBS_IMMEDIATE": False, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": sink.port,
            "OUTBOX_LEASE_SECONDS": LEASE, **queue}


def start_worker(app, log: Path, extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CASEFLOW_INSTANCE_PATH": app.instance_path,
           "CASEFLOW_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "CASEFLOW_AUDIT_KEY": AUDIT_KEY,
           "CASEFLOW_MAIL_SERVER": "127.0.0.1", "CASEFLOW_MAIL_PORT": str(app.config["MAIL_PORT"]),
           "CASEFLOW_OUTBOX_LEASE_SECONDS": str(LEASE), "CASEFLOW_JOBS_IMMEDIATE": "false",
           "CASEFLOW_TRANSLATIONS_DIR": app.config["TRANSLATIONS_DIR"], **(extra_env or {})}
    env.pop("CASEFLOW_REDIS_URL", None)
    return subprocess.Popen([sys.executable, "-c", "from caseflow.cli import main; main()", "worker", "--workers", "1"], env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=str(ROOT))


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(predicate, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text(errors='replace')[-3000:]}")


def _statuses(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.subject, OutboxMessage.status)).all()
        db.session.remove()
    return dict(rows)


def test_worker_killed_mid_send_neither_loses_nor_duplicates(app, sink, tmp_path, queue):
    log = tmp_path / "worker.log"
    queue_env = {f"CASEFLOW_{k}": v for k, v in queue.items()}
    with app.app_context():
        for i in range(1, 6):
            queue_message(db.session, f"can-bo{i}@ldld.test", f"[caseflow] thông báo #{i}", "nội dung", kind="test")
        db.session.commit()  # kicks the queue: the job waits in instance/jobs.db for a worker
        db.session.remove()
    first = start_worker(app, log, queue_env)
    try:
        wait_for(sink.holding.is_set, 60, "the first worker to reach message #3", log)
        assert [s for _m, _t, s in sink.accepted] == ["[caseflow] thông báo #1", "[caseflow] thông báo #2"]
        os.kill(first.pid, signal.SIGKILL)  # mid-send: the sink holds #3's DATA without its 250 reply
        first.wait(10)
    finally:
        stop(first)
    wait_for(sink.dropped.is_set, 10, "the sink to drop the cut transaction", log)
    statuses = _statuses(app)
    assert statuses["[caseflow] thông báo #3"] == "sending" and statuses["[caseflow] thông báo #1"] == "sent"
    second = start_worker(app, log, queue_env)
    try:
        wait_for(lambda: set(_statuses(app).values()) == {"sent"}, 60, "every message sent", log)
    finally:
        stop(second)
    subjects = [s for _m, _t, s in sink.accepted]
    assert sorted(subjects) == [f"[caseflow] thông báo #{i}" for i in range(1, 6)]  # each exactly once
    assert len({m for m, _t, _s in sink.accepted}) == 5
    with app.app_context():
        third = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.endswith("#3")))
        assert third.attempts == 2 and third.claim_token is None
    assert "Traceback" not in log.read_text(errors="replace").split("thông báo")[0]
    json.dumps(subjects)  # plain strings, decoded from the MIME headers
