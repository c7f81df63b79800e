"""The deadlines' part of the home page: time limits due within the lead days (DEADLINE_LEAD_DAYS, the
sweep's notice times) or overdue on the cases that wait for the user, unread notices, and the bell."""
from __future__ import annotations

from flask import Flask, abort, current_app, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import bindparam, func, or_, select, update

from caseflow.core.clock import local_today
from caseflow.core.clock import now as clock_now
from caseflow.core.i18n import _
from caseflow.core.models import Case
from caseflow.core.policy import visible_cases
from caseflow.deadlines import service
from caseflow.deadlines.models import Deadline, Notification
from caseflow.deadlines.notify import describe
from caseflow.deadlines.views import bp, deadline_view
from caseflow.extensions import db
from caseflow.web.home import waiting_for
from caseflow.web.homepage import Badge, HomeSection, add_badge, add_section

#: at most this many rows in a home section (the queue page lists them all)
SHOWN = 20


def lead_days() -> int:
    leads = current_app.config.get("DEADLINE_LEAD_DAYS", (3, 1))
    return max(int(n) for n in (leads if isinstance(leads, list | tuple) else [leads])) if leads else 0


def deadlines_section(user) -> dict | None:
    """Open or breached limits due by the last lead day, on cases assigned to the user or waiting for them."""
    today = local_today()
    calendar = service.load_calendar(db.session)
    until = calendar.add_working_days(today, lead_days())
    waiting = waiting_for(user)
    mine = Case.assignee_id == user.id
    if waiting is not None:
        # the waiting query's own condition on this row (it selects cases by their key, so `id IN (it)` is the
        # same test), not a list of every waiting case built first: that read every open case per view
        mine = or_(mine, waiting.whereclause)
    still_open = Case.closed_dt.is_(None)
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite's planner would walk every open case (ix_cases_kind_closed) and test its deadlines; the few
        # deadlines due soon, from their own index, are the cheaper side (PostgreSQL weighs both itself)
        still_open = func.ifnull(Case.closed_dt, None).is_(None)
    query = visible_cases(db.session, user, select(Deadline, Case).join(Case, Case.id == Deadline.case_id)).where(
        Deadline.status.in_(("open", "breached")), Deadline.due_date <= until, still_open, mine)
    rows = db.session.execute(query.order_by(Deadline.due_date, Deadline.id).limit(SHOWN)).all()
    items = [{"case": c, **deadline_view(d, calendar, today)} for d, c in rows]
    return {"items": items, "lead_days": lead_days()}


def _unread(user):
    return select(Notification).where(Notification.user_id == user.id, Notification.read_dt.is_(None))


def notices_section(user) -> dict | None:
    rows = db.session.execute(
        _unread(user).add_columns(Case.code).join(Case, Case.id == Notification.case_id)
        .order_by(Notification.created_dt.desc(), Notification.id.desc()).limit(SHOWN)).all()
    return {"notices": [{"id": n.id, "kind": n.kind, "created_dt": n.created_dt,
                         "text": describe(n.kind, code, n.deadline.label if n.deadline else "",
                                          n.deadline.due_date if n.deadline else None)} for n, code in rows]}


#: the bell's count, on every page: built once (building the statement cost more than running it)
_UNREAD_COUNT = select(func.count(Notification.id)).where(Notification.user_id == bindparam("user_id"),
                                                          Notification.read_dt.is_(None))


def unread_count(user) -> tuple[int, str]:
    count = db.session.scalar(_UNREAD_COUNT, {"user_id": user.id}) or 0
    return count, url_for("home.index") + "#home-notices"


@bp.route("/notifications/<int:notice_id>")
@login_required
def open_notice(notice_id: int):
    """A notice opened from the home page: marked read, then its case (someone else's notice: 404)."""
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    if notice.read_dt is None:
        db.session.execute(update(Notification).where(Notification.id == notice.id).values(read_dt=clock_now()))
        db.session.commit()
    if notice.case_id is None:
        return redirect(url_for("home.index"))
    return redirect(url_for("cases.show_case", case_id=notice.case_id))


def setup_home(app: Flask) -> None:
    add_section(app, HomeSection("deadlines", "deadlines/_home_deadlines.html", deadlines_section, order=20))
    add_section(app, HomeSection("notices", "deadlines/_home_notices.html", notices_section, order=30))
    add_badge(app, Badge("notices", unread_count,
                         lambda n: _("Unread notices: %(n)d", n=n)))
