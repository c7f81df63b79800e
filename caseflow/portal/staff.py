"""The staff side of the portal: the thread on the case page (a case-page panel) and the handler's answer.

Staff read the thread's text, never the sender's identity (which stays in the protected tables, shown only
on the identity page to the holder of a grant)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from caseflow.core.engine.errors import Conflict, InvalidInput, NotPermitted
from caseflow.core.i18n import _, _l
from caseflow.extensions import db
from caseflow.portal import thread
from caseflow.portal.forms import AnswerForm
from caseflow.portal.models import PortalMessage
from caseflow.web.access import load_case

bp = Blueprint("portal_staff", __name__, url_prefix="/cases")

#: the thread's audit events on the case page's timeline
EVENT_LABELS = {thread.INCOMING: _l("Message from the sender (portal)"),
                thread.ANSWER: _l("Answer to the sender (portal)")}


def panel_context(case) -> dict:
    """The thread of the case's portal matter, if it has one (plain data: no ORM object in the template)."""
    if not getattr(current_user, "is_authenticated", False):
        return {}
    submission = thread.submission_of(db.session, case)
    if submission is None:
        return {"portal_thread": None}
    messages = db.session.scalars(select(PortalMessage).where(PortalMessage.submission_id == submission.id)
                                  .order_by(PortalMessage.id)).all()
    form = AnswerForm(formdata=None)
    form.expected_version.data = str(case.version)
    return {"portal_thread": {
        "kind": submission.kind, "letter_type": submission.letter_type, "anonymous": submission.anonymous,
        "messages": [{"incoming": m.incoming, "body": m.body, "when": m.created_dt, "unread": m.incoming and
                      m.read_dt is None, "author": m.author.full_name if m.author else "",
                      "file_name": m.file_name, "attachment_id": m.attachment_id if case.kind == "legal_aid" else None,
                      "has_file": m.attachment_id is not None} for m in messages],
        "may_answer": thread.may_answer(db.session, current_user, case), "form": form}}


@bp.route("/<int:case_id>/portal/answer", methods=["POST"])
@login_required
def answer(case_id: int):
    case = load_case(case_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Write the answer first."), "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#portal-thread")
    expected = form.expected_version.data
    try:
        thread.answer(db.session, case, current_user, form.body.data,
                      expected_version=int(expected) if str(expected or "").isdigit() else None)
    except NotPermitted:
        db.session.rollback()
        abort(403)
    except (InvalidInput, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        flash(_("Answer sent to the sender."), "success")
    return redirect(url_for("cases.show_case", case_id=case.id) + "#portal-thread")
