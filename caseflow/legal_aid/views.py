"""Legal-aid intake: the new-case form (worker, employer, dispute, facts) and the typed KPI facts."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.errors import InvalidInput, NotPermitted
from caseflow.core.i18n import _, _l, label
from caseflow.core.models import Unit
from caseflow.core.policy import can_see, has_role
from caseflow.core.signals import MenuGroup, MenuItem
from caseflow.extensions import db
from caseflow.legal_aid.conflicts import find_conflicts
from caseflow.legal_aid.limitation import warnings_for
from caseflow.web.access import intake_units
from caseflow.web.forms import apply_engine_error, form_data, intake_form, intake_form_class

bp = Blueprint("legal_aid", __name__, url_prefix="/legal-aid")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []
#: the menu of this user group's pages
LEGAL_AID = MenuGroup("legal_aid", _l("Legal aid"), 10)


def _opens_legal_aid(user) -> bool:
    return any(has_role(db.session, user, role) for role in get_registry().get(WORKFLOW).intake_roles)


MENU.append(MenuItem("legal_aid.new_case", lambda: _("New legal-aid case"), _opens_legal_aid, group=LEGAL_AID))

WORKFLOW = "legal_aid"


def legal_aid_form_class(definition):
    required = _l("This field is required.")
    return intake_form_class(definition, "LegalAidIntakeForm", after_date=lambda: {
        "worker_name": StringField(_l("Worker's full name"), validators=[InputRequired(message=required),
                                                                         Length(max=200, message=_l("Too long."))]),
        "worker_phone": StringField(_l("Phone"), validators=[Optional(), Regexp(r"^[0-9 +().-]{6,20}$",
                                                             message=_l("Not a valid phone number."))]),
        "worker_id_number": StringField(_l("ID number (CCCD)"), validators=[Optional(), Regexp(
            r"^[0-9]{9,12}$", message=_l("An ID number has 9 or 12 digits."))]),
        "worker_email": StringField(_l("E-mail"), validators=[Optional(), Email(message=_l("Not a valid e-mail."))]),
        "worker_address": TextAreaField(_l("Address"), validators=[Optional(), Length(max=500)]),
        "worker_is_member": BooleanField(_l("Union member")),
    })


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_case():
    definition = get_registry().get(WORKFLOW)
    form = intake_form(legal_aid_form_class(definition), intake_units(definition), request.method)
    errors = []
    if form.validate_on_submit():
        unit = db.session.get(Unit, int(form.unit_id.data))
        party = {"role": "worker", "kind": "person", "full_name": form.worker_name.data,
                 "phone": form.worker_phone.data or None, "id_number": form.worker_id_number.data or None,
                 "email": form.worker_email.data or None, "address": form.worker_address.data or None,
                 "is_union_member": form.worker_is_member.data, "confidential": False}
        data = form_data(form, definition.intake_fields)
        title = f"{form.worker_name.data.strip()} – {_dispute_label(definition, data.get('dispute_type'))}"
        # conflict check, shown before the case is opened: going on needs a note of how it is handled
        conflicts = find_conflicts(db.session, unit, [data.get("employer_name"), data.get("opposing_party")])
        if conflicts and not (data.get("conflict_note") or "").strip():
            form.conflict_note.errors = [_("Conflict of interest flagged: say how it is handled to go on.")]
            return render_template("legal_aid/new.html", form=form, definition=definition, errors=[],
                                   conflicts=conflicts), 422
        try:
            case = engine.open_case(db.session, WORKFLOW, unit, current_user, data, title=title, parties=[party],
                                    received_date=form.received_date.data)
        except (InvalidInput, NotPermitted) as exc:
            errors = apply_engine_error(form, exc)
        else:
            flash(_("Case %(code)s opened.", code=case.code), "success")
            for warning in warnings_for(definition, case.legal_aid.breach_known_date, None, local_today(),
                                        collective=bool(case.legal_aid.is_collective)):
                flash(_("Limitation period: %(what)s until %(day)s (%(basis)s).", what=label(warning.label),
                        day=warning.expires.strftime("%d/%m/%Y"), basis=warning.basis), "warning")
            if not can_see(db.session, current_user, case):
                # a desk clerk registers the request but does not act in legal aid (need to know, core.policy)
                return redirect(url_for("legal_aid.new_case"))
            return redirect(url_for("cases.show_case", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("legal_aid/new.html", form=form, definition=definition, errors=errors), status


def _dispute_label(definition, value):
    """Stored data is Vietnamese whatever the user's language."""
    field = next(f for f in definition.intake_fields if f.name == "dispute_type")
    return label(field.choices.get(value, {"vi": value or ""}), "vi")
