"""A user's background jobs: the job's page (progress bar, rows done, errors so far, cancel, download), its JSON
(polled by static/job-progress.js), the result, and "Việc chạy nền của tôi".

Only the job's owner sees a job; anyone else, administrators included, gets 404. The result was read with the
owner's need to know (the cases they may see, unmasked as far as they may see them): showing it to another
user, even an administrator, would bypass the policy that chose what the file holds."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from caseflow.core import clock
from caseflow.core.i18n import _
from caseflow.extensions import db
from caseflow.jobs import live
from caseflow.jobs.models import BackgroundJob
from caseflow.jobs.runner import kind_of, start_job
from caseflow.jobs.stale import WORKER_STOPPED, is_stale

bp = Blueprint("background", __name__, url_prefix="/jobs")
SHOWN = 50


class ActionForm(FlaskForm):
    """CSRF token only: cancel, retry."""


def status_labels() -> dict:
    return {"queued": _("queued"), "running": _("running"), "done": _("done"), "failed": _("failed"),
            "cancelled": _("cancelled")}


def load_job(job_id: int) -> BackgroundJob:
    """The current user's job, else 404 (another's job does not exist for them)."""
    job = db.session.get(BackgroundJob, job_id)
    if job is None or job.owner_id != current_user.id:
        abort(404)
    return job


def job_title(job: BackgroundJob) -> str:
    kind = kind_of(job.kind)
    return str(kind.title()) if kind else job.kind


def view_state(job: BackgroundJob) -> dict:
    """What the page and its JSON show: the counters (the row, or the newer side file), a stale heartbeat shown
    as failed ("worker stopped"), percent, and the links that apply."""
    state = live.overlay(job, current_app.instance_path)
    status, error = job.status, job.last_error
    if is_stale(job, state["heartbeat_dt"], current_app):
        status, error = "failed", WORKER_STOPPED
    total, done = state["total"], state["done"] or 0
    percent = 100 if status == "done" else (max(0, min(100, 100 * done // total)) if total else 0)
    kind = kind_of(job.kind)
    follow = kind.follow_up(job) if kind and kind.follow_up and status == "done" else None
    return {
        "id": job.id, "status": status, "status_label": status_labels().get(status, status),
        "finished": status in ("done", "failed", "cancelled"), "done": done, "total": total, "percent": percent,
        "errors_count": state["errors_count"], "errors": state["errors_sample"],
        "cancel_requested": state["cancel_requested"], "summary": job.summary if status == "done" else None,
        "error": _("The worker stopped before the job finished; it can be run again.")
        if error == WORKER_STOPPED else error,
        "download": url_for("background.download_result", job_id=job.id)
        if status == "done" and job.result_path else None,
        "result_name": job.result_name if status == "done" else None,
        "follow_up": follow,
    }


@bp.route("/")
@login_required
def list_jobs():
    jobs = db.session.scalars(select(BackgroundJob).where(BackgroundJob.owner_id == current_user.id)
                              .order_by(BackgroundJob.created_dt.desc(), BackgroundJob.id.desc()).limit(SHOWN)).all()
    return render_template("jobs/list.html", rows=[(j, job_title(j), view_state(j)) for j in jobs])


@bp.route("/<int:job_id>")
@login_required
def show_job(job_id: int):
    job = load_job(job_id)
    return render_template("jobs/job.html", job=job, title=job_title(job), state=view_state(job), form=ActionForm())


@bp.route("/<int:job_id>.json")
@login_required
def job_status(job_id: int):
    return view_state(load_job(job_id))


@bp.route("/<int:job_id>/cancel", methods=["POST"])
@login_required
def cancel_job(job_id: int):
    """A queued job is cancelled at once; a running one stops at its next progress report (its transaction
    rolls back). The request is written in a transaction of its own, or beside the row while SQLite's lock is
    held by the job itself."""
    job = load_job(job_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; try again."), "danger")
        return redirect(url_for("background.show_job", job_id=job.id)), 303
    engine, table = db.engine, live.JOBS
    db.session.rollback()  # hold no transaction of ours while writing the row on another connection
    if job.status == "queued" and live.write_row(engine, job_id, {"status": "cancelled", "finished_dt": clock.now()},
                                                 where=table.c.status == "queued"):
        flash(_("Job cancelled."), "success")
    elif job.status in ("queued", "running"):
        if not live.write_row(engine, job_id, {"cancel_requested": True}):
            live.request_cancel_file(current_app.instance_path, job_id)
        flash(_("Cancelling: the job stops at its next step and writes nothing."), "info")
    else:
        flash(_("The job has already finished."), "warning")
    return redirect(url_for("background.show_job", job_id=job_id), 303)


@bp.route("/<int:job_id>/retry", methods=["POST"])
@login_required
def retry_job(job_id: int):
    """A failed or cancelled job (a stopped worker's included) runs again as a new job, same work, same owner."""
    job = load_job(job_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; try again."), "danger")
        return redirect(url_for("background.show_job", job_id=job.id)), 303
    if view_state(job)["status"] not in ("failed", "cancelled"):
        flash(_("Only a failed or cancelled job can be run again."), "warning")
        return redirect(url_for("background.show_job", job_id=job.id), 303)
    params = {k: v for k, v in (job.params or {}).items() if k != "locale"}
    again = start_job(db.session, job.kind, current_user, params, unit_id=job.unit_id)
    return redirect(url_for("background.show_job", job_id=again.id), 303)


@bp.route("/<int:job_id>/download")
@login_required
def download_result(job_id: int):
    from pathlib import Path

    job = load_job(job_id)
    if job.status != "done" or not job.result_path:
        abort(404)
    root = Path(current_app.config["STORAGE_DIR"]).resolve()
    path = (root / job.result_path).resolve()
    if root not in path.parents or not path.is_file():
        abort(404)
    return send_file(path, mimetype=job.result_mime or "application/octet-stream", as_attachment=True,
                     download_name=job.result_name or path.name)
