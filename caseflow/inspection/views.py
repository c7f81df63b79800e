"""UBKT screens: the intake desk, the case board per state, statistics, and the protected-identity page.

Thin views: load (404 out of scope) -> check -> validate -> engine/service -> redirect. The sender's or
denouncer's identity appears on exactly one page, to the holder of a grant, after an audited request."""
from __future__ import annotations

import csv
import hashlib
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.file import FileAllowed, FileField
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.errors import GuardFailed, InvalidInput, NotPermitted, WorkflowError
from caseflow.core.i18n import _, _l, label
from caseflow.core.models import Case, RoleAssignment, Unit, User, utcnow
from caseflow.core.policy import can_see, visible_cases
from caseflow.core.signals import MenuGroup, MenuItem
from caseflow.deadlines.models import Deadline
from caseflow.extensions import db
from caseflow.inspection import identity
from caseflow.inspection.duplicates import likely_duplicates
from caseflow.inspection.models import ComplaintDetail, DenunciationDetail, LetterDetail, ProtectedScan
from caseflow.inspection.stats import compute as compute_stats
from caseflow.web import labels
from caseflow.web.access import holds_any_role, intake_units, load_case, role_required
from caseflow.web.forms import (
    TransitionFormBase,
    apply_engine_error,
    choices,
    intake_form,
    intake_form_class,
)
from caseflow.web.headers import served_type
from caseflow.web.uploads import FileSizeLimit, too_large

bp = Blueprint("inspection", __name__, url_prefix="/inspection")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []
#: the menu of this user group's pages
INSPECTION = MenuGroup("inspection", _l("Inspection committee"), 20)

UBKT_ROLES = ("clerk", "inspector", "leader")
KIND_WORKFLOW = {"letter": "letter_intake", "complaint": "complaint", "denunciation": "denunciation"}
DETAIL = {"letter": LetterDetail, "complaint": ComplaintDetail, "denunciation": DenunciationDetail}
SCAN_TYPES = ("pdf", "png", "jpg", "jpeg", "tif", "tiff")

def _is_ubkt(user, roles=UBKT_ROLES) -> bool:
    return holds_any_role(user, roles)


MENU.append(MenuItem("inspection.desk", lambda: _("Letter desk"), lambda user: _is_ubkt(user), group=INSPECTION))
MENU.append(MenuItem("inspection.board", lambda: _("UBKT board"), lambda user: _is_ubkt(user), group=INSPECTION))
MENU.append(MenuItem("inspection.stats", lambda: _("UBKT statistics"),
                  lambda user: _is_ubkt(user, ("inspector", "leader")), group=INSPECTION))


# ---------------------------------------------------------------- intake desk

def desk_form_class(definition):
    return intake_form_class(definition, "LetterDeskForm", after_date=lambda: {
        "subject": StringField(_l("Summary (never the sender's name)"), validators=[
            InputRequired(message=_l("This field is required.")), Length(max=300, message=_l("Too long."))],
            render_kw={"autofocus": True, "accesskey": "n"}),
        "scan": FileField(_l("Scan of the letter (kept with the protected identity)"), validators=[
            Optional(), FileAllowed(SCAN_TYPES, message=_l("Only PDF or image files.")), FileSizeLimit()]),
    })


class ClassifyForm(TransitionFormBase):
    content_type = SelectField(_l("Type of letter"), validators=[InputRequired(message=_l("This field is required."))])
    expected_version = HiddenField()


def _pending_letters():
    query = visible_cases(db.session, current_user).where(Case.kind == "letter", Case.state == "received") \
        .options(selectinload(Case.unit)).order_by(Case.received_date, Case.id).limit(50)
    letters = db.session.scalars(query).all()
    rows = []
    for case in letters:
        letter = db.session.get(LetterDetail, case.id)
        dups = [d for d in likely_duplicates(db.session, letter) if _visible_id(d.case_id)]
        rows.append({"case": case, "letter": letter, "duplicates": dups})
    return rows


def _visible_id(case_id: int) -> bool:
    case = db.session.get(Case, case_id)
    return case is not None and can_see(db.session, current_user, case)


def _classify_choices():
    field = next(f for t in get_registry().get("letter_intake").transitions if t.trigger == "classify"
                 for f in t.fields if f.name == "content_type")
    return [("", "—")] + [(k, label(v)) for k, v in field.choices.items()]


def _classify_select():
    return choices(_classify_choices())


@bp.route("/desk", methods=["GET", "POST"])
@login_required
def desk():
    """Register letters quickly (keyboard: the summary field has focus, Enter saves) and classify them,
    seeing likely duplicates first."""
    definition = get_registry().get("letter_intake")
    form = intake_form(desk_form_class(definition), intake_units(definition), request.method)
    errors: list[str] = []
    if form.validate_on_submit():
        unit = db.session.get(Unit, int(form.unit_id.data))
        data = {f.name: form[f.name].data for f in definition.intake_fields}
        try:
            case = engine.open_case(db.session, "letter_intake", unit, current_user, data, title=form.subject.data,
                                    received_date=form.received_date.data)
        except (InvalidInput, GuardFailed, NotPermitted) as exc:
            errors = apply_engine_error(form, exc)
        else:
            _store_scan(case, form.scan.data)
            flash(_("Letter %(code)s registered.", code=case.code), "success")
            return redirect(url_for("inspection.desk"))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and too_large(form.scan.data):
        status = 413  # the form comes back with everything typed and the scan field's message
    classify_forms = {}
    pending = _pending_letters()
    for row in pending:
        f = ClassifyForm(formdata=None, prefix=f"c{row['case'].id}")
        f.content_type.choices = _classify_select()
        f.expected_version.data = row["case"].version
        classify_forms[row["case"].id] = f
    return render_template("inspection/desk.html", form=form, definition=definition, errors=errors,
                           pending=pending, classify_forms=classify_forms), status


def _store_scan(case: Case, upload) -> None:
    """A scan shows the handwriting: it is kept with the protected identity, never as a case attachment."""
    if not upload or not getattr(upload, "filename", ""):
        return
    data = upload.read()
    db.session.add(ProtectedScan(case_id=case.id, filename=upload.filename[:255],
                                 content_type=(upload.mimetype or "application/octet-stream")[:100],
                                 sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=current_user.id,
                                 uploaded_dt=utcnow()))
    db.session.commit()


@bp.route("/desk/<int:case_id>/classify", methods=["POST"])
@login_required
def classify_letter(case_id: int):
    case = load_case(case_id)
    if case.kind != "letter":
        abort(404)
    form = ClassifyForm(prefix=f"c{case.id}")
    form.content_type.choices = _classify_select()
    if not form.validate_and_localise():
        flash(_("Choose the type of the letter."), "danger")
        return redirect(url_for("inspection.desk"))
    expected = form.expected_version.data
    try:
        engine.fire(case, "classify", current_user, {"content_type": form.content_type.data},
                    expected_version=int(expected) if str(expected or "").isdigit() else None)
    except GuardFailed as exc:
        flash(" ".join(exc.reasons), "danger")
    except WorkflowError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("Letter %(code)s classified.", code=case.code), "success")
    return redirect(url_for("inspection.desk"))


# ---------------------------------------------------------------- board

@bp.route("/board")
@role_required(*UBKT_ROLES)
def board():
    kind = request.args.get("kind", "denunciation")
    if kind not in KIND_WORKFLOW:
        kind = "denunciation"
    definition = get_registry().get(KIND_WORKFLOW[kind])
    open_states = [s for s in definition.states.values() if not s.final]
    cases = db.session.scalars(visible_cases(db.session, current_user)
                               .where(Case.kind == kind, Case.closed_dt.is_(None))
                               .options(selectinload(Case.assignee)).order_by(Case.received_date)).all()
    due = dict(db.session.execute(
        select(Deadline.case_id, func.min(Deadline.due_date)).where(
            Deadline.case_id.in_([c.id for c in cases] or [0]), Deadline.status.in_(("open", "paused")))
        .group_by(Deadline.case_id)).all())
    columns = {s.name: [] for s in open_states}
    for case in cases:
        columns.setdefault(case.state, []).append(case)
    closed = db.session.scalar(select(func.count()).select_from(
        visible_cases(db.session, current_user).where(Case.kind == kind, Case.closed_dt.is_not(None)).subquery()))
    return render_template("inspection/board.html", kind=kind, definition=definition, states=open_states,
                           columns=columns, due=due, today=local_today(), closed=closed,
                           kinds=[(k, label(get_registry().get(w).label)) for k, w in KIND_WORKFLOW.items()])


# ---------------------------------------------------------------- statistics

def _stats_args():
    year = request.args.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else local_today().year
    granularity = request.args.get("by", "quarter")
    return year, granularity if granularity in ("month", "quarter", "year") else "quarter"


def _state_labels() -> dict[str, dict[str, str]]:
    return {kind: {s: label(d.label) for s, d in get_registry().get(w).states.items()}
            for kind, w in KIND_WORKFLOW.items()}


@bp.route("/stats")
@role_required("inspector", "leader")
def stats():
    year, granularity = _stats_args()
    result = compute_stats(db.session, current_user, year, granularity)
    return render_template("inspection/stats.html", stats=result, year=year, granularity=granularity,
                           type_labels=_classify_choices()[1:] + [("unclassified", _("Not yet classified"))],
                           state_labels=_state_labels())


@bp.route("/stats.csv")
@role_required("inspector", "leader")
def stats_csv():
    year, granularity = _stats_args()
    result = compute_stats(db.session, current_user, year, granularity)
    labels = _state_labels()
    types = dict(_classify_choices()[1:] + [("unclassified", _("Not yet classified"))])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Table"), _("Period"), _("Item"), _("Count")])
    for period in result.periods:
        for key, n in sorted(result.letters_by_type[period].items()):
            writer.writerow([_("Letters by type"), period, types.get(key, key), n])
        for key, n in sorted(result.letters_by_outcome[period].items()):
            writer.writerow([_("Letters by outcome"), period, labels["letter"].get(key, key), n])
        for key, n in sorted(result.complaints_by_state[period].items()):
            writer.writerow([_("Complaints"), period, labels["complaint"].get(key, key), n])
        for key, n in sorted(result.denunciations_by_state[period].items()):
            writer.writerow([_("Denunciations"), period, labels["denunciation"].get(key, key), n])
        rate = result.rate(period)
        writer.writerow([_("On-time rate"), period, "", "" if rate is None else f"{rate:.0%}"])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=ubkt-{year}.csv"})


# ---------------------------------------------------------------- protected identity

def _load_protected(case_id: int) -> Case:
    case = load_case(case_id)
    if case.kind not in identity.PROTECTED_KINDS:
        abort(404)
    return case


def _grantee_choices(case: Case):
    ancestors = [int(x) for x in case.unit.path.strip("/").split("/") if x]
    users = db.session.scalars(select(User).join(RoleAssignment).where(
        RoleAssignment.unit_id.in_(ancestors), RoleAssignment.role.in_(identity.GRANTEE_ROLES), User.active)
        .distinct().order_by(User.full_name)).all()
    return [(str(u.id), u.full_name) for u in users if can_see(db.session, u, case)]


class GrantForm(TransitionFormBase):
    user_id = SelectField(_l("Handler"), validators=[InputRequired(message=_l("This field is required."))])
    reason = TextAreaField(_l("Why this handler needs the identity"), validators=[
        InputRequired(message=_l("This field is required.")), Length(max=2000, message=_l("Too long."))])


class RevokeForm(TransitionFormBase):
    reason = TextAreaField(_l("Why the access ends"), validators=[
        InputRequired(message=_l("This field is required.")), Length(max=2000, message=_l("Too long."))])


def _identity_page(case: Case, people=None, grant_form=None, status: int = 200, errors=None):
    can_grant = identity.can_grant(db.session, case, current_user)
    if grant_form is None:
        grant_form = GrantForm(formdata=None)
    grant_form.user_id.choices = choices([("", "—")] + _grantee_choices(case))
    response = render_template(
        "inspection/identity.html", case=case, people=people, grant_form=grant_form, revoke_form=RevokeForm(formdata=None),
        has_grant=identity.active_grant(db.session, case.id, current_user.id) is not None, can_grant=can_grant,
        grants=identity.grants_of(db.session, case.id) if can_grant else [],
        log=identity.access_log(db.session, case.id) if can_grant else [],
        count=identity.identity_count(db.session, case.id),
        scans=identity.scan_list(db.session, case.id) if people is not None else [], errors=errors or [])
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/cases/<int:case_id>/identity")
@login_required
def identity_page(case_id: int):
    return _identity_page(_load_protected(case_id))


@bp.route("/cases/<int:case_id>/identity/reveal", methods=["POST"])
@login_required
def reveal_identity(case_id: int):
    """The one place an identity is shown: to the holder of a grant, each time recorded in the access log."""
    case = _load_protected(case_id)
    form = TransitionFormBase()
    if not form.validate():
        abort(400)
    people = identity.view(db.session, case, current_user)  # NotPermitted -> 403 when no grant
    return _identity_page(case, people=people)


@bp.route("/cases/<int:case_id>/identity/grant", methods=["POST"])
@login_required
def grant_identity(case_id: int):
    case = _load_protected(case_id)
    if not identity.can_grant(db.session, case, current_user):
        abort(403)
    form = GrantForm()
    form.user_id.choices = choices([("", "—")] + _grantee_choices(case))
    if not form.validate_and_localise():
        return _identity_page(case, grant_form=form, status=422)
    try:
        identity.grant(db.session, case, current_user, db.session.get(User, int(form.user_id.data)), form.reason.data)
    except InvalidInput as exc:
        return _identity_page(case, grant_form=form, status=422, errors=list(exc.errors.values()))
    flash(_("Access to the protected identity granted."), "success")
    return redirect(url_for("inspection.identity_page", case_id=case.id))


@bp.route("/cases/<int:case_id>/identity/grants/<int:grant_id>/revoke", methods=["POST"])
@login_required
def revoke_identity(case_id: int, grant_id: int):
    case = _load_protected(case_id)
    if not identity.can_grant(db.session, case, current_user):
        abort(403)
    form = RevokeForm()
    if not form.validate_and_localise():
        return _identity_page(case, status=422, errors=[_("Please give a reason.")])
    try:
        identity.revoke(db.session, case, current_user, grant_id, form.reason.data)
    except InvalidInput as exc:
        return _identity_page(case, status=422, errors=list(exc.errors.values()))
    flash(_("Access to the protected identity revoked."), "success")
    return redirect(url_for("inspection.identity_page", case_id=case.id))


@bp.route("/cases/<int:case_id>/identity/scans/<int:scan_id>")
@login_required
def identity_scan(case_id: int, scan_id: int):
    case = _load_protected(case_id)
    scan = identity.read_scan(db.session, case, current_user, scan_id)  # recorded; 403 without a grant
    return Response(scan.data, mimetype=served_type(scan.filename), headers={
        "Content-Disposition": f"attachment; filename=scan-{scan.id}", "Cache-Control": "no-store"})


# ---------------------------------------------------------------- data for inspection/_detail_<kind>.html

@bp.app_context_processor
def inspection_helpers():
    return {"inspection_info": inspection_info, "inspection_choice": choice_label}


def choice_label(case: Case, name: str, value) -> str:
    """The label of a stored choice (e.g. a refusal ground) as the workflow file words it."""
    definition = get_registry().get(case.workflow, case.workflow_version)
    return labels.choice_label(definition, name, value) or "—"


def inspection_info(case: Case) -> dict:
    """What the case page shows of a letter, complaint or denunciation: never the protected identity."""
    detail = db.session.get(DETAIL[case.kind], case.id)
    info = {"detail": detail, "links": [], "duplicates": [], "team": [],
            "identity_count": identity.identity_count(db.session, case.id)
            if case.kind in identity.PROTECTED_KINDS else 0,
            "has_grant": identity.active_grant(db.session, case.id, current_user.id) is not None,
            "can_grant": identity.can_grant(db.session, case, current_user)}
    linked = []
    if case.kind == "letter" and detail is not None:
        linked = list(detail.linked_case_ids or []) + ([detail.parent_letter_id] if detail.parent_letter_id else [])
        if case.state in ("received", "classified"):
            info["duplicates"] = [d for d in likely_duplicates(db.session, detail) if _visible_id(d.case_id)]
    elif detail is not None and detail.letter_case_id:
        linked = [detail.letter_case_id]
    for case_id in linked:
        other = db.session.get(Case, case_id)
        if other is not None and can_see(db.session, current_user, other):
            info["links"].append(other)
    if case.kind == "denunciation" and detail is not None:
        info["team"] = [u.full_name for u in (db.session.get(User, i) for i in detail.team_member_ids or []) if u]
        info["criteria"] = get_registry().get("denunciation").extra.get("limits", {}).get("complexity_criteria", {})
    return info
