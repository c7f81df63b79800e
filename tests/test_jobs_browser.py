"""Background jobs in a real browser (issue 11): a batch of PDFs and a register import run on a real worker
(`caseflow worker` on the SQLite queue in the instance folder, not JOBS_IMMEDIATE); the job's page shows its
progress bar moving while the worker runs, and ends with a download (the ZIP, the import report)."""
from __future__ import annotations

import io
import re
import threading
import time
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from werkzeug.serving import make_server

from caseflow.extensions import db
from tests.browser_helpers import DESKTOP, browser_page, log_in
from tests.test_documents_register import draft, units_by_key
from tests.test_jobs_worker import start_worker, stop
from tests.test_kpi_import_export import good_row, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DRAFTS = 20  # enough rendering (a few seconds) for the page to poll the bar between 0 and 100
ROWS = 4000


@pytest.fixture
def app_config():
    return {"JOBS_IMMEDIATE": False, "IMPORT_JOB_ROWS": 0, "JOBS_PROGRESS_SECONDS": 0.2,
            "DOCUMENTS_JOB_PROCESSES": 1, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 2525}


@pytest.fixture
def served(app, org, tmp_path):
    from caseflow.documents.demo import seed_powers
    from tests.factories import users_by_name

    with app.app_context():
        seed_powers(db.session, units_by_key(org), users_by_name(org), date(2020, 1, 1))
        db.session.commit()
        for _i in range(DRAFTS):
            draft(org)
        db.session.remove()
    log = tmp_path / "worker.log"
    worker = start_worker(app, log, {"CASEFLOW_STORAGE_DIR": app.config["STORAGE_DIR"],
                                     "CASEFLOW_JOBS_PROGRESS_SECONDS": "0.2", "CASEFLOW_DOCUMENTS_JOB_PROCESSES": "1"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", log
    server.shutdown()
    thread.join(5)
    stop(worker)


def watch_job(page, log, timeout: float = 240) -> list[int]:
    """The progress bar's values as the page's own script moves them, until the job ends (no reload)."""
    url = page.url
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate("document.getElementById('job-progress').value")
        if not seen or seen[-1] != value:
            seen.append(int(value))
        status = page.get_attribute("#job-status", "data-status")
        if status in ("done", "failed", "cancelled"):
            assert status == "done", (page.inner_text("#job"), log.read_text(errors="replace")[-3000:])
            # the poll that ended the job may have moved the bar after it was read above
            value = int(page.evaluate("document.getElementById('job-progress').value"))
            if seen[-1] != value:
                seen.append(value)
            assert page.url == url  # moved by the script, not by reloading
            return seen
        time.sleep(0.05)
    pytest.fail(f"job did not end; bar {seen}; worker log:\n{log.read_text(errors='replace')[-3000:]}")


def moved(seen: list[int]) -> bool:
    return seen[-1] == 100 and any(0 < v < 100 for v in seen) and seen == sorted(seen)


def test_batch_render_and_register_import_show_a_live_progress_bar_and_end_with_a_download(served, tmp_path):
    base, log = served
    with browser_page(DESKTOP) as page:
        log_in(page, base, "lanhdao")
        page.goto(f"{base}/documents/register")
        page.check("#batch-drafts")
        page.click("#batch-submit")
        page.wait_for_url(re.compile(r".*/jobs/\d+$"))
        seen = watch_job(page, log)
        assert moved(seen), seen
        assert page.inner_text("#job-done") == page.inner_text("#job-total") == str(DRAFTS)
        with page.expect_download() as download:
            page.click("#job-download")
        names = zipfile.ZipFile(download.value.path()).namelist()
        assert len(names) == DRAFTS and all(n.endswith(".pdf") for n in names)

        register = tmp_path / "so-vu-viec.xlsx"
        register.write_bytes(xlsx_bytes([good_row(i) for i in range(1, ROWS + 1)]))
        page.goto(f"{base}/reports/import")
        page.set_input_files("input[type=file]", str(register))
        page.click("#upload")
        page.click("#dry-run")
        page.wait_for_url(re.compile(r".*/jobs/\d+$"))
        dry_run = page.url
        # clean: once done, the page reloads itself with the commit's button
        page.wait_for_selector("#job-follow-up-submit", timeout=240_000)
        page.click("#job-follow-up-submit")
        page.wait_for_url(re.compile(r".*/jobs/\d+$"))
        assert page.url != dry_run
        seen = watch_job(page, log)
        assert moved(seen), seen
        assert page.inner_text("#job-done") == str(ROWS)
        with page.expect_download() as download:
            page.click("#job-download")
        report = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
        assert report.max_row == ROWS + 1
        assert page.console_errors == [] and page.outside_requests == []
