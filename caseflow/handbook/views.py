"""The procedure pages: every workflow as a standard procedure (purpose, basis, steps, diagram, settings in
force, versions and their differences), its diagram for print, and the handbook. Procedures are not secret:
any signed-in user reads them; the only case data shown is how many running cases of each version the
reader may see."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.errors import WorkflowError
from caseflow.core.i18n import _, _l, current_language
from caseflow.core.models import Case, RoleAssignment, Unit
from caseflow.core.policy import roles_on, units_in_scope, visible_cases
from caseflow.core.signals import MenuItem
from caseflow.core.text import vi_sort_key
from caseflow.extensions import db
from caseflow.handbook.appendix import TYPE_KEY, open_handbook_draft
from caseflow.handbook.diagram import FORMATS, diagram_cache
from caseflow.handbook.diff import diff
from caseflow.handbook.procedure import procedure_of

bp = Blueprint("handbook", __name__, url_prefix="/procedures/standards")
MENU: list[MenuItem] = [MenuItem("handbook.index", lambda: _("Standard procedures"),
                                 lambda user: bool(getattr(user, "is_authenticated", False)))]

#: what a diff's kinds and operations are called on the page
CHANGE_WORDS = {"state": _l("State"), "transition": _l("Step"), "role": _l("Role"), "deadline": _l("Deadline"),
                "added": _l("added"), "removed": _l("removed"), "changed": _l("changed")}


def _definition(name: str, version: int | None = None):
    registry = get_registry()
    if name not in registry.latest or (version is not None and (name, version) not in registry.definitions):
        abort(404)
    return registry.get(name, version)


def _version_arg(name: str = "version") -> int | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        abort(404)
    return int(raw)


def versions_of(name: str) -> list[int]:
    return sorted(v for n, v in get_registry().definitions if n == name)


def running_counts(name: str) -> dict[int, int]:
    """Running cases of each version, among those the reader may see (need to know: no other case data)."""
    query = visible_cases(db.session, current_user, select(Case.workflow_version, func.count(Case.id))
                          .where(Case.workflow == name, Case.closed_dt.is_(None)).group_by(Case.workflow_version))
    return {v: n for v, n in db.session.execute(query).all()}


def role_levels() -> dict[str, list[str]]:
    """role -> the unit levels where someone holds it (who acts, and at which level of the union)."""
    from caseflow.union.org_views import KIND_LABELS

    rows = db.session.execute(select(RoleAssignment.role, Unit.kind).join(RoleAssignment.unit).distinct()).all()
    found: dict[str, list[str]] = {}
    order = list(KIND_LABELS)
    for role, kind in sorted(rows, key=lambda r: order.index(r[1]) if r[1] in order else len(order)):
        found.setdefault(role, []).append(str(KIND_LABELS.get(kind, kind)))
    return found


def settings_in_force(definition) -> dict:
    """The configurable values this procedure uses, as in force today, each with its basis."""
    from caseflow.deadlines.service import rules_of, setting_in_force
    from caseflow.union.config import settings_of

    today = local_today()
    deadlines = []
    for rule in rules_of(definition).values():
        if rule.configurable:
            setting = setting_in_force(db.session, rule.setting_key, today)
            deadlines.append({"rule": rule, "days": setting[0] if setting else rule.days,
                              "basis": setting[1] if setting else rule.basis, "since": setting[2] if setting else None})
    return {"deadlines": deadlines, "settings": settings_of(db.session, definition)}


def handbook_units() -> list[Unit]:
    """Units where the reader may draft a document (the handbook decision is one)."""
    definition = get_registry().get("document_issuance")
    return [u for u in units_in_scope(db.session, current_user)
            if roles_on(db.session, current_user, u).intersection(definition.intake_roles)]


def handbook_documents() -> list:
    """The handbook decisions the reader may see, newest first (drafts and issued ones)."""
    from caseflow.documents.models import DocumentDetail

    query = visible_cases(db.session, current_user, select(Case).join(DocumentDetail, DocumentDetail.case_id == Case.id)
                          .where(DocumentDetail.type_key == TYPE_KEY).order_by(Case.id.desc()).limit(20))
    return db.session.scalars(query).all()


@bp.route("/")
@login_required
def index():
    registry = get_registry()
    lang = current_language()
    procedures = sorted((procedure_of(registry.get(name), lang) for name in registry.latest),
                        key=lambda p: vi_sort_key(p.label))
    return render_template("handbook/index.html", procedures=procedures, units=handbook_units(),
                           handbook=handbook_documents())


@bp.route("/handbook", methods=["POST"])
@login_required
def draft_handbook():
    """Open the decision adopting the handbook as a draft; the documents pages take it from there."""
    units = {str(u.id): u for u in handbook_units()}
    if not units:
        abort(403)
    unit = units.get(request.form.get("unit_id", ""))
    if unit is None:
        flash(_("Choose the unit that issues the decision."), "danger")
        return redirect(url_for("handbook.index"))
    try:
        case = open_handbook_draft(db.session, unit, current_user)
    except WorkflowError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("handbook.index"))
    flash(_("Draft created: %(code)s.", code=case.code), "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


@bp.route("/<workflow>")
@login_required
def procedure(workflow: str):
    name = workflow
    definition = _definition(name, _version_arg())
    lang = current_language()
    proc = procedure_of(definition, lang)
    versions = versions_of(name)
    against = _version_arg("against") or max((v for v in versions if v < definition.version), default=None)
    changes = diff(_definition(name, against), definition, lang) if against not in (None, definition.version) else []
    return render_template(
        "handbook/procedure.html", proc=proc, definition=definition, levels=role_levels(),
        svg=diagram_cache().inline(proc), versions=versions, running=running_counts(name),
        changes=changes, against=against,
        words=CHANGE_WORDS, config=settings_in_force(definition), formats=FORMATS)


@bp.route("/<workflow>/diagram")
@login_required
def diagram(workflow: str):
    """The diagram for print or download: ?format=svg|png|pdf, ?version=N, ?lang=vi|en."""
    fmt = request.args.get("format", "svg")
    lang = request.args.get("lang") or current_language()
    if fmt not in FORMATS or lang not in ("vi", "en"):
        abort(404)
    proc = procedure_of(_definition(workflow, _version_arg()), lang)
    data = diagram_cache().get(proc, fmt)
    disposition = "inline" if fmt == "svg" else "attachment"
    return Response(data, mimetype=FORMATS[fmt], headers={
        "Content-Disposition": f'{disposition}; filename="{workflow}-v{proc.version}.{fmt}"',
        "Cache-Control": "private, max-age=3600"})
