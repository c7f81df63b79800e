"""A worker killed with SIGKILL in the middle of a background job (issue 11): the job is never silently lost.
Its heartbeat goes stale, the job's page shows it failed ("worker stopped"), the periodic check records it so,
the killed commit wrote nothing (its transaction died with the worker), and a retry on a new worker runs it to
the end."""
from __future__ import annotations

import io
import re
import time

import pytest
from sqlalchemy import func, select

from caseflow.core.models import Case
from caseflow.extensions import db
from caseflow.jobs.models import BackgroundJob
from caseflow.jobs.stale import WORKER_STOPPED, check_jobs
from caseflow.reports.imports.legal_aid import guess_mapping
from tests.conftest import csrf_token, login
from tests.test_jobs_worker import start_worker, stop
from tests.test_kpi_import_export import HEADERS, good_row, xlsx_bytes

pytestmark = pytest.mark.slow
ROWS = 2500
ENV = {"CASEFLOW_JOBS_PROGRESS_SECONDS": "0.2", "CASEFLOW_JOBS_HEARTBEAT_SECONDS": "0.5"}


@pytest.fixture
def app_config():
    return {"JOBS_IMMEDIATE": False, "IMPORT_JOB_ROWS": 0, "JOBS_STALE_SECONDS": 3, "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": 2525}


def _wait(predicate, timeout, what, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text(errors='replace')[-3000:]}")


def _cases(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Case))
        db.session.remove()
    return n


def test_a_worker_killed_mid_import_leaves_a_failed_job_that_can_be_retried(app, client, org, tmp_path):
    env = {**ENV, "CASEFLOW_STORAGE_DIR": app.config["STORAGE_DIR"]}
    log = tmp_path / "worker.log"
    login(client, "lanhdao")
    token = csrf_token(client, "/reports/import")
    page = client.post("/reports/import", data={"csrf_token": token, "file": (
        io.BytesIO(xlsx_bytes([good_row(i) for i in range(1, ROWS + 1)])), "so.xlsx")},
        content_type="multipart/form-data")
    upload = re.search(r'action="/reports/import/([0-9a-f]+\.xlsx)"', page.get_data(as_text=True)).group(1)
    with app.app_context():
        mapping = {f"map_{k}": str(i) for k, i in guess_mapping(HEADERS).items()}
    started = client.post(f"/reports/import/{upload}", data={"csrf_token": token, "filename": "so.xlsx",
                                                             "commit": "1", **mapping})
    assert started.status_code == 303
    url = started.headers["Location"]
    assert client.get(f"{url}.json").get_json()["status"] == "queued"  # no worker yet: it waits, not lost

    worker = start_worker(app, log, env)
    try:
        _wait(lambda: (s := client.get(f"{url}.json").get_json())["status"] == "running" and s["done"] > 0,
              180, "the commit to be under way", log)
    finally:
        worker.kill()  # SIGKILL: no cleanup, no last write
        worker.wait()
    state = _wait(lambda: (s := client.get(f"{url}.json").get_json())["status"] == "failed" and s, 30,
                  "the stale heartbeat", log)
    assert state["error"] and state["finished"]
    assert _cases(app) == 0  # the all-or-nothing transaction died with the worker
    with app.app_context():
        assert "1 stale job(s) marked failed" in check_jobs(db.session, app)
        job = db.session.scalar(select(BackgroundJob).where(BackgroundJob.id == int(url.rsplit("/", 1)[1])))
        assert (job.status, job.last_error) == ("failed", WORKER_STOPPED)
        db.session.remove()

    again = client.post(f"{url}/retry", data={"csrf_token": csrf_token(client, url)})
    assert again.status_code == 303 and again.headers["Location"] != url
    worker = start_worker(app, log, env)
    try:
        done = _wait(lambda: (s := client.get(f"{again.headers['Location']}.json").get_json())["finished"] and s,
                     300, "the retried import", log)
    finally:
        stop(worker)
    assert done["status"] == "done", done
    assert done["done"] == ROWS and _cases(app) == ROWS
