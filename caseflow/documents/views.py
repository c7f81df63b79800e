"""Official documents: new drafts, the draft editor, HTML preview and PDF, the register of outgoing documents
(search, filters, XLSX) and the signing powers. A document is a case: its page is /cases/<id>, whose fire
buttons drive the issuance workflow; these views add what is particular to documents."""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine.errors import Conflict, GuardFailed, InvalidInput, InvalidTrigger, NotPermitted
from caseflow.core.i18n import _, _l, label
from caseflow.core.models import Case, Unit, User
from caseflow.core.policy import has_role, units_in_scope, visible_cases
from caseflow.core.signals import MenuGroup, MenuItem
from caseflow.core.text import fold, nfc, vi_sort_key
from caseflow.documents.models import AUTHORITIES, ISSUED_STATES, DocumentDetail, SigningPower
from caseflow.documents.signing import authority_problems
from caseflow.extensions import db
from caseflow.reports.export import to_xlsx
from caseflow.web.access import load_case, role_required
from caseflow.web.dates import VnDateField
from caseflow.web.forms import choices, required_message

bp = Blueprint("documents", __name__, url_prefix="/documents")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []
#: the menu of this user group's pages
DOCUMENTS = MenuGroup("documents", _l("Documents"), 40)

#: the HTML preview is the document alone: no script, no outside resource (templates are sandboxed too)
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'"
DRAFTING_ROLES = {"clerk", "leader", "inspector", "legal_officer"}


def _types():
    from caseflow.documents import document_types

    return document_types()


def _type_label(key: str) -> str:
    t = _types().get(key)
    return label(t.label) if t else key


def load_document(case_id: int) -> tuple[Case, DocumentDetail]:
    case = load_case(case_id)
    detail = db.session.get(DocumentDetail, case.id) if case.kind == "document" else None
    if detail is None:
        abort(404)
    return case, detail


def documents_of(case: Case) -> list[tuple[Case, DocumentDetail]]:
    """The documents of a case the current user may see (the case page's panel)."""
    query = visible_cases(db.session, current_user, select(Case, DocumentDetail).join(
        DocumentDetail, DocumentDetail.case_id == Case.id)).where(DocumentDetail.source_case_id == case.id)
    return list(db.session.execute(query.order_by(Case.id)))


def related(case: Case, detail: DocumentDetail) -> dict:
    """What this document replaces or corrects, and what replaced or corrected it."""
    later = visible_cases(db.session, current_user, select(Case, DocumentDetail).join(
        DocumentDetail, DocumentDetail.case_id == Case.id)).where(DocumentDetail.replaces_id == case.id)
    earlier = None
    if detail.replaces_id:
        old = db.session.get(Case, detail.replaces_id)
        if old is not None:
            earlier = (old, db.session.get(DocumentDetail, old.id))
    return {"earlier": earlier, "later": list(db.session.execute(later.order_by(Case.id)))}


@bp.app_context_processor
def _inject():
    return {"documents_of": documents_of, "case_document": lambda case: db.session.get(DocumentDetail, case.id), "document_related": related, "document_type_label": _type_label,
            "ISSUED_STATES": ISSUED_STATES}


def _may_draft(user) -> bool:
    return any(r in DRAFTING_ROLES for _p, r in _role_paths(user))


def _role_paths(user):
    from caseflow.core.policy import role_paths

    return role_paths(db.session, user) if user.is_authenticated else []


MENU.append(MenuItem("documents.register", lambda: _("Documents"), lambda user: _may_draft(user), group=DOCUMENTS))


# --- a new draft ----------------------------------------------------------------------------------------
class NewDocumentForm(FlaskForm):
    type_key = SelectField(_l("Document type"), validators=[InputRequired(message=required_message())])
    unit_id = SelectField(_l("Issuing unit"), validators=[InputRequired(message=required_message())])
    summary = TextAreaField(_l("Summary"), validators=[InputRequired(message=required_message()),
                                                       Length(max=1000, message=_l("Too long."))])
    secret = BooleanField(_l("Secret document"))
    urgency = SelectField(_l("Urgency"), validators=[Optional()])
    source_case_id = HiddenField()
    replaces_id = HiddenField()
    relation = SelectField(_l("Relation to the earlier document"), validators=[Optional()])


URGENCIES = {"normal": _l("Normal"), "urgent": _l("Urgent"), "very_urgent": _l("Very urgent"), "flash": _l("Flash")}
RELATIONS = {"replaces": _l("Replaces"), "corrects": _l("Corrects")}


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_document():
    form = NewDocumentForm()
    units = [u for u in units_in_scope(db.session, current_user)
             if DRAFTING_ROLES & {r for p, r in _role_paths(current_user) if u.path.startswith(p)}]
    if not units:
        abort(403)
    form.type_key.choices = choices([("", "—")] + sorted(((k, label(t.label)) for k, t in _types().items()),
                                                        key=lambda x: x[1]))
    form.unit_id.choices = choices([(u.id, u.name) for u in units])
    form.urgency.choices = choices([(k, str(v)) for k, v in URGENCIES.items()])
    form.relation.choices = choices([(k, str(v)) for k, v in RELATIONS.items()])
    if request.method == "GET":
        form.source_case_id.data = request.args.get("source", "")
        form.replaces_id.data = request.args.get("replaces", "")
        form.relation.data = request.args.get("relation", "replaces")
        old = db.session.get(DocumentDetail, _int(form.replaces_id.data) or 0)
        if old is not None:
            form.type_key.data, form.unit_id.data = old.type_key, str(old.issuing_unit_id)
            form.summary.data = old.summary
    errors: list[str] = []
    if form.validate_on_submit():
        unit = db.session.get(Unit, int(form.unit_id.data))
        data = {"type_key": form.type_key.data, "summary": form.summary.data, "secret": form.secret.data,
                "urgency": form.urgency.data or "normal", "source_case_id": _int(form.source_case_id.data),
                "replaces_id": _int(form.replaces_id.data),
                "relation": form.relation.data if _int(form.replaces_id.data) else None}
        try:
            case = engine.open_case(db.session, "document_issuance", unit, current_user, data,
                                    title=form.summary.data)
        except InvalidInput as exc:
            for name, message in exc.errors.items():
                target = form._fields.get(name)
                if target is not None and name not in ("source_case_id", "replaces_id"):
                    target.errors = list(target.errors or []) + [message]
                else:
                    errors.append(message)
            errors.insert(0, exc.message)
        except NotPermitted as exc:
            errors.append(exc.message)
        else:
            flash(_("Draft created: %(code)s.", code=case.code), "success")
            return redirect(url_for("documents.edit_document", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("documents/new.html", form=form, errors=errors), status


# --- the draft editor -----------------------------------------------------------------------------------
def _editor_form(t, detail: DocumentDetail, formdata=None):
    """A form generated from the type's fields (list fields one item a line; records "a | b" a line)."""
    attrs = {
        "summary": TextAreaField(_l("Summary"), validators=[InputRequired(message=required_message()),
                                                            Length(max=1000, message=_l("Too long."))]),
        "recipients": TextAreaField(_l("Recipients (one a line)"), validators=[Optional()]),
        "archive": StringField(_l("Filed at (Lưu)"), validators=[Optional(), Length(max=200, message=_l("Too long."))]),
        "urgency": SelectField(_l("Urgency"), choices=choices([(k, str(v)) for k, v in URGENCIES.items()])),
        "secret": BooleanField(_l("Secret document")),
        "expected_version": HiddenField(),
    }
    for spec in t.fields:
        text = label(spec.label)
        validators = [Optional()]
        if spec.kind == "date":
            attrs[f"f_{spec.name}"] = VnDateField(text, validators)
        elif spec.kind == "money":
            attrs[f"f_{spec.name}"] = IntegerField(text, validators)
        elif spec.kind in ("textarea", "list"):
            attrs[f"f_{spec.name}"] = TextAreaField(text, validators)
        else:
            attrs[f"f_{spec.name}"] = StringField(text, validators + [Length(max=2000, message=_l("Too long."))])
    form = type("DocumentEditor", (FlaskForm,), attrs)(formdata=formdata)
    if formdata is None:
        data = detail.data or {}
        fields = data.get("fields") or {}
        form.summary.data = detail.summary
        form.recipients.data = "\n".join(data.get("recipients") or [])
        form.archive.data = data.get("archive") or ""
        form.urgency.data = detail.urgency or "normal"
        form.secret.data = detail.secret
        for spec in t.fields:
            value = fields.get(spec.name)
            f = form[f"f_{spec.name}"]
            if spec.kind == "list":
                f.data = "\n".join(" | ".join(str(item.get(c, "")) for c, _lab in spec.columns)
                                   if isinstance(item, dict) else str(item) for item in (value or []))
            elif spec.kind == "date":
                f.data = date.fromisoformat(value) if value else None
            else:
                f.data = value
    return form


def _draft_json(t, form) -> str:
    fields = {}
    for spec in t.fields:
        value = form[f"f_{spec.name}"].data
        if spec.kind == "list":
            lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
            if spec.columns:
                value = [dict(zip([c for c, _lab in spec.columns], [p.strip() for p in line.split("|")]))
                         for line in lines]
            else:
                value = lines
        elif spec.kind == "date":
            value = value.isoformat() if value else None
        fields[spec.name] = value
    return json.dumps({"summary": form.summary.data, "fields": fields, "archive": form.archive.data,
                       "recipients": [r.strip() for r in (form.recipients.data or "").splitlines() if r.strip()],
                       "urgency": form.urgency.data, "secret": bool(form.secret.data)}, ensure_ascii=False)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit_document(case_id: int):
    case, detail = load_document(case_id)
    t = _types().get(detail.type_key)
    if t is None:
        abort(404)
    editable = case.state == "drafting" and any(
        tr.trigger == "edit_draft" for tr in engine.available_transitions(db.session, case, current_user))
    if request.method == "POST" and not editable:
        flash(_("This document can no longer be edited."), "danger")
        return render_template("documents/edit.html", case=case, detail=detail, doc_type=t, form=None, errors=[]), 409
    form = _editor_form(t, detail, formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.expected_version.data = case.version
    errors: list[str] = []
    if request.method == "POST" and form.validate():
        expected = _int(form.expected_version.data)
        try:
            engine.fire(case, "edit_draft", current_user, {"draft": _draft_json(t, form)},
                        expected_version=expected)
        except InvalidInput as exc:
            errors = [exc.message] + [m for n, m in exc.errors.items() if f"f_{n}" not in form and n not in form]
            for name, message in exc.errors.items():
                for key in (f"f_{name}", name):
                    if key in form:
                        form[key].errors = list(form[key].errors or []) + [message]
        except (Conflict, InvalidTrigger, NotPermitted, GuardFailed) as exc:
            errors = [exc.message]
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for("cases.show_case", case_id=case.id))
    status = 422 if request.method == "POST" else 200
    return render_template("documents/edit.html", case=case, detail=detail, doc_type=t, form=form if editable else None,
                           errors=errors), status


# --- preview and PDF ------------------------------------------------------------------------------------
def _render_data(case: Case, detail: DocumentDetail) -> dict:
    from caseflow.documents.register import render_data

    return render_data(db.session, case, detail, draft=not detail.issued)


@bp.route("/<int:case_id>/preview")
@login_required
def preview(case_id: int):
    from caseflow.documents import render_html

    case, detail = load_document(case_id)
    html = render_html(detail.type_key, _render_data(case, detail))
    return Response(html, mimetype="text/html", headers={"Content-Security-Policy": PREVIEW_CSP,
                                                         "X-Content-Type-Options": "nosniff"})


def _filename(case: Case, detail: DocumentDetail) -> str:
    base = detail.symbol.replace("/", "-") if detail.symbol else f"{case.code}-du-thao"
    return fold(base).upper().replace(" ", "")


@bp.route("/<int:case_id>/pdf")
@login_required
def download_pdf(case_id: int):
    """Issued: the stored bytes, served only when their SHA-256 still matches the register. A draft: rendered
    (marked DỰ THẢO) and kept per case version, so that looking again costs nothing."""
    from caseflow.documents.storage import StorageError, read_verified

    case, detail = load_document(case_id)
    if detail.issued:
        try:
            pdf = read_verified(detail.pdf_path, detail.pdf_sha256)
        except StorageError:
            current_app.logger.error("stored PDF of %s missing or altered", case.code)
            return render_template("errors/error.html", status=409, details={}, message=_(
                "The stored PDF does not match the hash in the register; it is not served.")), 409
    else:
        pdf = draft_pdf(case, detail)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{_filename(case, detail)}.pdf"',
        "X-Content-SHA256": detail.pdf_sha256 or ""})


def draft_pdf(case: Case, detail: DocumentDetail) -> bytes:
    from caseflow.documents.drafts import draft_pdf as cached

    return cached(db.session, case, detail)


# --- the register ---------------------------------------------------------------------------------------
def _register_query(args, user=None):
    user = user if user is not None else current_user
    query = visible_cases(db.session, user, select(Case).join(
        DocumentDetail, DocumentDetail.case_id == Case.id)).where(DocumentDetail.number.is_not(None))
    filters = {k: (args.get(k) or "").strip() for k in ("q", "type", "unit", "year", "secret")}
    if filters["q"]:
        for word in fold(filters["q"]).split()[:8]:
            query = query.where(DocumentDetail.search_text.contains(word, autoescape=True))
    if filters["type"]:
        query = query.where(DocumentDetail.type_key == filters["type"])
    if filters["unit"].isdigit():
        query = query.where(DocumentDetail.issuing_unit_id == int(filters["unit"]))
    if filters["year"].isdigit():
        query = query.where(DocumentDetail.year == int(filters["year"]))
    if filters["secret"] in ("0", "1"):
        query = query.where(DocumentDetail.secret.is_(filters["secret"] == "1"))
    query = query.order_by(DocumentDetail.year.desc(), DocumentDetail.issuing_unit_id, DocumentDetail.issuer_code,
                           DocumentDetail.secret, DocumentDetail.number.desc())
    return query, filters


def _with_details(cases) -> list[tuple[Case, DocumentDetail]]:
    details = {d.case_id: d for d in db.session.scalars(select(DocumentDetail).where(
        DocumentDetail.case_id.in_([c.id for c in cases] or [0])))}
    return [(c, details[c.id]) for c in cases]


@bp.route("/")
@login_required
def index():
    """/documents itself: the register, the page officers look for first (not a 404)."""
    return redirect(url_for("documents.register"))


@bp.route("/register")
@login_required
def register():
    return register_page()


def register_page(batch_form=None):
    """The register, with the "render a batch" form (re-rendered with its messages when refused)."""
    from caseflow.documents.batch_job import batch_form as new_batch_form

    query, filters = _register_query(request.args)
    page = db.paginate(query.options(selectinload(Case.unit)), page=_int(request.args.get("page")) or 1,
                       per_page=current_app.config["CASES_PER_PAGE"], error_out=False)
    rows = _with_details(page.items)
    drafts = db.session.execute(visible_cases(db.session, current_user, select(Case, DocumentDetail).join(
        DocumentDetail, DocumentDetail.case_id == Case.id)).where(DocumentDetail.number.is_(None),
                                                                    Case.closed_dt.is_(None))
        .order_by(Case.updated_dt.desc()).limit(20)).all()
    years = sorted({y for (y,) in db.session.execute(select(DocumentDetail.year).where(
        DocumentDetail.year.is_not(None)).distinct())}, reverse=True)
    units = units_in_scope(db.session, current_user)
    types = sorted(((k, label(t.label)) for k, t in _types().items()), key=lambda x: x[1])
    return render_template("documents/register.html", page=page, rows=rows, drafts=drafts, filters=filters,
                           years=years, units=units, types=types,
                           batch_form=batch_form or new_batch_form() if _may_draft(current_user) else None)


@bp.route("/register.xlsx")
@login_required
def export_register():
    """The register as XLSX; a large one as a background job whose result is the file."""
    from caseflow.reports import export_job

    args = {k: v for k, v in request.args.items() if k in ("q", "type", "unit", "year", "secret")}
    query, _filters = _register_query(args)
    if export_job.as_job(export_job.count_rows(db.session, query)):
        return export_job.start_export(db.session, current_user, "documents_register", args, "xlsx")
    headers, rows, name = register_export(db.session, current_user, args)
    body = to_xlsx(headers, rows, sheet_title=name)
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{local_today():%Y%m%d}.xlsx"'})


def register_export(session, user, args: dict, progress=None):
    """(headers, rows, file base name) of the register as `user` may see it (filtered like the page)."""
    from caseflow.reports.export_job import every
    from caseflow.web.context import state_label

    query, _filters = _register_query(args, user)
    headers = [_("Number"), _("Symbol"), _("Date"), _("Type"), _("Summary"), _("Issuing unit"), _("Signed by"),
               _("Secret"), _("State"), _("Case"), "SHA-256"]
    result = _with_details(session.scalars(query.options(selectinload(Case.unit)).limit(50000)).all())
    signers = {u.id: u.full_name for u in session.scalars(select(User).where(
        User.id.in_({d.signed_by_id for _c, d in result if d.signed_by_id} or {0})))}
    rows = [[d.number, d.symbol, d.issued_date, _type_label(d.type_key), d.summary, c.unit.name,
             signers.get(d.signed_by_id, ""), bool(d.secret), state_label(c), c.code, d.pdf_sha256]
            for c, d in every(result, len(result), progress)]
    return headers, rows, "so-van-ban-di"


# --- signing powers (admin) -----------------------------------------------------------------------------
class PowerForm(FlaskForm):
    user_id = SelectField(_l("User"), validators=[InputRequired(message=required_message())])
    unit_id = SelectField(_l("Issuing unit"), validators=[InputRequired(message=required_message())])
    issuer_code = SelectField(_l("Issuing body"), validators=[Optional()])
    type_key = SelectField(_l("Document type"), validators=[Optional()])
    authority = SelectField(_l("Authority"), validators=[InputRequired(message=required_message())])
    on_behalf_of = StringField(_l("On behalf of"), validators=[Optional(), Length(max=200, message=_l("Too long."))])
    title = StringField(_l("Title"), validators=[InputRequired(message=required_message()),
                                                 Length(max=200, message=_l("Too long."))])
    valid_from = VnDateField(_l("Valid from"), validators=[InputRequired(message=required_message())])
    valid_to = VnDateField(_l("Valid until"), validators=[Optional()])
    basis = StringField(_l("Basis (decision)"), validators=[Optional(), Length(max=255, message=_l("Too long."))])



@bp.route("/powers", methods=["GET", "POST"])
@role_required("admin")
def powers():
    from caseflow.documents.register import COMMITTEE_BODIES

    form = PowerForm()
    users = sorted(db.session.scalars(select(User).where(User.active)), key=lambda u: vi_sort_key(u.full_name))
    form.user_id.choices = choices([("", "—")] + [(u.id, f"{u.full_name} ({u.username})") for u in users])
    form.unit_id.choices = choices([(u.id, u.name) for u in units_in_scope(db.session, current_user)])
    form.issuer_code.choices = choices([("", _("The unit itself"))] + [(k, v) for k, v in COMMITTEE_BODIES.items()])
    form.type_key.choices = choices([("", _("Every type"))] + sorted(((k, label(t.label)) for k, t in
                                                                      _types().items()), key=lambda x: x[1]))
    form.authority.choices = choices([("", "—")] + [(a, a) for a in AUTHORITIES])
    status = 200
    if request.method == "POST":
        valid = form.validate_on_submit()
        for name, message in authority_problems(form.authority.data or "", form.on_behalf_of.data or "",
                                                form.title.data or "").items():
            form[name].errors = list(form[name].errors or []) + [message]
            valid = False
        if valid and (form.valid_to.data is None or form.valid_to.data >= form.valid_from.data):
            db.session.add(SigningPower(
                user_id=int(form.user_id.data), unit_id=int(form.unit_id.data), issuer_code=form.issuer_code.data or None,
                type_key=form.type_key.data or None, authority=form.authority.data,
                on_behalf_of=nfc(form.on_behalf_of.data), title=nfc(form.title.data),
                valid_from_date=form.valid_from.data, valid_to_date=form.valid_to.data, basis=nfc(form.basis.data)))
            db.session.commit()
            flash(_("Signing power recorded."), "success")
            return redirect(url_for("documents.powers"))
        if form.valid_to.data and form.valid_from.data and form.valid_to.data < form.valid_from.data:
            form.valid_to.errors = list(form.valid_to.errors or []) + [_("The end cannot precede the start.")]
        status = 422
    rows = db.session.scalars(select(SigningPower).options(selectinload(SigningPower.user),
                                                           selectinload(SigningPower.unit))
                              .order_by(SigningPower.valid_to_date.is_not(None), SigningPower.id)).all()
    return render_template("documents/powers.html", form=form, rows=rows, type_label=_type_label,
                           today=local_today()), status


@bp.route("/powers/<int:power_id>/end", methods=["POST"])
@role_required("admin")
def end_power(power_id: int):
    row = db.get_or_404(SigningPower, power_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    today = local_today()
    if row.valid_to_date is None or row.valid_to_date > today:
        row.valid_to_date = max(today, row.valid_from_date)
        db.session.commit()
    flash(_("Signing power ended."), "success")
    return redirect(url_for("documents.powers"))


MENU.append(MenuItem("documents.powers", lambda: _("Signing powers"),
                  lambda user: user.is_authenticated and has_role(db.session, user, "admin"), group=DOCUMENTS))


def _routes_elsewhere() -> None:
    """Routes of this blueprint kept in their own modules (one job each)."""
    from caseflow.documents.batch_job import register_routes

    register_routes(bp)


_routes_elsewhere()
