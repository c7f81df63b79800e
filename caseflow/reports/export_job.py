"""Large exports (the case list, the register of outgoing documents) as background jobs: over EXPORT_JOB_ROWS
rows the page starts a job whose result is the file; a small export stays immediate. An exporter is
`fn(session, user, args, progress) -> (headers, rows, file base name)`, run in the job with the owner's need to
know, exactly as the page runs it for the current user."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, redirect, url_for
from sqlalchemy import func, select

from caseflow.core.clock import local_today
from caseflow.core.i18n import _
from caseflow.jobs import JobKind

KIND = "export"
DEFAULT_JOB_ROWS = 5000
#: app.extensions key: exporter name -> fn
EXPORTERS = "caseflow.reports.exporters"
MIMES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def add_exporter(app: Flask, name: str, fn: Callable) -> None:
    app.extensions.setdefault(EXPORTERS, {})[name] = fn


def count_rows(session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def as_job(rows: int) -> bool:
    return rows > int(current_app.config.get("EXPORT_JOB_ROWS", DEFAULT_JOB_ROWS))


def start_export(session, user, exporter: str, args: dict, fmt: str):
    """The redirect to the export's job page."""
    from caseflow.jobs import start_job

    job = start_job(session, KIND, user, {"exporter": exporter, "args": args, "fmt": fmt})
    return redirect(url_for("background.show_job", job_id=job.id), 303)


def body_of(headers, rows, fmt: str, sheet: str) -> bytes:
    from caseflow.reports.export import to_csv, to_xlsx

    return to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, sheet_title=sheet)


def run_export(ctx) -> str:
    params = ctx.params
    fmt = params["fmt"] if params.get("fmt") in MIMES else "xlsx"
    fn = ctx.app.extensions[EXPORTERS][params["exporter"]]
    headers, rows, name = fn(ctx.session, ctx.owner, params.get("args") or {},
                             lambda done, total: ctx.progress(done, total))
    ctx.session.rollback()  # read only
    body = body_of(headers, rows, fmt, name)
    ctx.save_result(f"{name}-{local_today():%Y%m%d}.{fmt}", MIMES[fmt].split(";")[0], body)
    return _("%(n)d row(s) exported.", n=len(rows))


KIND_SPEC = JobKind(KIND, lambda: _("Large export"), run_export)


def every(rows_source, total: int, progress, step: int = 500):
    """Yield the rows, reporting progress every `step` of them (and raising there on a cancel)."""
    for i, row in enumerate(rows_source, start=1):
        yield row
        if progress and (i % step == 0 or i == total):
            progress(i, total)
