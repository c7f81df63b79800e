"""The organisation tree, editable by admins: units with their type, parent and effective dates, their
history of names and parents (a provincial merger is entered here, without code), and officers' terms."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from caseflow.core.clock import local_today
from caseflow.core.i18n import _, _l, label
from caseflow.core.models import Unit
from caseflow.core.policy import has_role
from caseflow.core.signals import ADMINISTRATION, MenuItem
from caseflow.core.text import nfc, vi_sort_key
from caseflow.extensions import db
from caseflow.union.models import OFFICER_POSITIONS, UnitOfficer
from caseflow.union.officers import POSITION_LABELS
from caseflow.union.org import OrgError, close_unit, create_unit, officers_on, record_change, snapshots_on, versions
from caseflow.web.dates import VnDateField, bad_date_message, parse_date
from caseflow.web.forms import TransitionFormBase, choices

bp = Blueprint("org", __name__, url_prefix="/org")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []

MENU.append(MenuItem("org.tree", lambda: _("Organisation"), lambda user: has_role(db.session, user, "admin"), group=ADMINISTRATION))

KIND_LABELS = {"tld": _l("Confederation (TLĐ)"), "provincial": _l("Provincial federation"),
               "superior": _l("Directly superior union"), "grassroots": _l("Grassroots union (CĐCS)")}
REQUIRED = _l("This field is required.")


def _require_admin() -> None:
    if not has_role(db.session, current_user, "admin"):
        abort(403)


def _unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


def _unit_choices(exclude: Unit | None = None):
    units = db.session.scalars(select(Unit).order_by(Unit.path)).all()
    return choices([("", "—")] + [(str(u.id), f"{u.code} – {u.name}") for u in units
                                  if exclude is None or not u.path.startswith(exclude.path)])


class ChangeForm(TransitionFormBase):
    valid_from = VnDateField(_l("Effective from"), validators=[InputRequired(message=REQUIRED)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=255, message=_l("Too long."))])
    place = StringField(_l("Place printed on documents"), validators=[Optional(), Length(max=100)])
    parent_id = SelectField(_l("Parent unit"), validators=[Optional()], coerce=str)
    basis = StringField(_l("Basis (decision)"), validators=[InputRequired(message=REQUIRED),
                                                            Length(max=500, message=_l("Too long."))])


class NewUnitForm(TransitionFormBase):
    code = StringField(_l("Code"), validators=[InputRequired(message=REQUIRED), Length(max=40)])
    name = StringField(_l("Name"), validators=[InputRequired(message=REQUIRED), Length(max=255)])
    kind = SelectField(_l("Type"), choices=choices(KIND_LABELS.items()),
                       validators=[InputRequired(message=REQUIRED)])
    parent_id = SelectField(_l("Parent unit"), validators=[Optional()], coerce=str)
    place = StringField(_l("Place printed on documents"), validators=[Optional(), Length(max=100)])
    valid_from = VnDateField(_l("Effective from"), validators=[InputRequired(message=REQUIRED)])
    basis = StringField(_l("Basis (decision)"), validators=[InputRequired(message=REQUIRED), Length(max=500)])


class CloseForm(TransitionFormBase):
    last_day = VnDateField(_l("Last day"), validators=[InputRequired(message=REQUIRED)])
    basis = StringField(_l("Basis (decision)"), validators=[InputRequired(message=REQUIRED), Length(max=500)])


class OfficerForm(TransitionFormBase):
    full_name = StringField(_l("Full name"), validators=[InputRequired(message=REQUIRED), Length(max=200)])
    position = SelectField(_l("Position"), choices=choices((p, p) for p in OFFICER_POSITIONS),
                           validators=[InputRequired(message=REQUIRED)])
    term = StringField(_l("Term"), validators=[Optional(), Length(max=20)])
    from_date = VnDateField(_l("From"), validators=[InputRequired(message=REQUIRED)])
    decision_number = StringField(_l("Decision number"), validators=[Optional(), Length(max=60)])


@bp.route("/")
@login_required
def tree():
    _require_admin()
    day = _day_arg()
    units = db.session.scalars(select(Unit).order_by(Unit.path)).all()
    snapshots = snapshots_on(db.session, units, day)
    ordered = _ordered_tree(units)
    return render_template("union/org_tree.html", units=ordered, snapshots=snapshots, day=day, kinds=KIND_LABELS,
                           new_form=_new_form())


def _day_arg() -> date:
    try:
        return parse_date(request.args.get("on", "")) or local_today()
    except ValueError:
        return local_today()


def _ordered_tree(units: list[Unit]) -> list[tuple[int, Unit]]:
    """Depth-first, children in Vietnamese alphabetical order."""
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    result: list[tuple[int, Unit]] = []

    def visit(parent_id, depth):
        for u in sorted(children.get(parent_id, []), key=lambda x: vi_sort_key(x.name)):
            result.append((depth, u))
            visit(u.id, depth + 1)

    visit(None, 0)
    return result


def _new_form(formdata=None):
    form = NewUnitForm(formdata=formdata) if formdata is not None else NewUnitForm(formdata=None)
    form.parent_id.choices = _unit_choices()
    return form


@bp.route("/units/new", methods=["POST"])
@login_required
def new_unit():
    _require_admin()
    form = _new_form(request.form)
    errors = []
    if form.validate_and_localise():
        parent = db.session.get(Unit, int(form.parent_id.data)) if form.parent_id.data else None
        try:
            unit = create_unit(db.session, form.code.data, form.name.data, form.kind.data, parent,
                               form.valid_from.data, current_user, form.basis.data, form.place.data or None)
        except OrgError as exc:
            db.session.rollback()
            errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Unit %(code)s created.", code=unit.code), "success")
            return redirect(url_for("org.show_unit", unit_id=unit.id))
    units = db.session.scalars(select(Unit).order_by(Unit.path)).all()
    return render_template("union/org_tree.html", units=_ordered_tree(units), day=local_today(), kinds=KIND_LABELS,
                           snapshots=snapshots_on(db.session, units, local_today()), new_form=form,
                           errors=errors), 422


def _unit_page(unit: Unit, change=None, close=None, officer=None, errors=None, status=200):
    change = change or ChangeForm(formdata=None)
    change.parent_id.choices = _unit_choices(exclude=unit)
    officer = officer or OfficerForm(formdata=None)
    officer.position.choices = choices((p, label(POSITION_LABELS[p])) for p in OFFICER_POSITIONS)
    all_officers = db.session.scalars(select(UnitOfficer).where(UnitOfficer.unit_id == unit.id)
                                      .order_by(UnitOfficer.from_date.desc(), UnitOfficer.position)).all()
    parents = {v.parent_id: db.session.get(Unit, v.parent_id) for v in versions(db.session, unit) if v.parent_id}
    return render_template("union/org_unit.html", unit=unit, versions=versions(db.session, unit), parents=parents,
                           officers=all_officers, current=officers_on(db.session, unit, local_today()),
                           change=change, close=close or CloseForm(formdata=None), officer=officer,
                           positions=POSITION_LABELS, kinds=KIND_LABELS, errors=errors or []), status


@bp.route("/units/<int:unit_id>")
@login_required
def show_unit(unit_id: int):
    _require_admin()
    return _unit_page(_unit(unit_id))


def _apply(unit: Unit, form, form_key: str, action, done: str):
    """Validate `form`, run the tree change `action(unit, form)`, commit; a refusal re-renders the page."""
    if not form.validate_and_localise():
        return _unit_page(unit, status=422, **{form_key: form})
    try:
        action(unit, form)
    except OrgError as exc:
        db.session.rollback()
        return _unit_page(_unit(unit.id), errors=[str(exc)], status=422, **{form_key: form})
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("org.show_unit", unit_id=unit.id))


@bp.route("/units/<int:unit_id>/change", methods=["POST"])
@login_required
def change_unit(unit_id: int):
    _require_admin()
    unit = _unit(unit_id)
    form = ChangeForm(formdata=request.form)
    form.parent_id.choices = _unit_choices(exclude=unit)

    def change(unit, form):
        parent = db.session.get(Unit, int(form.parent_id.data)) if form.parent_id.data else None
        record_change(db.session, unit, form.valid_from.data, current_user, form.basis.data, today=local_today(),
                      name=form.name.data, place=form.place.data, parent=parent)

    day = form.valid_from.data.strftime("%d/%m/%Y") if form.valid_from.data else ""
    return _apply(unit, form, "change", change, _("Change recorded from %(day)s.", day=day))


@bp.route("/units/<int:unit_id>/close", methods=["POST"])
@login_required
def close(unit_id: int):
    _require_admin()
    unit = _unit(unit_id)
    form = CloseForm(formdata=request.form)
    day = form.last_day.data.strftime("%d/%m/%Y") if form.last_day.data else ""
    return _apply(unit, form, "close",
                  lambda unit, form: close_unit(db.session, unit, form.last_day.data, current_user, form.basis.data),
                  _("The unit ends on %(day)s.", day=day))


@bp.route("/units/<int:unit_id>/officers", methods=["POST"])
@login_required
def add_officer(unit_id: int):
    _require_admin()
    unit = _unit(unit_id)
    form = OfficerForm(formdata=request.form)
    form.position.choices = choices((p, label(POSITION_LABELS[p])) for p in OFFICER_POSITIONS)
    if not form.validate_and_localise():
        return _unit_page(unit, officer=form, status=422)
    db.session.add(UnitOfficer(unit_id=unit.id, full_name=nfc(form.full_name.data), position=form.position.data,
                               term=nfc(form.term.data), from_date=form.from_date.data,
                               decision_number=nfc(form.decision_number.data)))
    db.session.commit()
    flash(_("Officer added."), "success")
    return redirect(url_for("org.show_unit", unit_id=unit.id))


@bp.route("/officers/<int:officer_id>/end", methods=["POST"])
@login_required
def end_officer(officer_id: int):
    _require_admin()
    officer = db.session.get(UnitOfficer, officer_id)
    if officer is None:
        abort(404)
    try:
        last_day = parse_date(request.form.get("to_date", ""))
    except ValueError:
        last_day = None
    if last_day is None:
        return _unit_page(officer.unit, errors=[bad_date_message()], status=422)
    if last_day < officer.from_date:
        return _unit_page(officer.unit, errors=[_("A term cannot end before it began.")], status=422)
    officer.to_date = last_day
    db.session.commit()
    flash(_("Term ended."), "success")
    return redirect(url_for("org.show_unit", unit_id=officer.unit_id))
