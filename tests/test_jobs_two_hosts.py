"""Two hosts in one test: two apps (the web servers' code, fires spread over both) and two `caseflow worker`
processes on one PostgreSQL database and one Redis queue; both schedulers are due at the same minutes ->
each sweep runs once per slot, each notice is e-mailed once, the audit chains verify."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from caseflow import create_app
from caseflow.core.engine.audit import verify_all
from caseflow.core.models import User
from caseflow.deadlines.models import Notification
from caseflow.extensions import db
from caseflow.jobs.models import JobRun, OutboxMessage
from caseflow.jobs.queue import huey_of
from tests.conftest import AUDIT_KEY
from tests.deadline_helpers import open_probe, probe_config
from tests.smtp_sink import running_sink
from tests.test_jobs_worker import start_worker, stop, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
REDIS_URL = "redis://127.0.0.1:6379/14"
CASES = 4


@pytest.fixture
def sink():
    with running_sink() as s:
        yield s


@pytest.fixture
def queue_name():
    return f"caseflow-two-hosts-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def app_config(tmp_path, sink, queue_name, backend):
    if backend != "postgresql":
        pytest.skip("two hosts share a PostgreSQL database (CASEFLOW_TEST_POSTGRES_URL)")
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return {**probe_config(tmp_path), "JOBS_IMMEDIATE": False, "JOBS_REDIS_URL": REDIS_URL,
            "JOBS_QUEUE_NAME": queue_name, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": sink.port}


def test_two_hosts_two_workers_one_database_one_queue(app, org, sink, tmp_path, queue_name):
    other = create_app({**{k: app.config[k] for k in ("WORKFLOWS_DIR", "JOBS_REDIS_URL", "JOBS_QUEUE_NAME",
                                                      "MAIL_SERVER", "MAIL_PORT", "TRANSLATIONS_DIR")},
                        "INSTANCE_PATH": str(tmp_path / "host2"), "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                        "TESTING": True, "AUDIT_HMAC_KEY": AUDIT_KEY, "JOBS_IMMEDIATE": False})
    for i in range(CASES):  # the fires spread over both hosts; long past their 7-working-day limit
        with (app if i % 2 else other).app_context():
            case = open_probe(org, date(2026, 1, 5))
            case.assignee_id = org["users"]["kiemtra"]
            db.session.get(User, org["users"]["kiemtra"]).email = "kiemtra@ldld.test"
            db.session.commit()
            db.session.remove()
    env = {"CASEFLOW_WORKFLOWS_DIR": app.config["WORKFLOWS_DIR"], "CASEFLOW_JOBS_REDIS_URL": REDIS_URL,
           "CASEFLOW_JOBS_QUEUE_NAME": queue_name, "CASEFLOW_DEADLINE_SWEEP_MINUTES": "1"}
    logs = [tmp_path / "worker1.log", tmp_path / "worker2.log"]
    workers = [start_worker(app, logs[0], env), start_worker(other, logs[1], env)]

    def swept_and_sent():
        with app.app_context():
            done = db.session.scalar(select(func.count()).select_from(JobRun).where(
                JobRun.job == "deadline_sweep", JobRun.status == "done"))
            sent = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status == "sent"))
            db.session.remove()
        return done >= 2 and sent == CASES  # two slots: both schedulers were due at each of them

    try:
        wait_for(swept_and_sent, 150, "two sweep slots and every notice sent", logs[0])
    finally:
        for w in workers:
            stop(w)
        huey_of(app).storage.flush_all()
    with app.app_context():
        runs = db.session.execute(select(JobRun.job, JobRun.slot_dt, JobRun.worker)).all()
        sweeps = [r for r in runs if r.job == "deadline_sweep"]
        assert len(sweeps) == len({r.slot_dt for r in sweeps})  # one run per slot
        breached = db.session.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "breached"))
        assert breached == 2 * CASES  # assignee and leader, once each per case
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == CASES
        assert verify_all(db.session, AUDIT_KEY.encode())[1] == []
        db.session.remove()
    assert len(sink.accepted) == CASES and len({m for m, _t, _s in sink.accepted}) == CASES
    assert {t for _m, t, _s in sink.accepted} == {"kiemtra@ldld.test"}
    with other.app_context():
        db.engine.dispose()
    # both schedulers enqueued the sweep at each minute: the second of each slot found it taken
    assert any("already ran on another worker" in log.read_text(errors="replace") for log in logs)
