"""The outbox page for admins: messages still waiting or failed for good, with their last error, a retry
button, and the periodic jobs' latest runs."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from caseflow.core.i18n import _
from caseflow.core.signals import ADMINISTRATION, MenuItem
from caseflow.extensions import db
from caseflow.jobs import outbox
from caseflow.jobs.models import JobRun, OutboxMessage
from caseflow.web.access import holds_any_role, role_required

bp = Blueprint("jobs", __name__, url_prefix="/admin/outbox")
MENU: list[MenuItem] = [MenuItem("jobs.outbox_page", lambda: _("E-mail outbox"),
                                 lambda user: holds_any_role(user, ("admin",)), group=ADMINISTRATION)]
SHOWN = 200


class ActionForm(FlaskForm):
    """CSRF token only: retry."""


@bp.route("")
@role_required("admin")
def outbox_page():
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    waiting = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status != "sent")
                                 .order_by(OutboxMessage.status, OutboxMessage.id.desc()).limit(SHOWN)).all()
    runs = db.session.scalars(select(JobRun).order_by(JobRun.started_dt.desc()).limit(20)).all()
    labels = {"pending": _("waiting"), "sending": _("being sent"), "sent": _("sent"), "failed": _("failed")}
    run_labels = {"running": _("running"), "done": _("done"), "failed": _("failed")}
    job_labels = {"deadline_sweep": _("Deadline sweep"), "org_sync": _("Organisation tree sync"),
                  "nightly_backup": _("Nightly backup")}
    return render_template("jobs/outbox.html", counts=counts, messages=waiting, runs=runs, form=ActionForm(),
                           labels=labels, run_labels=run_labels, job_labels=job_labels)


@bp.route("/<int:message_id>/retry", methods=["POST"])
@role_required("admin")
def retry_message(message_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form expired; try again."), "danger")
        return redirect(url_for("jobs.outbox_page")), 303
    db.get_or_404(OutboxMessage, message_id)
    if outbox.retry(db.session, message_id):
        db.session.commit()
        flash(_("Message %(id)d queued again.", id=message_id), "success")
    else:
        flash(_("Only a failed message can be retried."), "warning")
    return redirect(url_for("jobs.outbox_page"))
