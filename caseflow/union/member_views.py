"""The member register on the web: the list (search by name without diacritics or by citizen ID), a member's
page with its history, and the import of the union's membership list (upload, dry run, commit)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caseflow.core.i18n import _
from caseflow.core.models import Case, Unit, User
from caseflow.core.policy import can_see, has_role
from caseflow.core.signals import MenuItem
from caseflow.extensions import db
from caseflow.reports.imports.reader import UnreadableFile, read_table
from caseflow.union import members
from caseflow.union.member_import import COLUMNS, IMPORT_ROLES, MemberImporter
from caseflow.union.member_job import MEMBER_FILES
from caseflow.union.models import MEMBER_STATUSES, Member, MemberAdmissionDetail, MemberEvent
from caseflow.union.views import UNION
from caseflow.web import import_files
from caseflow.web.uploads import too_large, too_large_message

bp = Blueprint("members", __name__, url_prefix="/procedures/members")
#: this page group's navigation entries (connected by the feature's setup)
MENU: list[MenuItem] = []
MENU.append(MenuItem("members.list_members", lambda: _("Member register"),
                     lambda user: members.can_read_members(db.session, user), group=UNION))
PER_PAGE = 50
FORMATS = ("xlsx", "csv")


@bp.app_template_global()
def case_admission(case) -> MemberAdmissionDetail | None:
    """The applicant and decision of an admission case, for its case page."""
    return db.session.get(MemberAdmissionDetail, case.id)


def _require_reader() -> None:
    if not members.can_read_members(db.session, current_user):
        abort(403)


def _can_import() -> bool:
    return any(has_role(db.session, current_user, r) for r in IMPORT_ROLES)


@bp.route("/")
@login_required
def list_members():
    _require_reader()
    query = members.visible_members(db.session, current_user)
    q = request.args.get("q", "").strip()
    if q:
        query = members.search(query, q)
    status = request.args.get("status", "")
    if status in MEMBER_STATUSES:
        query = query.where(Member.status == status)
    unit = db.session.get(Unit, request.args.get("unit", type=int) or 0)
    if unit is not None:
        query = query.where(Member.grassroots_unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))
    page = db.paginate(query.options(selectinload(Member.grassroots_unit)).order_by(Member.name_key, Member.id),
                       page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False, count=True)
    units = db.session.scalars(members.visible_grassroots(db.session, current_user)).all()
    return render_template("union/members.html", page=page, q=q, status=status, unit=unit, units=units,
                           statuses=members.statuses(), can_import=_can_import(),
                           total=db.session.scalar(select(func.count()).select_from(
                               members.visible_members(db.session, current_user).subquery())))


@bp.route("/<int:member_id>")
@login_required
def show_member(member_id: int):
    _require_reader()
    member = db.session.scalar(members.visible_members(db.session, current_user)
                               .where(Member.id == member_id))
    if member is None:
        abort(404)  # outside the user's unions: as if it did not exist
    events = db.session.execute(select(MemberEvent, User.full_name).join(User, User.id == MemberEvent.actor_id)
                                .where(MemberEvent.member_id == member.id).order_by(MemberEvent.id)).all()
    case = db.session.get(Case, member.admission_case_id) if member.admission_case_id else None
    if case is not None and not can_see(db.session, current_user, case):
        case = None
    return render_template("union/member.html", member=member, events=events, case=case,
                           status_label=members.status_label)


# -- import of the union's membership list --------------------------------------------------------------


def _render_check(token: str, table, importer: MemberImporter, filename: str, result):
    return render_template("union/members_import.html", token=token, table=table, columns=COLUMNS,
                           mapping=importer.mapping, filename=filename, result=result, errors=[]), \
        200 if result.ok else 422


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload():
    """Upload: the columns are recognised from their headers, and the dry run follows at once."""
    if not _can_import():
        abort(403)
    if request.method == "GET":
        return render_template("union/members_import.html", result=None, errors=[], columns=COLUMNS)
    upload = request.files.get("file")
    name = (upload.filename or "").lower() if upload else ""
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in FORMATS:
        return render_template("union/members_import.html", result=None, columns=COLUMNS,
                               errors=[_("Choose an .xlsx or .csv file.")]), 422
    if too_large(upload):  # refused at the field, before anything is read or kept (as the register import)
        return render_template("union/members_import.html", result=None, columns=COLUMNS, errors=[],
                               file_errors=[too_large_message()]), 413
    content = upload.read()
    try:
        table = read_table(name, content)
    except UnreadableFile:
        return render_template("union/members_import.html", result=None, columns=COLUMNS,
                               errors=[_("The file cannot be read as a membership list.")]), 422
    token = import_files.keep(content, ext, prefix=MEMBER_FILES)
    if _as_job(table):
        return _start(token, upload.filename, commit=False)
    importer = MemberImporter(db.session, current_user, table, source=upload.filename)
    return _render_check(token, table, importer, upload.filename, importer.check())


@bp.route("/import/<token>", methods=["POST"])
@login_required
def import_commit(token: str):
    """The all-or-nothing commit of a list already dry-run (checked again before writing)."""
    if not _can_import():
        abort(403)
    path, ext = import_files.stored(token, prefix=MEMBER_FILES)
    table = read_table(f"x.{ext}", path.read_bytes())
    filename = request.form.get("filename", "")[:200] or token
    if _as_job(table):
        return _start(token, filename, commit=True)
    importer = MemberImporter(db.session, current_user, table, source=filename)
    result = importer.commit()
    if not result.ok:
        return _render_check(token, table, importer, filename, result)
    path.unlink(missing_ok=True)
    flash(_("%(n)d members imported.", n=result.imported), "success")
    return redirect(url_for("members.list_members"))


def _as_job(table) -> bool:
    from flask import current_app

    from caseflow.reports.import_job import as_job

    return as_job(current_app, len(table.rows))


def _start(token: str, filename: str, commit: bool):
    """A large list: its dry run or commit as a background job (its page shows the progress and the report)."""
    from caseflow.jobs import start_job
    from caseflow.union.member_job import KIND

    job = start_job(db.session, KIND, current_user, {"token": token, "filename": filename, "commit": commit})
    return redirect(url_for("background.show_job", job_id=job.id), 303)
