"""Users' background jobs (issue 11): the runner (progress in its own transactions, cancel rolls the work back,
a failure recorded, a stale heartbeat shown and recorded as failed, retry) and the job pages (owner only)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseflow.core import clock
from caseflow.core.models import User
from caseflow.extensions import db
from caseflow.jobs import JobCancelled, JobKind, add_job_kind, live, start_job
from caseflow.jobs.models import BackgroundJob
from caseflow.jobs.stale import WORKER_STOPPED, check_jobs
from caseflow.reports.models import RepresentationTarget
from tests.conftest import csrf_token, login


@pytest.fixture
def app_config():
    return {"JOBS_PROGRESS_SECONDS": 0}


SEEN: list = []


def _count(ctx):
    """Writes one target row per unit of work in the work's transaction, reports progress, records errors."""
    n = ctx.params["n"]
    for i in range(n):
        ctx.session.add(RepresentationTarget(year=2000 + i, target_pct=10.0, basis="test"))
        ctx.session.flush()
        # the owner's click, as the cancel route writes it (the row, or beside it under SQLite's lock)
        if i == ctx.params.get("cancel_at") and not live.write_row(db.engine, ctx.job_id, {"cancel_requested": True}):
            live.request_cancel_file(ctx.app.instance_path, ctx.job_id)
        if i == ctx.params.get("fail_at"):
            raise ValueError(f"row {i} is bad")
        if i % 2:
            ctx.add_errors([f"dòng {i}: lỗi thử"])
        fresh = db.session.execute(select(BackgroundJob).where(BackgroundJob.id == ctx.job_id)
                                   .execution_options(populate_existing=True)).scalar_one()
        SEEN.append(dict(live.overlay(fresh, ctx.app.instance_path)))
        ctx.progress(i + 1, n)
    ctx.session.commit()
    ctx.save_result("ket-qua.txt", "text/plain", f"{n} rows".encode())
    return f"{n} rows written"


@pytest.fixture
def kind(app):
    add_job_kind(app, JobKind("test_count", lambda: "Đếm thử", _count))
    SEEN.clear()


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def _targets():
    return db.session.scalars(select(RepresentationTarget.year).where(RepresentationTarget.year < 2020)).all()


def test_progress_result_and_errors(ctx, org, kind):
    job = start_job(db.session, "test_count", _user("tuvan1"), {"n": 5})
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    assert (job.status, job.done, job.total, job.errors_count) == ("done", 5, 5, 2)
    assert job.errors_sample == ["dòng 1: lỗi thử", "dòng 3: lỗi thử"]
    assert job.summary == "5 rows written" and job.result_name == "ket-qua.txt"
    assert job.started_dt and job.finished_dt and job.heartbeat_dt
    assert len(_targets()) == 5
    # the page's reader saw the counters move while the work's transaction was still open
    assert [s["done"] for s in SEEN] == [0, 1, 2, 3, 4]


def test_cancel_rolls_the_work_back(ctx, org, kind):
    job = start_job(db.session, "test_count", _user("tuvan1"), {"n": 6, "cancel_at": 2})
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    assert job.status == "cancelled" and job.result_path is None
    assert _targets() == []


def test_failure_is_recorded_and_rolled_back(ctx, org, kind):
    job = start_job(db.session, "test_count", _user("tuvan1"), {"n": 6, "fail_at": 3})
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    assert job.status == "failed" and job.last_error == "ValueError: row 3 is bad"
    assert job.done == 3 and _targets() == []


def test_a_stale_heartbeat_is_shown_and_recorded_as_failed_and_can_be_retried(app, client, org, kind):
    with app.app_context():
        owner = _user("tuvan1")
        long_ago = clock.now() - timedelta(minutes=10)
        job = BackgroundJob(kind="test_count", owner_id=owner.id, params={"n": 2}, status="running",
                            done=1, total=2, created_dt=long_ago, started_dt=long_ago, heartbeat_dt=long_ago,
                            errors_sample=[])
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.session.remove()
    login(client, "tuvan1")
    state = client.get(f"/jobs/{job_id}.json").get_json()
    assert state["status"] == "failed" and state["finished"] and state["error"] not in (None, WORKER_STOPPED)
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'id="job-retry-form"' in page and 'id="job-retry-form" hidden' not in page
    with app.app_context():
        assert "1 stale" in check_jobs(db.session, app)
        row = db.session.get(BackgroundJob, job_id)
        assert (row.status, row.last_error) == ("failed", WORKER_STOPPED)
        db.session.remove()
    token = csrf_token(client, f"/jobs/{job_id}")
    again = client.post(f"/jobs/{job_id}/retry", data={"csrf_token": token})
    assert again.status_code == 303
    new_id = int(again.headers["Location"].rsplit("/", 1)[1])
    assert new_id != job_id
    assert client.get(f"/jobs/{new_id}.json").get_json()["status"] == "done"


def test_a_lost_queued_job_is_enqueued_again_and_runs_once(app, org, kind):
    with app.app_context():
        long_ago = clock.now() - timedelta(hours=1)
        job = BackgroundJob(kind="test_count", owner_id=_user("tuvan1").id, params={"n": 1}, status="queued",
                            created_dt=long_ago, errors_sample=[])
        db.session.add(job)
        db.session.commit()
        assert "1 queued job(s) enqueued again" in check_jobs(db.session, app)
        db.session.expire_all()
        assert db.session.get(BackgroundJob, job.id).status == "done"
        assert "0 queued" in check_jobs(db.session, app)
        assert _targets() == [2000]


@pytest.mark.parametrize("username", ["tuvan1", "lanhdao", "admin"])
def test_only_the_owner_sees_a_job(app, client, org, kind, username):
    with app.app_context():
        job = start_job(db.session, "test_count", _user("tuvan1"), {"n": 1})
        job_id = job.id
        db.session.remove()
    login(client, username)
    expected = 200 if username == "tuvan1" else 404
    for url in (f"/jobs/{job_id}", f"/jobs/{job_id}.json", f"/jobs/{job_id}/download"):
        assert client.get(url).status_code == expected, url
    listing = client.get("/jobs/").get_data(as_text=True)
    assert (f'id="job-{job_id}"' in listing) == (username == "tuvan1")
    if username != "tuvan1":
        token = csrf_token(client, "/jobs/")
        assert client.post(f"/jobs/{job_id}/cancel", data={"csrf_token": token}).status_code == 404
        assert client.post(f"/jobs/{job_id}/retry", data={"csrf_token": token}).status_code == 404
    else:
        download = client.get(f"/jobs/{job_id}/download")
        assert download.data == b"1 rows" and "ket-qua.txt" in download.headers["Content-Disposition"]


def test_cancel_of_a_queued_job(app, client, org, kind):
    with app.app_context():
        job = BackgroundJob(kind="test_count", owner_id=_user("tuvan1").id, params={"n": 1}, status="queued",
                            created_dt=clock.now(), errors_sample=[])
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.session.remove()
    login(client, "tuvan1")
    token = csrf_token(client, f"/jobs/{job_id}")
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and 'id="job-reload"' in page  # works without JavaScript
    assert client.post(f"/jobs/{job_id}/cancel", data={"csrf_token": token}).status_code == 303
    assert client.get(f"/jobs/{job_id}.json").get_json()["status"] == "cancelled"
    with app.app_context():
        from caseflow.jobs.runner import run_job

        assert "skipped" in run_job(app, job_id)  # its task, arriving late, does nothing


def test_job_cancelled_is_an_exception():
    assert issubclass(JobCancelled, Exception)
