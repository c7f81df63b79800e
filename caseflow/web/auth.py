"""Log in and out; sessions carry a per-user epoch so that revocation takes effect at once."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from caseflow.core import adminlog, policy
from caseflow.core.i18n import _, _l
from caseflow.core.models import User
from caseflow.core.models.base import utcnow
from caseflow.extensions import db, limiter, login_manager
from caseflow.web import twofactor

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(token: str):
    user_id, _sep, epoch = token.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = policy.user_with_role_paths(db.session, int(user_id))  # user + role paths: one statement
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    from caseflow.web.errors import error_response, wants_json

    if wants_json():
        return error_response(401, _("Please log in."), "unauthorized")
    flash(_("Please log in."), "warning")
    return redirect(url_for("auth.login", next=request.full_path))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(message=_l("This field is required.")),
                                                       Length(max=80, message=_l("Too long."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("This field is required.")),
                                                         Length(max=200, message=_l("Too long."))])


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


def _login_limit(kind: str):
    """Wrong passwords allowed per window, from the config (LOGIN_LIMIT_ADDRESS, LOGIN_LIMIT_ACCOUNT)."""
    return lambda: current_app.config[f"LOGIN_LIMIT_{kind}"]


def _account_key() -> str:
    return "login-account:" + (request.form.get("username") or "").strip().lower()[:80]


def _wrong_password(response) -> bool:
    """Only a refused password or code counts towards the limits (a good login never does)."""
    return response.status_code == 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit("ADDRESS"), methods=["POST"], deduct_when=_wrong_password)
@limiter.limit(_login_limit("ACCOUNT"), key_func=_account_key, methods=["POST"], deduct_when=_wrong_password)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user is not None and user.active and user.locked_dt is not None:
            # locked after repeated failures: whatever the password, until an administrator unlocks it
            form.password.errors = [locked_message()]
            return render_template("auth/login.html", form=form), 403
        if user is None or not user.active or not user.check_password(form.password.data):
            form.password.errors = [_("Wrong username or password.")]
            if user is not None and user.active:
                if count_failure(user):
                    form.password.errors = [locked_message()]
                db.session.commit()
        else:
            target = _safe_next(request.args.get("next"))
            if twofactor.required(user):
                return twofactor.begin(user, target)
            complete_login(user, {})
            return redirect(target)
    status = 200 if request.method == "GET" or form.errors == {} else 422
    return render_template("auth/login.html", form=form), status


def locked_message() -> str:
    return _("This account is locked after too many failed log-in attempts. Ask an administrator to unlock it.")


def count_failure(user: User) -> bool:
    """One more wrong password or code; True when this one locked the account (audited)."""
    user.failed_logins = (user.failed_logins or 0) + 1
    adminlog.record(db.session, "login_failed", subject_user_id=user.id, payload={"failures": user.failed_logins})
    if user.failed_logins >= current_app.config["LOGIN_LOCKOUT_AFTER"] and user.locked_dt is None:
        user.locked_dt = utcnow()
        adminlog.record(db.session, "lockout", subject_user_id=user.id, payload={"failures": user.failed_logins})
        return True
    return False


def complete_login(user: User, payload: dict) -> None:
    """The session starts, audited. (Sessions are signed cookies holding only what this app put there, so
    there is no server-side session to fixate; the CSRF token of the login page stays valid.)"""
    from caseflow.web.twofactor import PENDING

    session.pop(PENDING, None)
    user.failed_logins = 0
    login_user(user)
    session.permanent = True  # PERMANENT_SESSION_LIFETIME applies
    adminlog.record(db.session, "login", actor_id=user.id, subject_user_id=user.id, payload=payload)
    db.session.commit()


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """Bump the session epoch: every cookie issued before stops working at once."""
    current_user.session_epoch += 1
    db.session.commit()
    logout_user()
    flash(_("You have been logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    if code in ("vi", "en"):
        session["lang"] = code
    return redirect(_safe_next(request.form.get("next")))

