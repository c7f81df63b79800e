"""Log in and out; sessions carry a per-user epoch so that revocation takes effect at once."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from caseflow.core.i18n import _, _l
from caseflow.core.models import User
from caseflow.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(token: str):
    user_id, _sep, epoch = token.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(user_id))
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


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user is None or not user.active or not user.check_password(form.password.data):
            form.password.errors = [_("Wrong username or password.")]
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    status = 200 if request.method == "GET" or form.errors == {} else 422
    return render_template("auth/login.html", form=form), status


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

