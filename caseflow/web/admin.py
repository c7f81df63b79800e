"""User administration for admins: list, create, disable/enable, reset a password, grant and withdraw roles.

Disabling a user or resetting their password bumps their session epoch, so every session they hold
dies on its next request (DESIGN.md: sessions can be revoked)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from caseflow.core import adminlog
from caseflow.core.i18n import _, _l
from caseflow.core.models import ROLES, RoleAssignment, Unit, User
from caseflow.core.policy import managed_units, managed_users, manages
from caseflow.core.signals import ADMINISTRATION, MenuItem
from caseflow.core.text import nfc, vi_sort_key
from caseflow.extensions import db
from caseflow.web.access import holds_any_role, role_required
from caseflow.web.forms import choices
from caseflow.web.labels import role_label

bp = Blueprint("admin", __name__, url_prefix="/admin")
#: this page group\'s navigation entries (connected by the feature\'s setup)
MENU: list[MenuItem] = []


def is_admin(user) -> bool:
    return holds_any_role(user, ("admin",))


MENU.append(MenuItem("admin.list_users", lambda: _("Users"), is_admin, group=ADMINISTRATION))


admin_required = role_required("admin")


def _required():
    return InputRequired(message=_l("This field is required."))


class NewUserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[_required(), Length(max=80, message=_l("Too long.")),
                                                       Regexp(r"^[a-z0-9._-]+$", message=_l(
                                                           "Use lower-case letters without diacritics, digits, "
                                                           "dot, dash or underscore."))])
    full_name = StringField(_l("Full name"), validators=[_required(), Length(max=200, message=_l("Too long."))])
    password = PasswordField(_l("Password"), validators=[_required(), Length(min=8, max=200, message=_l(
        "A password has 8 to 200 characters."))])
    role = SelectField(_l("Role"), validators=[_required()])
    unit_id = SelectField(_l("Unit"), validators=[_required()])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[_required(), Length(min=8, max=200, message=_l(
        "A password has 8 to 200 characters."))])


class ActionForm(FlaskForm):
    """CSRF token only: disable, enable, withdraw a role."""


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[_required()])
    unit_id = SelectField(_l("Unit"), validators=[_required()])


def _offer_roles(form):
    """The role and unit choices of a form creating a user or granting a role: only the admin's own units (the
    form refuses any other as not a valid choice)."""
    form.role.choices = choices((r, role_label(r)) for r in ROLES)
    form.unit_id.choices = choices((u.id, u.name) for u in managed_units(db.session, current_user))
    return form


def _new_user_form(formdata=None) -> NewUserForm:
    return _offer_roles(NewUserForm() if formdata is None else NewUserForm(formdata=formdata))


def _render(form: NewUserForm, status: int = 200):
    users = sorted(db.session.scalars(managed_users(db.session, current_user).options(
        selectinload(User.roles).selectinload(RoleAssignment.unit))).all(), key=lambda u: vi_sort_key(u.full_name))
    return render_template("admin/users.html", users=users, form=form, action_form=ActionForm(),
                           password_form=PasswordForm(), role_label=role_label), status


@bp.route("/users")
@admin_required
def list_users():
    return _render(_new_user_form())


@bp.route("/users", methods=["POST"])
@admin_required
def create_user():
    form = _new_user_form()
    if form.validate_on_submit():
        username = form.username.data.strip()
        unit = db.session.get(Unit, int(form.unit_id.data))
        if db.session.scalar(select(User.id).where(User.username == username)) is not None:
            form.username.errors = [_("This username is taken.")]
        else:
            user = User(username=username, full_name=nfc(form.full_name.data), password_hash="")
            user.set_password(form.password.data)
            user.roles.append(RoleAssignment(role=form.role.data, unit=unit))
            db.session.add(user)
            db.session.flush()
            adminlog.record(db.session, "user_created", actor_id=current_user.id, subject_user_id=user.id,
                            payload={"role": form.role.data, "unit": unit.code})
            db.session.commit()
            flash(_("User %(username)s created.", username=username), "success")
            return redirect(url_for("admin.list_users"))
    return _render(form, 422)


def _load_user(user_id: int) -> User:
    """A user this admin manages; any other is a 404, as a case outside the need to know."""
    user = db.session.get(User, user_id)
    if user is None or not manages(db.session, current_user, user):
        abort(404)
    return user


@bp.route("/users/<int:user_id>/disable", methods=["POST"], defaults={"active": False})
@bp.route("/users/<int:user_id>/enable", methods=["POST"], defaults={"active": True}, endpoint="enable_user")
@admin_required
def disable_user(user_id: int, active: bool):
    if not ActionForm().validate_on_submit():
        abort(400)
    user = _load_user(user_id)
    if active:
        user.active = True
        message = _("User %(username)s enabled.", username=user.username)
    elif user.id == current_user.id:
        flash(_("You cannot disable your own account."), "danger")
        return redirect(url_for("admin.list_users"))
    else:
        user.active = False
        user.session_epoch += 1  # every session of theirs dies on its next request
        message = _("User %(username)s disabled; their sessions have ended.", username=user.username)
    adminlog.record(db.session, "user_enabled" if active else "user_disabled", actor_id=current_user.id,
                    subject_user_id=user.id)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.list_users"))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def reset_password(user_id: int):
    user = _load_user(user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.password.errors) or _("The request is not valid."), "danger")
        return redirect(url_for("admin.list_users")), 303
    user.set_password(form.password.data)
    user.session_epoch += 1  # a reset password ends the sessions opened with the old one
    adminlog.record(db.session, "password_reset", actor_id=current_user.id, subject_user_id=user.id)
    db.session.commit()
    flash(_("Password of %(username)s reset; their sessions have ended.", username=user.username), "success")
    return redirect(url_for("admin.list_users"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@admin_required
def unlock_user(user_id: int):
    """An account locked after repeated failed log-ins opens again only by an administrator (audited)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    user = _load_user(user_id)
    if user.locked_dt is not None:
        user.locked_dt, user.failed_logins = None, 0
        adminlog.record(db.session, "unlock", actor_id=current_user.id, subject_user_id=user.id)
        db.session.commit()
        flash(_("User %(username)s unlocked.", username=user.username), "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


def _role_form(formdata=None) -> RoleForm:
    return _offer_roles(RoleForm() if formdata is None else RoleForm(formdata=formdata))


def _render_user(user: User, form: RoleForm | None = None, status: int = 200):
    assignments = sorted(user.roles, key=lambda r: (r.unit.path, ROLES.index(r.role)))
    return render_template("admin/user.html", user=user, assignments=assignments, form=form or _role_form(),
                           action_form=ActionForm(), role_label=role_label), status


@bp.route("/users/<int:user_id>")
@admin_required
def show_user(user_id: int):
    return _render_user(_load_user(user_id))


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@admin_required
def grant_role(user_id: int):
    user = _load_user(user_id)
    form = _role_form()
    if not form.validate_on_submit():
        return _render_user(user, form, 422)
    unit = db.session.get(Unit, int(form.unit_id.data))
    if any(r.role == form.role.data and r.unit_id == unit.id for r in user.roles):
        form.role.errors = [_("%(username)s already holds this role in this unit.", username=user.username)]
        return _render_user(user, form, 422)
    user.roles.append(RoleAssignment(role=form.role.data, unit=unit))
    adminlog.record(db.session, "role_grant", actor_id=current_user.id, subject_user_id=user.id,
                    payload={"role": form.role.data, "unit": unit.code})
    db.session.commit()
    flash(_("%(username)s is now %(role)s of %(unit)s.", username=user.username, role=role_label(form.role.data),
            unit=unit.name), "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


def _other_active_admins(assignment: RoleAssignment) -> int:
    return db.session.scalar(select(func.count(RoleAssignment.id)).join(User).where(
        RoleAssignment.role == "admin", RoleAssignment.id != assignment.id, User.active.is_(True))) or 0


@bp.route("/users/<int:user_id>/roles/<int:assignment_id>/withdraw", methods=["POST"])
@admin_required
def withdraw_role(user_id: int, assignment_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    user = _load_user(user_id)
    assignment = next((r for r in user.roles if r.id == assignment_id), None)
    if assignment is None:
        abort(404)
    if assignment.role == "admin" and not _other_active_admins(assignment):
        flash(_("This is the last administrator's role: grant it to someone else first."), "danger")
        return redirect(url_for("admin.show_user", user_id=user.id)), 303
    role, unit = role_label(assignment.role), assignment.unit.name
    adminlog.record(db.session, "role_withdraw", actor_id=current_user.id, subject_user_id=user.id,
                    payload={"role": assignment.role, "unit": assignment.unit.code})
    user.roles.remove(assignment)
    db.session.commit()
    flash(_("%(username)s is no longer %(role)s of %(unit)s.", username=user.username, role=role, unit=unit),
          "success")
    return redirect(url_for("admin.show_user", user_id=user.id))
