"""Seeing and acting on time: the due-soon / overdue queue, in-app notifications, the calendar-override
admin (preview, then save and recompute) and the admin-set values of [R]/[U] rules."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select, update
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from caseflow.core.clock import local_today, now_and_today
from caseflow.core.clock import now as clock_now
from caseflow.core.engine import get_registry
from caseflow.core.i18n import _, _l, label
from caseflow.core.models import Case, Unit
from caseflow.core.policy import has_role, units_in_scope, visible_cases
from caseflow.core.signals import ADMINISTRATION, MenuItem
from caseflow.deadlines import overrides as override_service
from caseflow.deadlines import service
from caseflow.deadlines.calendar import Override
from caseflow.deadlines.models import CalendarOverride, Deadline, Notification
from caseflow.deadlines.notify import describe
from caseflow.deadlines.settings import SettingError, add_setting, configurable_rules
from caseflow.extensions import db
from caseflow.web.access import role_required
from caseflow.web.dates import VnDateField
from caseflow.web.forms import localise_messages

bp = Blueprint("deadlines", __name__, url_prefix="/deadlines")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []

STATUS_LABELS = {"open": _l("open"), "paused": _l("paused"), "met": _l("met"), "met_late": _l("met late"),
                 "breached": _l("overdue"), "cancelled": _l("cancelled")}
UNIT_LABELS = {"working": _l("working days"), "calendar": _l("calendar days"), "months": _l("months")}


def urgency(days_left: int | None) -> str:
    """Bootstrap colour by working days left: overdue, 0-1, 2-3, more."""
    if days_left is None:
        return "secondary"
    if days_left < 0:
        return "danger"
    if days_left <= 1:
        return "warning"
    return "info" if days_left <= 3 else "success"


#: the audit events the sweep and the calendar-override admin append, as the case page names them
EVENT_LABELS = {"deadline_breached": _l("Deadline breached"), "deadline_recomputed": _l("Deadlines recomputed")}


def case_panel_context(case) -> dict:
    """What the deadlines panel of a case page shows."""
    return {"deadlines": db.session.scalars(select(Deadline).where(Deadline.case_id == case.id)
                                            .order_by(Deadline.due_date)).all()}


def only_overdue(query, _value: str):
    """The case list's "overdue" filter, driven from the deadlines (few are overdue), not by testing every
    case in list order."""
    return query.where(Case.id.in_(select(Deadline.case_id).where(Deadline.status.in_(("open", "breached")),
                                                                  Deadline.due_date < local_today())))


def deadline_view(d: Deadline, calendar, today: date) -> dict:
    """Plain data for templates: label, due date, explanation of how it was computed, basis, colour."""
    exp = service.explain(calendar, d, today if d.status == "paused" else None)
    active = d.status in ("open", "breached")
    left = calendar.working_days_between(today, d.due_date) if active else None
    rule = d.rule or {}
    # past its due date it is overdue on the page even before the next sweep records the breach
    status = "breached" if d.status == "open" and left is not None and left < 0 else d.status
    return {
        "id": d.id, "label": label(rule.get("label") or d.label), "due": d.due_date, "status": d.status,
        "status_label": str(STATUS_LABELS.get(status, status)), "basis": d.basis, "start": d.start_date,
        "days": service.total_days(d), "base_days": d.days, "unit": str(UNIT_LABELS.get(d.day_unit, d.day_unit)),
        "extensions": d.extensions, "variant": d.variant, "kind": d.kind, "certainty": rule.get("certainty"),
        "configured": rule.get("configured"), "nominal_end": exp.nominal_end,
        "notes": [{"text": str(n), "skipped": n.skipped} for n in exp.notes], "days_left": left,
        "colour": urgency(left) if active else "secondary", "met_date": d.met_date,
        # while the clock is stopped: since when, and the due date if it restarted today (Luật Tố cáo 2018,
        # Art. 34(2): the time of suspension is not counted); the stored date is the one before the stop
        "paused_since": (date.fromisoformat(d.pauses[-1][0]) if d.status == "paused" and d.pauses else None),
        "due_if_resumed_today": exp.due if d.status == "paused" else None,
    }


def queue_rows(rows, calendar, today: date) -> list[dict]:
    """The queue's rows: only what the table shows (up to 500 of them), each value worked out once per page,
    not once per row: working days left per due date (the calendar's walk), labels and the "late" text
    (a translation looked up in a template costs as much as the rest of a row)."""
    left_by_due: dict[date, int] = {}
    labels: dict[str, str] = {}
    late = _("%(n)d late")
    items = []
    for d, c in rows:
        left = left_by_due.get(d.due_date)
        if left is None:
            left = left_by_due[d.due_date] = calendar.working_days_between(today, d.due_date)
        raw = (d.rule or {}).get("label") or d.label
        shown = labels.get(raw) if isinstance(raw, str) else None
        if shown is None:
            shown = label(raw)
            if isinstance(raw, str):
                labels[raw] = shown
        items.append({"case": {"id": c.id, "code": c.code, "title": c.title}, "id": d.id, "label": shown,
                      "due": d.due_date, "kind": d.kind, "basis": d.basis, "days_left": left,
                      "left_text": late % {"n": -left} if left < 0 else str(left), "colour": urgency(left)})
    return items


@bp.app_template_global()
def deadline_views(deadlines) -> list[dict]:
    if not deadlines:
        return []
    calendar = service.load_calendar(db.session)
    today = local_today()
    return [deadline_view(d, calendar, today) for d in deadlines]


def _is_admin() -> bool:
    return current_user.is_authenticated and has_role(db.session, current_user, "admin")



@bp.route("/")
@login_required
def queue():
    """Due soon and overdue, for me or for a unit, coloured by working days left."""
    today = local_today()
    calendar = service.load_calendar(db.session)
    horizon = int(current_app.config.get("DEADLINE_QUEUE_HORIZON", 10))
    until = calendar.add_working_days(today, horizon)
    scope = "unit" if request.args.get("scope") == "unit" else "me"
    units = units_in_scope(db.session, current_user)
    unit_id = request.args.get("unit", type=int) or (units[0].id if units else None)
    query = visible_cases(db.session, current_user, select(Deadline, Case).join(Case, Case.id == Deadline.case_id))
    query = query.where(Deadline.status.in_(("open", "breached")), Deadline.due_date <= until)
    if scope == "me":
        query = query.where(Case.assignee_id == current_user.id)
    else:
        unit = db.session.get(Unit, unit_id) if unit_id else None
        if unit is None:
            abort(404)
        query = query.where(Case.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))
    # a page of the most urgent (QUEUE_PER_PAGE, then « »): up to 500 rows in one page cost ~150 ms to load
    # and render at 200,000 cases (bench/pages.py), and nobody works through 500 at once
    per_page = int(current_app.config.get("DEADLINE_QUEUE_PER_PAGE", 50))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = db.session.execute(query.order_by(Deadline.due_date, Deadline.id)
                              .limit(per_page + 1).offset((page - 1) * per_page)).all()
    has_next = len(rows) > per_page
    items = queue_rows(rows[:per_page], calendar, today)
    notes = db.session.execute(visible_cases(
        db.session, current_user, select(Notification, Case.code).join(Case, Case.id == Notification.case_id))
        .where(Notification.user_id == current_user.id, Notification.read_dt.is_(None))
        .order_by(Notification.created_dt.desc()).limit(50)).all()
    notices = [{"id": n.id, "case_id": n.case_id, "kind": n.kind, "created_dt": n.created_dt,
                "text": describe(n.kind, code, n.deadline.label if n.deadline else "",
                                 n.deadline.due_date if n.deadline else None)} for n, code in notes]
    return render_template("deadlines/queue.html", items=items, scope=scope, units=units, unit_id=unit_id,
                           notices=notices, today=today, horizon=horizon, page=page, has_next=has_next)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    db.session.execute(update(Notification).where(Notification.user_id == current_user.id,
                                                  Notification.read_dt.is_(None)).values(read_dt=clock_now()))
    db.session.commit()
    return redirect(url_for("home.index" if request.form.get("back") == "home" else "deadlines.queue"))


class _Form(FlaskForm):
    def validate_and_localise(self) -> bool:
        ok = self.validate()
        if not ok:
            localise_messages(self)
        return ok


class OverrideForm(_Form):
    day_date = VnDateField(_l("Date"), validators=[InputRequired(message=_l("This field is required."))])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("day_off", _l("Extra day off")),
                                          SelectChoice("working_day", _l("Extra working day"))])
    notice = StringField(_l("Notice that decided it"), validators=[
        InputRequired(message=_l("This field is required.")), Length(max=255, message=_l("Too long."))],
        render_kw={"placeholder": "Thông báo 6150/TB-BLĐTBXH"})


@bp.route("/calendar", methods=["GET", "POST"])
@role_required("admin")
def calendar_admin():
    """Overrides of the working-day calendar: preview the deadlines an override moves, then save it."""
    form = OverrideForm()
    now, today = now_and_today()
    calendar = service.load_calendar(db.session)
    moves, status, errors = None, 200, []
    if request.method == "POST":
        if not form.validate_and_localise():
            status = 422
        else:
            override = Override(form.day_date.data, form.kind.data, form.notice.data or "")
            try:
                if request.form.get("action") == "save":
                    saved = override_service.save(db.session, override, actor_id=current_user.id,
                                                  audit_key=current_app.config["AUDIT_HMAC_KEY"].encode(),
                                                  now=now, today=today)
                    flash(_("Override saved; %(n)d deadlines recomputed.", n=len(saved)), "success")
                    return redirect(url_for("deadlines.calendar_admin"))
                override_service.check(db.session, calendar, override, today)
                moves = override_service.preview(db.session, calendar, override, today)
            except override_service.OverrideError as exc:
                db.session.rollback()
                target = getattr(form, exc.field, None)
                if target is not None:
                    target.errors = list(target.errors or []) + [exc.message]
                errors.append(f"{exc.field}: {exc.message}")
                status = 422
    rows = db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day_date.desc())).all()
    year = request.args.get("year", type=int) or today.year
    days_off = [(d, calendar.reason(d)) for d in _days_of(year) if not calendar.is_working_day(d) and d.weekday() < 5]
    worked = [(d, calendar.reason(d)) for d in _days_of(year) if calendar.is_working_day(d) and d.weekday() >= 5]
    # the admin sets the calendar but sees no case file (need to know): only the moves of visible cases are named
    moves_seen = set(db.session.scalars(visible_cases(db.session, current_user, select(Case.id)).where(
        Case.id.in_({m.deadline.case_id for m in moves}))) if moves else [])
    return render_template("deadlines/calendar.html", form=form, moves=moves, moves_seen=moves_seen,
                           overrides=rows, year=year,
                           days_off=days_off, worked=worked, errors=errors), status


def _days_of(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d = date.fromordinal(d.toordinal() + 1)


class SettingForm(_Form):
    key = SelectField(_l("Rule"), choices=[])
    days = IntegerField(_l("Days"), validators=[InputRequired(message=_l("This field is required.")),
                                                NumberRange(min=0, message=_l("Must not be negative."))])
    basis = StringField(_l("Legal basis"), validators=[InputRequired(message=_l("This field is required.")),
                                                       Length(max=500, message=_l("Too long."))])
    effective_from_date = VnDateField(_l("Applies to cases received from"),
                                    validators=[InputRequired(message=_l("This field is required."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000, message=_l("Too long."))])


@bp.route("/rules", methods=["GET", "POST"])
@role_required("admin")
def rules_admin():
    """[R]/[U] values as configuration: an admin sets a new value with its basis, from a date."""
    entries = configurable_rules(db.session, get_registry())
    form = SettingForm()
    form.key.choices = [SelectChoice(e.key, f"{label(e.label)} ({e.key})") for e in entries]
    status = 200
    if request.method == "GET":
        form.effective_from_date.data = local_today()
    elif form.validate_and_localise():
        try:
            add_setting(db.session, {e.key for e in entries}, key=form.key.data, days=form.days.data,
                        basis=form.basis.data or "", effective_from=form.effective_from_date.data,
                        note=form.note.data or "", actor_id=current_user.id, now=clock_now())
        except SettingError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors = [exc.message]
            status = 422
        else:
            flash(_("New value saved; it applies to cases received from that date."), "success")
            return redirect(url_for("deadlines.rules_admin"))
    else:
        status = 422
    return render_template("deadlines/rules.html", entries=entries, form=form, units=UNIT_LABELS), status


MENU.append(MenuItem("deadlines.queue", lambda: _("Deadlines"), lambda user: user.is_authenticated))
MENU.append(MenuItem("deadlines.calendar_admin", lambda: _("Calendar"), lambda user: _is_admin(), group=ADMINISTRATION))
