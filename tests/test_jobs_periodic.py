"""Periodic jobs on Huey replace cron: the deadline sweep every few minutes, `org sync` daily, the nightly
backup; each runs once per slot however many workers' schedulers are due at the same minute."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from caseflow import create_app
from caseflow.core.engine.audit import verify_all
from caseflow.deadlines.models import Notification
from caseflow.extensions import db
from caseflow.jobs.models import JobRun
from caseflow.jobs.periodic import slot_of
from caseflow.jobs.queue import huey_of
from caseflow.jobs.tasks import tasks_of
from tests.conftest import AUDIT_KEY
from tests.deadline_helpers import open_probe, probe_config


@pytest.fixture
def app_config(tmp_path):
    return {**probe_config(tmp_path), "JOBS_IMMEDIATE": False}


def test_the_schedule_in_utc(app):
    periodic = {t.__name__: t for t in huey_of(app)._registry._periodic_tasks}
    assert set(periodic) >= {"deadline_sweep", "org_sync", "nightly_backup", "drain_outbox"}

    def due(name, hour, minute):
        return periodic[name]().validate_datetime(datetime(2026, 3, 12, hour, minute))

    assert due("deadline_sweep", 3, 10) and not due("deadline_sweep", 3, 11)
    assert due("org_sync", 17, 5) and not due("org_sync", 0, 5)  # 00:05 in Việt Nam is 17:05 UTC
    assert due("nightly_backup", 19, 0) and not due("nightly_backup", 2, 0)
    assert due("drain_outbox", 8, 37)


def test_slots():
    at = datetime(2026, 3, 12, 3, 12, 41, tzinfo=UTC)
    assert slot_of(at, 300) == datetime(2026, 3, 12, 3, 10, tzinfo=UTC)
    assert slot_of(at, 86400) == datetime(2026, 3, 12, tzinfo=UTC)


def _second_worker(app, tmp_path):
    """Another host's app: the same database, its own queue (a scheduler of its own)."""
    return create_app({"INSTANCE_PATH": str(tmp_path / "host2"), "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                       "TESTING": True, "AUDIT_HMAC_KEY": AUDIT_KEY, "TRANSLATIONS_DIR": app.config["TRANSLATIONS_DIR"],
                       "WORKFLOWS_DIR": app.config["WORKFLOWS_DIR"], "JOBS_IMMEDIATE": False})


def test_two_workers_due_at_the_same_minute_sweep_once(app, org, tmp_path, clock):
    from tests.factories import user

    other = _second_worker(app, tmp_path)
    with app.app_context():
        clock(date(2026, 3, 2))
        case = open_probe(org, date(2026, 3, 2))  # initial processing due 11/03/2026
        case.assignee_id = user(org, "kiemtra").id
        db.session.commit()
        db.session.remove()
    clock(date(2026, 3, 12))  # both schedulers fire at 09:00 local that day
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker(an_app):
        try:
            huey = huey_of(an_app)
            task = tasks_of(an_app).periodic["deadline_sweep"].s()
            barrier.wait()
            results.append(huey.execute(task))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(a,)) for a in (app, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with app.app_context():
        runs = db.session.scalars(select(JobRun)).all()
        assert [(r.job, r.status) for r in runs] == [("deadline_sweep", "done")]
        assert "1 breached" in runs[0].result
        assert db.session.scalar(select(func.count(Notification.id))) == 2  # assignee and leader, once each
        assert verify_all(db.session, AUDIT_KEY.encode())[1] == []
        # the same slot again (a late duplicate) skips; the next slot runs
        huey_of(app).execute(tasks_of(app).periodic["deadline_sweep"].s())
        assert db.session.scalar(select(func.count(JobRun.id))) == 1
        later = clock(date(2026, 3, 12))
        later.now = later.now.replace(minute=5)
        huey_of(other).execute(tasks_of(other).periodic["deadline_sweep"].s())
        assert db.session.scalar(select(func.count(JobRun.id))) == 2
        db.session.remove()
    with other.app_context():
        db.engine.dispose()


def test_org_sync_and_the_backup_hook_as_jobs(app, org, clock):
    with app.app_context():
        clock(date(2026, 7, 1))
        huey = huey_of(app)
        huey.execute(tasks_of(app).periodic["org_sync"].s())
        huey.execute(tasks_of(app).periodic["nightly_backup"].s())
        runs = {r.job: r for r in db.session.scalars(select(JobRun))}
        assert runs["org_sync"].status == "done" and "organisation tree as on 2026-07-01" in runs["org_sync"].result
        assert runs["nightly_backup"].status == "done", runs["nightly_backup"].result
        assert "backup" in runs["nightly_backup"].result and "0 old backup(s) deleted" in runs["nightly_backup"].result
        db.session.remove()


def test_a_failing_job_is_recorded_and_the_worker_goes_on(app, monkeypatch):
    import caseflow.union.org as org_module

    def broken(session, today):
        raise RuntimeError("tree unreadable")

    monkeypatch.setattr(org_module, "sync_all", broken)
    with app.app_context():
        huey_of(app).execute(tasks_of(app).periodic["org_sync"].s())
        run = db.session.scalar(select(JobRun))
        assert run.status == "failed" and "tree unreadable" in run.result
        db.session.remove()
