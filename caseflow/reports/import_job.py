"""The register import as a background job when the file is large (over IMPORT_JOB_ROWS rows): the dry run and
the all-or-nothing commit, the import report (every row's errors) downloaded from the job's page, and a clean
dry run's page offering the commit. Importer is called as the page calls it: the commit's progress callback
moves the bar and raises JobCancelled on a cancel, so the commit's one transaction rolls back."""
from __future__ import annotations

from flask import url_for

from caseflow.core.i18n import _
from caseflow.jobs import JobKind
from caseflow.jobs.models import BackgroundJob

KIND = "register_import"
DEFAULT_JOB_ROWS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_xlsx(errors) -> bytes:
    """The import report: one line per error (row, column, reason), as the dry-run page lists them."""
    from caseflow.reports.export import to_xlsx

    return to_xlsx([_("Row"), _("Column"), _("Reason")], [[e.row, e.column, e.reason] for e in errors],
                   sheet_title="bao-cao-nhap")


def imported_xlsx(result) -> bytes:
    """A committed import's report: each row of the file and the code it was given in the register."""
    from caseflow.reports.export import to_xlsx

    return to_xlsx([_("Row"), _("Code"), _("Result")],
                   [[number, row.get("code") or "", _("imported")] for number, row in sorted(result.prepared.items())],
                   sheet_title="bao-cao-nhap")


def import_work(make_importer, prefix: str = "", imported=lambda n: _("%(n)d cases imported.", n=n)):
    """The work of an import job: make_importer(session, owner, table, params) -> an importer with check() and
    commit(progress); `prefix` names the kept upload files of this import; imported(n) says what was written."""
    def run(ctx) -> str:
        from caseflow.reports.imports.reader import read_table
        from caseflow.web import import_files

        params = ctx.params
        path, ext = import_files.stored(params["token"], prefix=prefix)
        table = read_table(f"x.{ext}", path.read_bytes())
        importer = make_importer(ctx.session, ctx.owner, table, params)
        ctx.progress(0, len(table.rows), force=True)
        if params.get("commit"):
            result = importer.commit(progress=lambda done, total: ctx.progress(done, total))
        else:
            result = importer.check(progress=lambda done, total: ctx.progress(done, total))
        ctx.add_errors([_("row %(row)d, column “%(column)s”: %(reason)s", row=e.row, column=e.column,
                          reason=e.reason) for e in result.errors])
        ctx.progress(result.total, result.total, force=True)
        if result.errors:
            ctx.save_result("bao-cao-nhap.xlsx", XLSX, report_xlsx(result.errors))
            return _("%(n)d error(s): nothing was written. Correct the file and upload it again.",
                     n=len(result.errors))
        if params.get("commit"):
            path.unlink(missing_ok=True)
            ctx.save_result("bao-cao-nhap.xlsx", XLSX, imported_xlsx(result))
            return imported(result.imported)
        return _("Dry run: all %(n)d rows are valid.", n=result.total)

    return run


def _register_importer(session, owner, table, params):
    from caseflow.reports.imports.legal_aid import Importer

    return Importer(session, owner, table, {k: int(v) for k, v in params["mapping"].items()},
                    source=params.get("filename") or params["token"])


def follow_up(job: BackgroundJob) -> dict | None:
    """A clean dry run: the commit, posted to the import page with the same file and mapping."""
    params = job.params or {}
    if params.get("commit") or job.errors_count:
        return None
    fields = {f"map_{k}": v for k, v in (params.get("mapping") or {}).items()}
    fields.update({"filename": params.get("filename") or "", "commit": "1"})
    return {"url": url_for("reports.import_check", token=params["token"]), "label": _("Import all rows"),
            "fields": fields}


KIND_SPEC = JobKind(KIND, lambda: _("Register import"), import_work(_register_importer), follow_up=follow_up)


def as_job(app, rows: int) -> bool:
    return rows > int(app.config.get("IMPORT_JOB_ROWS", DEFAULT_JOB_ROWS))
