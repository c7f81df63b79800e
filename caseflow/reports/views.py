"""Legal-aid reports: the representation-share dashboard (SVG chart vs targets, breakdowns, drill-down),
the centre's other figures, targets editing, CSV/XLSX exports, and the register import."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.i18n import _, label
from caseflow.core.memo import kept
from caseflow.core.models import Case, Unit, User, utcnow
from caseflow.core.models.sequence import current_value
from caseflow.core.orgtree import successor_map
from caseflow.core.policy import has_role, visible_cases
from caseflow.core.signals import MenuItem
from caseflow.core.text import fold, nfc
from caseflow.extensions import db
from caseflow.jobs import start_job
from caseflow.legal_aid.limitation import warnings_for
from caseflow.legal_aid.views import LEGAL_AID
from caseflow.reports import import_job, kpi
from caseflow.reports.export import to_csv, to_xlsx
from caseflow.reports.figures import centre_figures, received_by_channel
from caseflow.reports.imports.legal_aid import Importer, columns, guess_mapping
from caseflow.reports.imports.reader import UnreadableFile, read_table
from caseflow.reports.models import ConflictLink, RepresentationTarget
from caseflow.reports.svg import share_chart
from caseflow.reports.targets import load_targets, target_for, target_path
from caseflow.web import import_files, labels
from caseflow.web.dates import parse_date
from caseflow.web.uploads import too_large, too_large_message

bp = Blueprint("reports", __name__, url_prefix="/reports")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []

REPORT_ROLES = ("leader", "legal_officer", "admin")
TARGET_ROLES = ("leader", "admin")
FORMATS = ("csv", "xlsx")


def can_report(user) -> bool:
    return user.is_authenticated and any(has_role(db.session, user, r) for r in REPORT_ROLES)


def _require(roles=REPORT_ROLES) -> None:
    if not any(has_role(db.session, current_user, r) for r in roles):
        abort(403)


MENU.append(MenuItem("reports.dashboard", lambda: _("Representation share"), can_report, group=LEGAL_AID))


def _definition():
    return get_registry().get("legal_aid")


def choice_label(field_name: str, value) -> str:
    """The label of a stored legal-aid value (need, forum, ...) in the user's language, "—" for none."""
    return labels.choice_label(_definition(), field_name, value) or "—"


@bp.app_template_global()
def legal_aid_warnings(case):
    """Limitation-period warnings for the case page (BLLĐ 2019, Art. 190; Art. 194 for a collective dispute:
    configuration)."""
    detail = case.legal_aid
    if detail is None:
        return []
    definition = get_registry().get(case.workflow, case.workflow_version)
    return warnings_for(definition, detail.breach_known_date, detail.forum, local_today(), case.closed_dt is None,
                        collective=bool(detail.is_collective))


def _pct(value):
    return None if value is None else round(value, 1)


def _dimension_label(dimension: str, key, units: dict[int, str]) -> str:
    if dimension == "unit":
        return units.get(key, "—")
    if dimension == "collective":
        return _("Collective") if key else _("Individual")
    if dimension == "forum" and key is None:
        return _("No forum (advice only, or no representative)")
    return choice_label({"dispute_type": "dispute_type", "need": "need", "forum": "forum"}[dimension], key)


def _past_years(scope, figures: str = "share"):
    """Past years' figures, kept per app until a closing lands in a past year (the counter moves: imports):
    the share rows, or (figures="verified") the verified memberships per year, which the member register
    fixes at intake (verify_membership), before the matter closes."""
    this_year = local_today().year
    stamp = current_value(db.session, kpi.PAST_YEARS_COUNTER)
    key = (figures, tuple(scope) if scope is not None else None, this_year, stamp)
    count = kpi.verified_by_year if figures == "verified" else kpi.share_by_year
    return kept(current_app.extensions.setdefault("kpi_past_years", {}), key,
                lambda: count(db.session, scope, before=this_year), 64)


def _verified(scope) -> dict[int, int]:
    """Verified memberships per year: the past ones kept, the current one counted live (it was every year on
    every view: the dashboard's slowest query at 200,000 cases, bench/pages.py)."""
    return {**_past_years(scope, "verified"), **kpi.verified_by_year(db.session, scope, since=local_today().year)}


def _series(scope):
    """Every year: the past ones kept, the current one counted live."""
    rows = _past_years(scope) + kpi.share_by_year(db.session, scope, since=local_today().year)
    return rows, load_targets(db.session)


@bp.route("/legal-aid")
@login_required
def dashboard():
    _require()
    scope = kpi.scope_unit_ids(db.session, current_user)
    this_year = local_today().year
    past = _past_years(scope)
    year = request.args.get("year", type=int) or this_year
    breakdowns = kpi.breakdowns(db.session, year, scope)
    if year == this_year and not breakdowns["collective"] and past and "year" not in request.args:
        year = int(past[-1].key)  # nothing closed yet this year: show the last year that has figures
        breakdowns = kpi.breakdowns(db.session, year, scope)
    if year == this_year:  # the current year's row is the breakdown's total: one pass over its slice, not two
        current = kpi.total(breakdowns["collective"])
        current.key = this_year
        rows = past + ([current] if current.matters or current.non_member_matters else [])
    else:
        rows = past + kpi.share_by_year(db.session, scope, since=this_year)
    targets = load_targets(db.session)
    chart_years = sorted({int(r.key) for r in rows} | set(targets))
    path = target_path(list(range(min(chart_years), max(chart_years) + 1)), targets) if chart_years else []
    chart = share_chart(rows, path, title=_("Representation share per year against the target path"),
                        share_label=_("Share with a union representative"), target_label=_("Target path"))
    units = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    rolled = _rolled_up()
    if rolled:
        breakdowns["unit"] = kpi.roll_up_units(breakdowns["unit"], successor_map(db.session))
    return render_template(
        "reports/dashboard.html", rows=rows, total=kpi.total(rows), year=year, chart=chart, rolled_up=rolled,
        targets={r.key: target_for(int(r.key), targets) for r in rows}, breakdowns=breakdowns,
        units=units, dimension_label=_dimension_label, definition=label(kpi.DEFINITION), pct=_pct,
        dimension_titles=_dimension_titles(), target_rows=sorted(targets.items()),
        channels=received_by_channel(db.session, date(year, 1, 1), date(year, 12, 31), scope),
        verified=_verified(scope),
        channel_labels=channel_labels())


def _rolled_up() -> bool:
    """`?units=successor`: units merged away (the 2025 merger) counted inside the unit carrying their work;
    by default every figure stays with the unit as it was when the matter closed."""
    return request.args.get("units") == "successor"


def _dimension_titles():
    return {"unit": _("Unit"), "forum": _("Forum"), "need": _("Need"), "dispute_type": _("Dispute type"),
            "collective": _("Individual / collective")}


def _download(headers, rows, fmt: str, name: str):
    if fmt not in FORMATS:
        abort(404)
    if fmt == "csv":
        body, mime = to_csv(headers, rows), "text/csv"  # Werkzeug adds "; charset=utf-8" to a text mimetype
    else:
        body = to_xlsx(headers, rows, sheet_title=name)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{name}-{local_today():%Y%m%d}.{fmt}"'})


@bp.route("/legal-aid.<fmt>")
@login_required
def export_dashboard(fmt: str):
    _require()
    scope = kpi.scope_unit_ids(db.session, current_user)
    rows, targets = _series(scope)
    headers = [_("Year"), _("Matters of members and union organisations"), _("With a union representative"),
               _("Share (%)"), _("Target (%)"), _("Target set by the programme"), _("Needed one, had none"),
               _("Non-members' matters (beside)"), _("Non-members' matters with a representative"),
               _("Definition")]
    out = []
    for r in rows:
        t = target_for(int(r.key), targets)
        out.append([r.key, r.matters, r.represented, _pct(r.share), t.pct if t else None,
                    (_("yes") if t.set_by_programme else _("interpolated")) if t else "", r.unrepresented,
                    r.non_member_matters, r.non_member_represented, label(kpi.DEFINITION)])
    return _download(headers, out, fmt, "ty-le-dai-dien")


@bp.route("/legal-aid/breakdown/<dimension>.<fmt>")
@login_required
def export_breakdown(dimension: str, fmt: str):
    _require()
    if dimension not in kpi.DIMENSIONS:
        abort(404)
    scope = kpi.scope_unit_ids(db.session, current_user)
    year = request.args.get("year", type=int) or local_today().year
    units = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    headers = [_dimension_titles()[dimension], _("Year"), _("Matters of members and union organisations"),
               _("With a union representative"), _("Share (%)"), _("Needed one, had none"),
               _("Non-members' matters (beside)"), _("Definition")]
    rows = kpi.share_by(db.session, dimension, year, scope)
    if dimension == "unit" and _rolled_up():
        rows = kpi.roll_up_units(rows, successor_map(db.session))
    out = [[_dimension_label(dimension, r.key, units), year, r.matters, r.represented, _pct(r.share),
            r.unrepresented, r.non_member_matters, label(kpi.DEFINITION)] for r in rows]
    return _download(headers, out, fmt, f"ty-le-dai-dien-{dimension}-{year}")


def _drill_args():
    which = request.args.get("set", "matters")
    if which not in kpi.SETS:
        abort(404)
    filters = {d: request.args[d] for d in kpi.DIMENSIONS if d in request.args}
    if "unit" in filters and filters["unit"] not in ("", "none") and not filters["unit"].isdigit():
        abort(404)
    return which, request.args.get("year", type=int), filters


def _drill_query():
    which, year, filters = _drill_args()
    wanted: dict = dict(filters)
    if _rolled_up() and filters.get("unit", "").isdigit():  # the successor's figure: its predecessors' cases too
        wanted["unit"] = kpi.units_rolled_into(int(filters["unit"]), successor_map(db.session))
    scope = kpi.scope_unit_ids(db.session, current_user)
    query = kpi.drilldown_query(which, year=year, scope=scope, filters=wanted)
    return visible_cases(db.session, current_user, query), which, year, filters


CASE_COLUMNS = ("code", "title", "unit", "party_status", "need", "dispute_type", "collective", "forum",
                "took_part", "rep_role", "rep_stage", "outcome", "money", "closed", "no_rep_reason")


def _case_headers():
    return [_("Code"), _("Title"), _("Unit"), _("Requester"), _("Need"), _("Dispute type"), _("Collective"),
            _("Forum"), _("Union representative took part"), _("Acting as"), _("Stage"), _("Outcome"),
            _("Money recovered (VND)"), _("Closed"), _("Why no representation")]


def _case_row(case: Case, d) -> list:
    return [case.code, case.title, case.unit.name, choice_label("party_status", d.party_status),
            choice_label("need", d.need), choice_label("dispute_type", d.dispute_type), bool(d.is_collective),
            choice_label("forum", d.forum), bool(d.union_rep_took_part), choice_label("rep_role", d.rep_role),
            choice_label("rep_stage", d.rep_stage), choice_label("outcome", d.outcome), d.amount_recovered_vnd,
            d.closed_date, d.no_rep_reason or ""]


@bp.route("/legal-aid/cases")
@login_required
def drilldown():
    _require()
    query, which, year, filters = _drill_query()
    page = db.paginate(query.options(selectinload(Case.unit)), page=request.args.get("page", 1, type=int),
                       per_page=50, error_out=False, count=True)
    rows = [(c, c.legal_aid) for c in page.items]
    titles = {"matters": _("Matters of members and union organisations"),
              "represented": _("Matters with a union representative"),
              "unrepresented": _("Matters that needed representation but had none"),
              "non_member": _("Non-members' matters (reported beside the share)"),
              "non_member_represented": _("Non-members' matters with a union representative")}
    units = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    described = [(_dimension_titles()[k], _dimension_label(k, (int(v) if k == "unit" and v.isdigit() else
                                                               (v in ("1", "true") if k == "collective" else v)),
                                                         units)) for k, v in filters.items()]
    return render_template("reports/cases.html", page=page, rows=rows, headers=_case_headers(), row_of=_case_row,
                           title=titles[which], which=which, year=year, described=described,
                           definition=label(kpi.DEFINITION), args=request.args.to_dict())


@bp.route("/legal-aid/cases.<fmt>")
@login_required
def export_drilldown(fmt: str):
    _require()
    query, which, year, _filters = _drill_query()
    cases = db.session.execute(query.options(selectinload(Case.unit)).limit(200_000)).all()
    return _download(_case_headers(), [_case_row(c, d) for c, d in cases], fmt,
                     f"vu-viec-{which}-{year or 'tat-ca'}")


@bp.route("/cases.<fmt>")
@login_required
def export_cases(fmt: str):
    """The case list (visible cases, filtered like the list page) as a download; a large one as a background
    job whose result is the file."""
    from caseflow.reports import export_job

    if fmt not in FORMATS:
        abort(404)
    args = {k: v for k, v in request.args.items() if k in ("kind", "state", "q", "unit")}
    if export_job.as_job(export_job.count_rows(db.session, cases_query(db.session, current_user, args))):
        return export_job.start_export(db.session, current_user, "cases", args, fmt)
    headers, out, name = case_export(db.session, current_user, args)
    return _download(headers, out, fmt, name)


def cases_query(session, user, args: dict):
    query = visible_cases(session, user)
    for key, column in (("kind", Case.kind), ("state", Case.state)):
        if args.get(key):
            query = query.where(column == args[key])
    for word in fold(args.get("q", "")).split()[:8]:
        query = query.where(Case.search_text.contains(word, autoescape=True))
    unit_id = args.get("unit")
    unit = session.get(Unit, int(unit_id)) if str(unit_id or "").isdigit() else None
    if unit is not None:
        query = query.where(Case.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))
    return query


def case_export(session, user, args: dict, progress=None):
    """(headers, rows, file base name) of the case list export, as `user` may see it."""
    from caseflow.reports.export_job import every

    query = cases_query(session, user, args)
    cases = session.scalars(query.options(selectinload(Case.unit), selectinload(Case.assignee))
                            .order_by(Case.received_date.desc(), Case.id.desc()).limit(200_000)).all()
    registry = get_registry()
    headers = [_("Code"), _("Title"), _("Procedure"), _("State"), _("Unit"), _("Assignee"), _("Received"),
               _("Closed")]
    out = []
    for c in every(cases, len(cases), progress):
        definition = registry.get(c.workflow, c.workflow_version)
        out.append([c.code, c.title, label(definition.label), label(definition.states[c.state].label), c.unit.name,
                    c.assignee.full_name if c.assignee else "", c.received_date, c.closed_dt])
    return headers, out, "danh-sach-vu-viec"


def _period():
    today = local_today()
    try:
        start = parse_date(request.args.get("from", "")) or date(today.year, 1, 1)
        end = parse_date(request.args.get("to", "")) or today
    except ValueError:
        abort(400)
    return start, end


def _figure_rows(f):
    rows = [[_("Received"), month, n] for month, n in f.received_by_month.items()]
    rows += [[_("Closed"), month, n] for month, n in f.closed_by_month.items()]
    help_labels = {"advice_only": _("Advice only"), "represented": _("Represented before a forum"),
                   "none": _("No union representative")}
    rows += [[_("Help given"), help_labels.get(k, k), n] for k, n in f.help_given.items()]
    rows += [[_("Outcome"), choice_label("outcome", k) if k != "none" else _("No outcome recorded"), n]
             for k, n in f.outcomes.items()]
    rows.append([_("Money recovered (VND)"), "", f.money_recovered_vnd])
    states = _definition().states
    rows += [[_("Average days in stage"), label(states[s].label) if s in states else s, days]
             for s, (days, _n) in f.stage_days.items()]
    rows.append([_("On-time rate (%)"), "", _pct(f.on_time_pct) if f.on_time_pct is not None else ""])
    rows += [[_("Received by channel"), channel_labels()[k], n] for k, n in f.received_by_channel.items()]
    return rows


def channel_labels() -> dict:
    return {"portal": _("Online portal"), "desk": _("At the desk (in person, letter, referral)"),
            "phone": _("Hotline"), "imported": _("Imported from the earlier register")}


@bp.route("/legal-aid/centre")
@login_required
def centre():
    _require()
    start, end = _period()
    figures = centre_figures(db.session, start, end, kpi.scope_unit_ids(db.session, current_user))
    return render_template("reports/centre.html", f=figures, definition=_definition(), pct=_pct,
                           channel_labels=channel_labels())


@bp.route("/legal-aid/centre.<fmt>")
@login_required
def export_centre(fmt: str):
    _require()
    start, end = _period()
    figures = centre_figures(db.session, start, end, kpi.scope_unit_ids(db.session, current_user))
    return _download([_("Figure"), _("Item"), _("Value")], _figure_rows(figures), fmt,
                     f"so-lieu-trung-tam-{start:%Y%m%d}-{end:%Y%m%d}")


@bp.route("/targets", methods=["GET", "POST"])
@login_required
def targets():
    _require(TARGET_ROLES)
    errors = []
    if request.method == "POST":
        year, pct = request.form.get("year", type=int), request.form.get("target_pct", "").replace(",", ".")
        try:
            value = float(pct)
        except ValueError:
            value = -1
        if request.form.get("delete") and year:
            row = db.session.get(RepresentationTarget, year)
            if row is not None:
                db.session.delete(row)
                db.session.commit()
            return redirect(url_for("reports.targets"))
        if not year or not 2000 <= year <= 2100:
            errors.append(_("Give a year between 2000 and 2100."))
        if not 0 <= value <= 100:
            errors.append(_("Give a share between 0 and 100."))
        if not errors:
            row = db.session.get(RepresentationTarget, year) or RepresentationTarget(year=year)
            row.target_pct, row.basis, row.updated_dt = value, nfc(request.form.get("basis", "")), utcnow()
            db.session.add(row)
            db.session.commit()
            flash(_("Target saved."), "success")
            return redirect(url_for("reports.targets"))
    rows = db.session.scalars(select(RepresentationTarget).order_by(RepresentationTarget.year)).all()
    from caseflow.union.targets import admissions_against_targets

    return render_template("reports/targets.html", rows=rows, errors=errors,
                           member_targets=admissions_against_targets(db.session)), 422 if errors else 200


@bp.route("/conflict-links", methods=["GET", "POST"])
@login_required
def conflict_links():
    """Officers' declared links (relatives, former employers, shares), read by the intake conflict check."""
    _require(TARGET_ROLES)
    errors = []
    if request.method == "POST":
        if request.form.get("delete", type=int):
            link = db.session.get(ConflictLink, request.form.get("delete", type=int))
            if link is not None:
                db.session.delete(link)
                db.session.commit()
            return redirect(url_for("reports.conflict_links"))
        user = db.session.get(User, request.form.get("user_id", type=int) or 0)
        name = nfc(request.form.get("name", ""))
        if user is None:
            errors.append(_("Choose an officer."))
        if not name:
            errors.append(_("Give the organisation or person."))
        if not errors:
            db.session.add(ConflictLink(user_id=user.id, name=name[:255], name_key=" ".join(fold(name).split()),
                                        relation=nfc(request.form.get("relation", ""))[:255]))
            db.session.commit()
            return redirect(url_for("reports.conflict_links"))
    links = db.session.scalars(select(ConflictLink).options(selectinload(ConflictLink.user))
                               .order_by(ConflictLink.id)).all()
    users = db.session.scalars(select(User).where(User.active).order_by(User.full_name)).all()
    return render_template("reports/conflict_links.html", links=links, users=users,
                           errors=errors), 422 if errors else 200


# -- import of the centre's register ------------------------------------------------------------------

def _mapping_from_form(headers) -> dict[str, int]:
    mapping = {}
    for key in columns():
        value = request.form.get(f"map_{key}", "")
        if value.isdigit() and int(value) < len(headers):
            mapping[key] = int(value)
    return mapping


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload():
    _require(("leader", "legal_officer"))
    if request.method == "POST":
        upload = request.files.get("file")
        name = (upload.filename or "").lower() if upload else ""
        ext = name.rsplit(".", 1)[-1] if "." in name else ""
        if ext not in FORMATS:
            return render_template("reports/import_upload.html",
                                   errors=[_("Choose an .xlsx or .csv file.")]), 422
        if too_large(upload):
            return render_template("reports/import_upload.html", errors=[too_large_message()]), 413
        content = upload.read()
        try:
            table = read_table(name, content)
        except UnreadableFile:
            return render_template("reports/import_upload.html",
                                   errors=[_("The file cannot be read as a register.")]), 422
        token = import_files.keep(content, ext)
        return render_template("reports/import_map.html", token=token, table=table, columns=columns(),
                               mapping=guess_mapping(table.headers), filename=upload.filename, result=None)
    return render_template("reports/import_upload.html", errors=[])


@bp.route("/import/<token>", methods=["POST"])
@login_required
def import_check(token: str):
    """Dry run (nothing written) or, when asked and clean, the all-or-nothing commit; a large file's as a
    background job (its page shows the progress and the import report)."""
    _require(("leader", "legal_officer"))
    path, ext = import_files.stored(token)
    table = read_table(f"x.{ext}", path.read_bytes())
    mapping = _mapping_from_form(table.headers)
    if import_job.as_job(current_app, len(table.rows)):
        job = start_job(db.session, import_job.KIND, current_user, {
            "token": token, "mapping": mapping, "filename": request.form.get("filename", ""),
            "commit": bool(request.form.get("commit"))})
        return redirect(url_for("background.show_job", job_id=job.id), 303)
    importer = Importer(db.session, current_user, table, mapping, source=request.form.get("filename", token))
    if request.form.get("commit"):
        result = importer.commit()
        if result.ok:
            path.unlink(missing_ok=True)
            flash(_("%(n)d cases imported.", n=result.imported), "success")
            return redirect(url_for("cases.list_cases", kind="legal_aid"))
    else:
        result = importer.check()
    return render_template("reports/import_map.html", token=token, table=table, columns=columns(), mapping=mapping,
                           filename=request.form.get("filename", ""), result=result), 200 if result.ok else 422
