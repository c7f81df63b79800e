"""A batch of PDFs rendered in the background from the register page (the documents of a day, the drafts in
progress, of one type), as a ZIP to download from the job's page; `caseflow documents render` selects the same
way. The documents are those the job's owner may see (visible_cases), read when the job runs."""
from __future__ import annotations

import zipfile
from datetime import date

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from caseflow.core.i18n import _, _l
from caseflow.core.models import Case
from caseflow.core.policy import visible_cases
from caseflow.documents.models import DocumentDetail
from caseflow.jobs import JobKind
from caseflow.web.dates import VnDateField

KIND = "documents_render"


def batch_query(drafts: bool, on: date | None, type_key: str | None, query=None):
    """(Case, DocumentDetail) rows of a batch: drafts still open, of a type, of a day (issued that day, or a
    draft received that day)."""
    query = query if query is not None else select(Case, DocumentDetail)
    query = query.join(DocumentDetail, DocumentDetail.case_id == Case.id)
    if drafts:
        query = query.where(DocumentDetail.pdf_sha256.is_(None), Case.closed_dt.is_(None))
    if type_key:
        query = query.where(DocumentDetail.type_key == type_key)
    if on:
        query = query.where(or_(DocumentDetail.issued_date == on,
                                (DocumentDetail.issued_date.is_(None)) & (Case.received_date == on)))
    return query.order_by(Case.id)


def file_name(case: Case, detail: DocumentDetail) -> str:
    """A secret document may share its symbol with an open one (their own register): the code tells them apart."""
    return f"{case.code}-{detail.symbol.replace('/', '-')}" if detail.symbol else case.code


def render_jobs(session: Session, rows, folder) -> list[tuple[str, dict, str]]:
    """render_to_files' (type_key, data, path) for each row: issued ones as issued, drafts marked DỰ THẢO."""
    from caseflow.documents.register import render_data

    return [(detail.type_key, render_data(session, case, detail, draft=detail.pdf_sha256 is None),
             str(folder / f"{file_name(case, detail)}.pdf")) for case, detail in rows]


def render_batch(ctx) -> str:
    """The job's work: render the owner's batch into the job's folder, then one ZIP of the PDFs."""
    from caseflow.documents import render_to_files

    params = ctx.params
    on = date.fromisoformat(params["day"]) if params.get("day") else None
    query = visible_cases(ctx.session, ctx.owner, batch_query(bool(params.get("drafts")), on,
                                                              params.get("type_key") or None,
                                                              select(Case, DocumentDetail)))
    rows = ctx.session.execute(query).all()
    folder = ctx.work_dir / "pdf"
    folder.mkdir(exist_ok=True)
    jobs = render_jobs(ctx.session, rows, folder)
    ctx.session.rollback()  # only reads: hold no transaction while rendering
    ctx.progress(0, len(jobs), force=True)
    processes = int(ctx.app.config.get("DOCUMENTS_JOB_PROCESSES", 2))
    # the callback raises JobCancelled when the owner cancels: rendering stops, the ZIP is never written
    render_to_files(jobs, processes=processes, progress=lambda done: ctx.progress(done, len(jobs)))
    archive = ctx.work_dir / "batch.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for _type, _data, path in jobs:
            zf.write(path, arcname=path.rsplit("/", 1)[-1])
    for _type, _data, path in jobs:
        (folder / path.rsplit("/", 1)[-1]).unlink(missing_ok=True)
    stamp = on.isoformat() if on else "du-thao" if params.get("drafts") else "loat"
    ctx.save_result(f"van-ban-{stamp}.zip", "application/zip", path=archive)
    return _("%(n)d PDF(s) rendered.", n=len(jobs))


KIND_SPEC = JobKind(KIND, lambda: _("Batch of document PDFs"), render_batch)


class BatchForm(FlaskForm):
    day = VnDateField(_l("Documents of the day"), validators=[Optional()])
    drafts = BooleanField(_l("Drafts in progress only"))
    type_key = SelectField(_l("Document type"), validators=[Optional()])

    def selection_error(self) -> str | None:
        if self.day.data is None and not self.drafts.data and not self.type_key.data:
            return _("Choose a day, the drafts in progress or a document type.")
        return None


def batch_form(formdata=None) -> BatchForm:
    from caseflow.core.i18n import label
    from caseflow.documents import document_types
    from caseflow.web.forms import choices

    form = BatchForm(formdata=formdata, prefix="batch")
    form.type_key.choices = choices([("", _("Every type"))] + sorted(
        ((k, label(t.label)) for k, t in document_types().items()), key=lambda x: x[1]))
    return form


def register_routes(bp) -> None:
    @bp.route("/batch", methods=["POST"])
    @login_required
    def render_batch_job():
        """The register page's "render a batch" form -> a background job (its page shows the progress)."""
        from flask import abort, request

        from caseflow.documents.views import _may_draft, register_page
        from caseflow.extensions import db
        from caseflow.jobs import start_job

        if not _may_draft(current_user):
            abort(403)
        form = batch_form(request.form)
        if not form.validate_on_submit():
            return register_page(form), 422
        problem = form.selection_error()
        if problem:
            form.day.errors = list(form.day.errors or []) + [problem]
            return register_page(form), 422
        job = start_job(db.session, KIND, current_user, {
            "day": form.day.data.isoformat() if form.day.data else None, "drafts": bool(form.drafts.data),
            "type_key": form.type_key.data or None})
        flash(_("The batch is being rendered in the background."), "info")
        return redirect(url_for("background.show_job", job_id=job.id), 303)
