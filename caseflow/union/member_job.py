"""The membership-list import as a background job when the list is large (over IMPORT_JOB_ROWS rows), as the
register import does (caseflow/reports/import_job.py): the dry run and the all-or-nothing commit, the report
from the job's page, a clean dry run offering the commit."""
from __future__ import annotations

from flask import url_for

from caseflow.core.i18n import _
from caseflow.jobs import JobKind
from caseflow.jobs.models import BackgroundJob
from caseflow.reports.import_job import import_work

KIND = "member_import"
#: the kept upload files of the membership list (caseflow/web/import_files)
MEMBER_FILES = "members-"


def _importer(session, owner, table, params):
    from caseflow.union.member_import import MemberImporter

    return MemberImporter(session, owner, table, source=params.get("filename") or params["token"])


def follow_up(job: BackgroundJob) -> dict | None:
    params = job.params or {}
    if params.get("commit") or job.errors_count:
        return None
    return {"url": url_for("members.import_commit", token=params["token"]), "label": _("Import all rows"),
            "fields": {"filename": params.get("filename") or ""}}


KIND_SPEC = JobKind(KIND, lambda: _("Membership list import"),
                    import_work(_importer, MEMBER_FILES, lambda n: _("%(n)d members imported.", n=n)),
                    follow_up=follow_up)
