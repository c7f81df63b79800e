"""The long works wired as background jobs (issue 11): a batch of PDFs from the register page (a ZIP), the
register import's dry run and commit (the import report from the job page; a cancel rolls the commit back),
and large exports (the case list, the documents register) whose result is the file. JOBS_IMMEDIATE (tests):
each job has run when its page is first shown."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from caseflow.core.clock import local_today
from caseflow.core.models import Case
from caseflow.extensions import db
from caseflow.jobs.models import BackgroundJob
from caseflow.reports.imports.legal_aid import guess_mapping
from tests.conftest import csrf_token, login
from tests.test_documents_web import world  # noqa: F401  (the fixture: issued documents and a draft)
from tests.test_kpi_import_export import HEADERS, good_row, xlsx_bytes


@pytest.fixture
def app_config():
    return {"IMPORT_JOB_ROWS": 0, "EXPORT_JOB_ROWS": 0, "DOCUMENTS_JOB_PROCESSES": 1, "JOBS_PROGRESS_SECONDS": 0}


def _job(client, response) -> dict:
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    location = response.headers["Location"]
    assert re.fullmatch(r"/jobs/\d+", location), location
    page = client.get(location)
    assert page.status_code == 200
    state = client.get(f"{location}.json").get_json()
    state["page"] = page.get_data(as_text=True)
    return state


def test_batch_render_from_the_register_page(app, client, world):  # noqa: F811
    login(client, "tuvan1")
    page = client.get("/documents/register").get_data(as_text=True)
    assert 'id="batch-form"' in page
    token = csrf_token(client, "/documents/register")
    refused = client.post("/documents/batch", data={"csrf_token": token})
    assert refused.status_code == 422 and "Hãy chọn một ngày" in refused.get_data(as_text=True)
    state = _job(client, client.post("/documents/batch", data={
        "csrf_token": token, "batch-day": local_today().strftime("%d/%m/%Y")}))
    assert state["status"] == "done" and state["percent"] == 100 and state["total"] == state["done"] >= 1
    assert "Kết xuất loạt văn bản PDF" in state["page"]
    download = client.get(state["download"])
    assert download.headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert len(names) == state["total"] and all(n.endswith(".pdf") for n in names)
    with app.app_context():  # only what the owner may see: the secret document is not the legal officer's
        secret = db.session.get(Case, world["secret"]).code
    assert not any(n.startswith(secret) for n in names)


def _upload(client, content: bytes) -> tuple[str, dict]:
    token = csrf_token(client, "/reports/import")
    page = client.post("/reports/import", data={"csrf_token": token, "file": (io.BytesIO(content), "so.xlsx")},
                       content_type="multipart/form-data")
    upload = re.search(r'action="/reports/import/([0-9a-f]+\.xlsx)"', page.get_data(as_text=True)).group(1)
    with client.application.app_context():
        mapping = {f"map_{k}": str(i) for k, i in guess_mapping(HEADERS).items()}
    return upload, {"csrf_token": token, "filename": "so.xlsx", **mapping}


def _cases(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Case))
        db.session.remove()
    return n


def test_register_import_dry_run_report_and_commit_as_jobs(app, client, org):
    login(client, "lanhdao")
    upload, form = _upload(client, xlsx_bytes([good_row(1), good_row(2, unit="KHÔNG-CÓ"), good_row(3)]))
    dry = _job(client, client.post(f"/reports/import/{upload}", data={**form, "check": "1"}))
    assert dry["status"] == "done" and dry["errors_count"] == 1 and "KHÔNG-CÓ" in dry["errors"][0]
    assert dry["follow_up"] is None  # not clean: no commit offered
    report = load_workbook(io.BytesIO(client.get(dry["download"]).data)).active
    assert [c.value for c in report[2]][:1] == [3] and "KHÔNG-CÓ" in report[2][2].value
    refused = _job(client, client.post(f"/reports/import/{upload}", data={**form, "commit": "1"}))
    assert refused["errors_count"] == 1 and _cases(app) == 0

    upload, form = _upload(client, xlsx_bytes([good_row(i) for i in range(1, 6)]))
    dry = _job(client, client.post(f"/reports/import/{upload}", data={**form, "check": "1"}))
    assert dry["errors_count"] == 0 and dry["follow_up"]["fields"]["commit"] == "1"
    assert 'id="job-follow-up"' in dry["page"]
    fields = {**dry["follow_up"]["fields"], "csrf_token": form["csrf_token"]}
    done = _job(client, client.post(dry["follow_up"]["url"], data=fields))
    assert done["status"] == "done" and done["done"] == done["total"] == 5 and _cases(app) == 5
    assert "5" in done["summary"]


def test_a_cancelled_import_commit_writes_nothing(app, client, org, monkeypatch):
    from caseflow.jobs import live
    from caseflow.jobs.runner import JobContext
    from caseflow.reports.imports import legal_aid

    monkeypatch.setattr(legal_aid, "PROGRESS_EVERY", 1)
    original = JobContext.progress

    def progress(self, done, total=None, force=False):
        if done == 3:  # the owner clicks "cancel" while the commit's transaction is open
            live.request_cancel_file(self.app.instance_path, self.job_id)
        return original(self, done, total, force)

    monkeypatch.setattr(JobContext, "progress", progress)
    login(client, "lanhdao")
    upload, form = _upload(client, xlsx_bytes([good_row(i) for i in range(1, 7)]))
    state = _job(client, client.post(f"/reports/import/{upload}", data={**form, "commit": "1"}))
    assert state["status"] == "cancelled" and state["download"] is None
    assert _cases(app) == 0
    assert 'id="job-retry-form"' in state["page"]


def test_large_exports_run_as_jobs_and_small_ones_stay_immediate(app, client, world):  # noqa: F811
    login(client, "tuvan1")
    state = _job(client, client.get("/reports/cases.xlsx?kind=document"))
    assert state["status"] == "done"
    sheet = load_workbook(io.BytesIO(client.get(state["download"]).data)).active
    assert sheet.max_row - 1 == state["total"] >= 1
    state = _job(client, client.get("/documents/register.xlsx"))
    book = client.get(state["download"])
    assert book.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(book.data)).active.max_row - 1 == state["total"]
    app.config["EXPORT_JOB_ROWS"] = 10_000
    immediate = client.get("/documents/register.xlsx")
    assert immediate.status_code == 200 and immediate.data == book.data
    with app.app_context():
        assert {j.kind for j in db.session.scalars(select(BackgroundJob))} == {"export"}


def test_membership_list_import_as_jobs(app, client, org):
    from caseflow.union.models import Member
    from tests.member_helpers import GOOD
    from tests.member_helpers import xlsx as members_xlsx
    from tests.test_members import _upload as upload_members

    login(client, "tochuc")
    dry = _job(client, upload_members(client, members_xlsx(GOOD)))
    assert dry["status"] == "done" and dry["errors_count"] == 0 and "Nhập danh sách đoàn viên" in dry["page"]
    fields = {**dry["follow_up"]["fields"], "csrf_token": csrf_token(client, "/jobs/")}
    done = _job(client, client.post(dry["follow_up"]["url"], data=fields))
    assert done["status"] == "done" and done["done"] == len(GOOD) and done["download"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Member)) == len(GOOD)
