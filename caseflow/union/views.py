"""The union's internal procedures on the web: opening a case, the dossier checklist with uploads,
configuration of [R]/[U] values, commendation rounds, and the membership targets page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import FileField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from caseflow.core import engine
from caseflow.core.engine import get_registry
from caseflow.core.engine.errors import InvalidInput, NotPermitted
from caseflow.core.i18n import _, _l, label
from caseflow.core.models import Attachment, Unit
from caseflow.core.policy import has_role, roles_on, units_in_scope
from caseflow.core.signals import MenuGroup, MenuItem
from caseflow.deadlines.service import rules_of
from caseflow.extensions import db
from caseflow.union import config as procedure_config
from caseflow.union import targets as targets_service
from caseflow.union.dossier import DuplicateFile, attach, checklist, open_stored
from caseflow.union.enterprises import RegisterImportError, import_xlsx
from caseflow.union.hooks import PROCEDURE_WORKFLOWS, complaint_registered, facts
from caseflow.union.models import CommendationRound, MembershipTarget
from caseflow.web.access import intake_units, load_case
from caseflow.web.context import local_dt
from caseflow.web.dates import VnDateField
from caseflow.web.forms import TransitionFormBase, apply_engine_error, form_data, intake_form, intake_form_class
from caseflow.web.headers import served_type
from caseflow.web.uploads import too_large, too_large_message

bp = Blueprint("union", __name__, url_prefix="/procedures")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []
#: the menu of this user group's pages
UNION = MenuGroup("union", _l("Union procedures"), 30)

#: roles that work on these procedures (and may upload dossier files)
WORKING_ROLES = {"organiser", "clerk", "leader", "inspector", "admin"}


def _is_admin() -> bool:
    return has_role(db.session, current_user, "admin")


def _works_on_procedures(user) -> bool:
    return any(has_role(db.session, user, r) for r in WORKING_ROLES)


MENU.append(MenuItem("union.index", lambda: _("Union procedures"), _works_on_procedures, group=UNION))


def _definition(workflow: str):
    if workflow not in PROCEDURE_WORKFLOWS or workflow not in get_registry().latest:
        abort(404)
    return get_registry().get(workflow)


@bp.route("/")
@login_required
def index():
    definitions = [get_registry().get(w) for w in PROCEDURE_WORKFLOWS if w in get_registry().latest]
    openable = {d.name for d in definitions if any(roles_on(db.session, current_user, u).intersection(d.intake_roles)
                                                    for u in units_in_scope(db.session, current_user))}
    return render_template("union/index.html", definitions=definitions, openable=openable,
                           is_admin=_is_admin())


#: the intake asks for the unit the procedure concerns, not a receiving desk
UNIT = _l("Unit")


def procedure_form_class(definition):
    return intake_form_class(definition, f"Intake_{definition.name}", unit_label=UNIT, before_date=lambda: {
        "title": StringField(_l("Title"), validators=[InputRequired(message=_l("This field is required.")),
                                                      Length(max=500, message=_l("Too long."))])})


@bp.route("/<workflow>/new", methods=["GET", "POST"])
@login_required
def new_case(workflow: str):
    definition = _definition(workflow)
    form = intake_form(procedure_form_class(definition), intake_units(definition), request.method)
    errors: list[str] = []
    if form.validate_on_submit():
        unit = db.session.get(Unit, int(form.unit_id.data))
        try:
            case = engine.open_case(db.session, workflow, unit, current_user, form_data(form, definition.intake_fields),
                                    title=form.title.data, received_date=form.received_date.data)
        except (InvalidInput, NotPermitted) as exc:
            errors = apply_engine_error(form, exc)
        else:
            flash(_("Case %(code)s opened.", code=case.code), "success")
            return redirect(url_for("cases.show_case", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("union/new.html", form=form, definition=definition, errors=errors), status


# --- dossier -------------------------------------------------------------------------------------------

def case_panel(case) -> dict:
    """What the case page shows for a procedure: the dossier checklist and the recorded facts."""
    definition = get_registry().get(case.workflow, case.workflow_version)
    labels = {}
    for f in list(definition.intake_fields) + [f for t in definition.transitions for f in t.fields]:
        labels.setdefault(f.name, f)
    shown = []
    for name, value in facts(case).items():
        field = labels.get(name)
        if field is None:
            continue
        if field.type == "select":
            value = label(field.choices.get(value, {"vi": value}))
        elif field.type == "bool":
            value = _("yes") if value else _("no")
        shown.append((label(field.label), value, field.type))
    rows = checklist(db.session, case, definition)
    return {"checklist": rows, "facts": shown, "can_upload": _can_upload(case),
            "complaint_registered": complaint_registered(), "data": case.data or {}}


def _can_upload(case) -> bool:
    return case.closed_dt is None and bool(WORKING_ROLES & roles_on(db.session, current_user, case.unit))


@bp.app_context_processor
def inject_panel():
    return {"procedure_panel": case_panel}


@bp.route("/cases/<int:case_id>/dossier", methods=["POST"])
@login_required
def upload(case_id: int):
    case = load_case(case_id)
    if not _can_upload(case):
        abort(403)
    definition = get_registry().get(case.workflow, case.workflow_version)
    item = request.form.get("item", "")
    if item not in procedure_config.declared_dossier(definition):
        abort(400)
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a file to upload."), "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#dossier")
    if too_large(file):
        flash(too_large_message(), "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#dossier")
    try:
        attach(db.session, current_app.config["STORAGE_DIR"], case, item, file.filename, file.stream,
               file.mimetype, current_user)
    except DuplicateFile as exc:
        flash(_("This file is already in the dossier under this item (%(name)s, uploaded %(when)s).",
                name=exc.existing.filename, when=local_dt(exc.existing.uploaded_dt)), "warning")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#dossier")
    db.session.commit()
    flash(_("File added to the dossier."), "success")
    return redirect(url_for("cases.show_case", case_id=case.id) + "#dossier")


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    load_case(attachment.case_id)  # 404 outside the user's scope
    path = open_stored(current_app.config["STORAGE_DIR"], attachment)
    # the type from the server's allow-list by extension, never the uploader's (an SVG or HTML file would
    # otherwise run its scripts in this origin); always a download
    return send_file(path, mimetype=served_type(attachment.filename), as_attachment=True,
                     download_name=attachment.filename)


# --- configuration -------------------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    if not _is_admin():
        abort(403)
    definitions = [get_registry().get(w) for w in PROCEDURE_WORKFLOWS if w in get_registry().latest]
    errors: list[str] = []
    if request.method == "POST":
        definition = _definition(request.form.get("workflow", ""))
        key, basis = request.form.get("key", ""), request.form.get("basis", "").strip()
        errors = _apply_setting(definition, key, request.form.get("value", ""), basis)
        if not errors:
            db.session.commit()
            flash(_("Setting saved."), "success")
            return redirect(url_for("union.settings") + f"#{definition.name}")
    # the rules as the engine resolves them (a rule reusing a catalogue entry by `ref:` takes its values there)
    rows = {d.name: (procedure_config.settings_of(db.session, d), procedure_config.dossier_items(db.session, d),
                     list(rules_of(d).values())) for d in definitions}
    return render_template("union/settings.html", definitions=definitions, rows=rows,
                           errors=errors), 422 if errors else 200


def _apply_setting(definition, key: str, raw: str, basis: str) -> list[str]:
    if not basis:
        return [_("Give the basis (the document that sets this value).")]
    if key.startswith("dossier:"):
        spec = procedure_config.declared_dossier(definition).get(key.split(":", 1)[1])
        if spec is None:
            abort(400)
        if spec["certainty"] == "V":
            return [_("This value was checked against the law's text and cannot be changed here.")]
        procedure_config.override(db.session, definition, key, {"required": raw == "required"}, basis, current_user)
        return []
    spec = procedure_config.declared_settings(definition).get(key)
    if spec is None:
        abort(400)
    if spec["certainty"] == "V":
        return [_("This value was checked against the law's text and cannot be changed here.")]
    kind = spec.get("type", "int")
    try:
        value = int(raw) if kind == "int" else float(raw.replace(",", ".")) if kind == "ratio" else \
            date.fromisoformat(raw).isoformat() if kind == "date" else raw.strip()
    except ValueError:
        return [_("Not a valid value.")]
    if (kind == "int" and value < 0) or (kind == "ratio" and not 0 < value <= 1) or (kind == "text" and not value):
        return [_("Not a valid value.")]
    procedure_config.override(db.session, definition, key, {"value": value}, basis, current_user)
    return []


# --- commendation rounds -------------------------------------------------------------------------------

@bp.route("/rounds", methods=["GET", "POST"])
@login_required
def rounds():
    if not (_is_admin() or has_role(db.session, current_user, "organiser")):
        abort(403)
    form = RoundForm()
    if form.validate_on_submit():
        row = db.session.scalar(select(CommendationRound).where(CommendationRound.year == form.year.data,
                                                                CommendationRound.unit_id.is_(None)))
        row = row or CommendationRound(year=form.year.data)
        row.title, row.cut_off_date, row.basis = form.title.data.strip(), form.cut_off_date.data, form.basis.data
        db.session.add(row)
        db.session.commit()
        flash(_("Round saved."), "success")
        return redirect(url_for("union.rounds"))
    all_rounds = db.session.scalars(select(CommendationRound).order_by(CommendationRound.year.desc())).all()
    return render_template("union/rounds.html", form=form, rounds=all_rounds), \
        422 if request.method == "POST" else 200


class RoundForm(TransitionFormBase):
    year = IntegerField(_l("Year"), validators=[InputRequired(message=_l("This field is required.")),
                                                NumberRange(min=2000, max=2100, message=_l("Not a valid year."))])
    title = StringField(_l("Title"), validators=[InputRequired(message=_l("This field is required.")),
                                                 Length(max=255, message=_l("Too long."))])
    cut_off_date = VnDateField(_l("Cut-off date"), validators=[InputRequired(message=_l("This field is required."))])
    basis = StringField(_l("Basis"), validators=[Optional(), Length(max=500, message=_l("Too long."))])


# --- targets -------------------------------------------------------------------------------------------

class ImportForm(TransitionFormBase):
    file = FileField(_l("Enterprise register (XLSX)"))


@bp.route("/targets", methods=["GET", "POST"])
@login_required
def targets():
    if not _works_on_procedures(current_user):
        abort(403)
    years = targets_service.achievements(db.session)
    unit_ids = {uid for y in years for uid in y.by_unit}
    rows = targets_service.targets(db.session)
    status, errors = 200, []
    if request.method == "POST":
        if not _is_admin():
            abort(403)
        target = db.session.get(MembershipTarget, int(request.form.get("target_id") or 0))
        if target is None:
            abort(404)
        raw, basis = request.form.get("value", "").strip(), request.form.get("basis", "").strip()
        if not raw.isdigit() or not basis:
            errors, status = [_("Give a whole number and its basis.")], 422
        else:
            target.value, target.basis = int(raw), basis
            db.session.commit()
            flash(_("Target saved."), "success")
            return redirect(url_for("union.targets"))
    return render_template("union/targets.html", years=years, units=targets_service.unit_names(db.session,
                           unit_ids), targets=rows, progress={t.id: targets_service.progress(t, years) for t in rows},
                           coverage=targets_service.coverage(db.session), is_admin=_is_admin(),
                           import_form=ImportForm(), errors=errors), status


@bp.route("/enterprises/import", methods=["POST"])
@login_required
def import_enterprises():
    if not _is_admin():
        abort(403)
    form = ImportForm()
    file = request.files.get("file")
    if not form.validate_on_submit() or file is None or not file.filename:
        flash(_("Choose an XLSX file."), "danger")
        return redirect(url_for("union.targets"))
    if too_large(file):
        flash(too_large_message(), "danger")
        return redirect(url_for("union.targets"))
    try:
        result = import_xlsx(db.session, file.stream)
    except RegisterImportError as exc:
        db.session.rollback()
        flash(_("The file could not be imported: %(reason)s", reason=str(exc)), "danger")
        return redirect(url_for("union.targets"))
    db.session.commit()
    flash(_("Enterprise register: %(created)d added, %(updated)d updated, %(errors)d rows refused.",
            created=result.created, updated=result.updated, errors=len(result.errors)),
          "warning" if result.errors else "success")
    for message in result.errors[:20]:
        flash(message, "warning")
    return redirect(url_for("union.targets"))
