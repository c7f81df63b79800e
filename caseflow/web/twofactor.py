"""TOTP second factor (RFC 6238, pyotp) for the roles that can see a denouncer's identity or administer:
after the password, a code from the user's authenticator app or one of their one-time recovery codes.
A user without a secret enrols on first login (the secret shown as text and as an otpauth:// link), then
receives 10 recovery codes, shown once and stored hashed."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime

import pyotp
from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from caseflow.core import adminlog
from caseflow.core.i18n import _, _l
from caseflow.core.models import User
from caseflow.extensions import db, limiter

bp = Blueprint("twofactor", __name__, url_prefix="/login/two-factor")

PENDING = "twofactor_pending"
RECOVERY_CODES = 10
#: time steps either side of now whose code is accepted (a phone's clock a little off)
WINDOW = 1


def required(user: User) -> bool:
    """Inspectors, leaders (who grant access to identities: the UBKT's leaders) and admins (TOTP_ROLES)."""
    return bool(set(current_app.config["TOTP_ROLES"]) & {r.role for r in user.roles})


def begin(user: User, target: str):
    """The password was right: the login waits for the second factor (the user is not logged in yet)."""
    session[PENDING] = {"user_id": user.id, "epoch": user.session_epoch, "next": target}
    return redirect(url_for("twofactor.verify" if user.totp_secret else "twofactor.enrol"))


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    user = db.session.get(User, pending.get("user_id") or 0)
    if user is None or not user.active or user.locked_dt is not None or user.session_epoch != pending.get("epoch"):
        return None
    return user


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _i in range(RECOVERY_CODES)]
    user.recovery_codes = [_hash(c) for c in codes]
    return codes


def matching_step(secret: str, code: str, after: int | None = None) -> int | None:
    """The time step within the window whose code is `code`, if it comes after `after` (the step last
    accepted): a code already used, or one older than it, is refused (RFC 6238, 5.2; issue 11)."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in range(now - WINDOW, now + WINDOW + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def unused_step(secret: str, after: int | None = None) -> int:
    """The earliest step in the window after `after`, waiting for the next step when the window is used up."""
    totp = pyotp.TOTP(secret)
    while True:
        now = totp.timecode(datetime.now(UTC))
        step = now - WINDOW if after is None else max(now - WINDOW, after + 1)
        if step <= now + WINDOW:
            return step
        time.sleep(0.2)


def unused_code(secret: str, after: int | None = None) -> str:
    """The code a person would type next (one not used yet): for `caseflow totp-code`, the tests, the benches."""
    return pyotp.TOTP(secret).generate_otp(unused_step(secret, after))


def check_code(user: User, code: str) -> str | None:
    """"totp" or "recovery_code" when `code` is right (a recovery code is used up; a TOTP code's step is
    remembered so that it cannot be used again), else None."""
    code = (code or "").strip().replace(" ", "")
    if user.totp_secret and code.isdigit():
        step = matching_step(user.totp_secret, code, user.totp_last_step)
        if step is not None:
            user.totp_last_step = step
            return "totp"
    digest = _hash(code)
    for stored in list(user.recovery_codes or []):
        if hmac.compare_digest(stored, digest):
            user.recovery_codes = [c for c in user.recovery_codes if c != stored]
            return "recovery_code"
    return None


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(message=_l("This field is required.")),
                                               Length(max=20, message=_l("Too long."))])


def _pending_key() -> str:
    return f"twofactor:{(session.get(PENDING) or {}).get('user_id')}"


def _limit():
    return current_app.config["LOGIN_LIMIT_ACCOUNT"]


def _wrong(response) -> bool:
    return response.status_code == 422


def _finish(user: User, how: str):
    from caseflow.web.auth import complete_login

    target = (session.get(PENDING) or {}).get("next") or url_for("home.index")
    complete_login(user, {"second_factor": how})
    if how == "recovery_code":
        adminlog.record(db.session, "recovery_code_used", actor_id=user.id, subject_user_id=user.id,
                        payload={"left": len(user.recovery_codes or [])})
        db.session.commit()
    return target


def _refuse(user: User, form: CodeForm):
    from caseflow.web.auth import count_failure, locked_message

    form.code.errors = [_("Wrong code.")]
    if count_failure(user):
        form.code.errors = [locked_message()]
        session.pop(PENDING, None)
    db.session.commit()


@bp.route("", methods=["GET", "POST"])
@limiter.limit(_limit, key_func=_pending_key, methods=["POST"], deduct_when=_wrong)
def verify():
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if not user.totp_secret:
        return redirect(url_for("twofactor.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        how = check_code(user, form.code.data)
        if how:
            return redirect(_finish(user, how))
        _refuse(user, form)
    status = 422 if form.errors else 200
    return render_template("auth/twofactor.html", form=form), status


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(_limit, key_func=_pending_key, methods=["POST"], deduct_when=_wrong)
def enrol():
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.totp_secret:
        return redirect(url_for("twofactor.verify"))
    pending = session[PENDING]
    if not pending.get("secret"):
        pending["secret"] = pyotp.random_base32()
        session[PENDING] = pending
    secret = pending["secret"]
    form = CodeForm()
    if form.validate_on_submit():
        step = matching_step(secret, form.code.data.strip().replace(" ", ""))
        if step is not None:
            user.totp_secret, user.totp_last_step = secret, step
            codes = new_recovery_codes(user)
            adminlog.record(db.session, "totp_enrolled", actor_id=user.id, subject_user_id=user.id)
            target = _finish(user, "totp_enrolment")
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
        _refuse(user, form)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="caseflow")
    status = 422 if form.errors else 200
    return render_template("auth/twofactor_enrol.html", form=form, secret=secret, uri=uri), status
