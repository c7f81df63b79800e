"""Log-in protection (issue 17, defect 3): an account locks after repeated wrong passwords (30 wrong then the
right one: still locked, with a message) until an admin unlocks it; throttling per address and per account;
TOTP required for inspectors, leaders and admins, with enrolment and recovery codes; every login, lockout and
unlock in the admin audit log, whose HMAC chain `audit verify` recomputes."""
from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select, text

from caseflow.core.models import AdminEvent, User
from caseflow.extensions import db
from tests.conftest import csrf_token, login


@pytest.fixture
def app_config():
    # the throttles out of the way of the lockout count (each has its own test below)
    return {"LOGIN_LIMIT_ADDRESS": "1000 per minute", "LOGIN_LIMIT_ACCOUNT": "1000 per minute"}


def _post_login(client, username, password):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


def _actions(app, username=None):
    with app.app_context():
        query = select(AdminEvent.action).order_by(AdminEvent.seq)
        if username:
            query = query.join(User, User.id == AdminEvent.subject_user_id).where(User.username == username)
        actions = db.session.scalars(query).all()
        db.session.remove()
    return actions


def test_thirty_wrong_passwords_then_the_right_one_is_still_locked_until_an_admin_unlocks(app, client, org, runner):
    statuses = [_post_login(client, "tuvan1", "sai-mat-khau").status_code for _ in range(30)]
    assert statuses[:9] == [422] * 9 and set(statuses[9:]) <= {422, 403}
    response = _post_login(client, "tuvan1", "caseflow2026")
    assert response.status_code == 403
    assert "Tài khoản đã bị khoá do đăng nhập sai quá nhiều lần" in response.get_data(as_text=True)
    actions = _actions(app, "tuvan1")
    assert actions.count("login_failed") == 10 and actions.count("lockout") == 1 and "login" not in actions
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get(f"/admin/users/{org['users']['tuvan1']}").get_data(as_text=True)
    assert 'id="locked"' in page
    token = csrf_token(admin, f"/admin/users/{org['users']['tuvan1']}")
    assert admin.post(f"/admin/users/{org['users']['tuvan1']}/unlock", data={"csrf_token": token}).status_code == 302
    assert _post_login(client, "tuvan1", "caseflow2026").status_code == 302
    assert _actions(app, "tuvan1")[-2:] == ["unlock", "login"]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "admin log of" in result.output


def test_totp_is_required_for_an_inspector_and_a_wrong_code_refused(app, client, org):
    response = _post_login(client, "kiemtra", "caseflow2026")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/two-factor")
    assert client.get("/cases/").status_code == 302  # not logged in before the code
    page = client.get("/login/two-factor").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login/two-factor", data={"code": "000000", "csrf_token": token}).status_code == 422
    with app.app_context():
        secret = db.session.scalar(select(User.totp_secret).where(User.username == "kiemtra"))
    response = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert response.status_code == 302 and client.get("/cases/").status_code == 200


def test_a_legal_officer_logs_in_with_the_password_alone(client, org):
    assert _post_login(client, "tuvan1", "caseflow2026").headers["Location"].endswith("/")


def test_enrolment_then_a_recovery_code_logs_in_once(app, client, org):
    with app.app_context():
        db.session.execute(text("UPDATE users SET totp_secret = NULL WHERE username = 'lanhdao'"))
        db.session.commit()
    response = _post_login(client, "lanhdao", "caseflow2026")
    assert response.headers["Location"].endswith("/login/two-factor/enrol")
    page = client.get("/login/two-factor/enrol").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    done = client.post("/login/two-factor/enrol", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10
    other = app.test_client()
    for attempt, expected in ((codes[0], 302), (codes[0], 422)):  # a recovery code works once
        assert _post_login(other, "lanhdao", "caseflow2026").status_code == 302
        page = other.get("/login/two-factor").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert other.post("/login/two-factor", data={"code": attempt, "csrf_token": token}).status_code == expected
        if expected == 302:
            other.post("/logout", data={"csrf_token": csrf_token(other, "/cases/")})
    assert {"totp_enrolled", "recovery_code_used"} <= set(_actions(app, "lanhdao"))


@pytest.mark.parametrize("limit_key", ["LOGIN_LIMIT_ADDRESS", "LOGIN_LIMIT_ACCOUNT"])
def test_repeated_wrong_passwords_are_throttled_with_a_message(app, client, org, limit_key):
    app.config[limit_key] = "3 per minute"
    users = ["tuvan1", "tuvan2", "vanthu", "quynhon"] if limit_key == "LOGIN_LIMIT_ADDRESS" else ["tuvan1"] * 4
    statuses = [_post_login(client, name, "sai").status_code for name in users]
    assert statuses == [422, 422, 422, 429]
    response = _post_login(client, users[0], "sai")
    assert response.status_code == 429 and "Có quá nhiều lần gửi" in response.get_data(as_text=True)


def test_admin_actions_are_in_the_chained_admin_log_and_a_tamper_is_caught(app, client, org, runner, backend):
    login(client, "admin")
    user_id = org["users"]["tuvan2"]
    token = csrf_token(client, f"/admin/users/{user_id}")
    response = client.post(f"/admin/users/{user_id}/roles", data={"csrf_token": token, "role": "clerk",
                                                                 "unit_id": str(org["units"]["province"])})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert _actions(app, "tuvan2") == ["role_grant"]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        if backend == "postgresql":
            db.session.execute(text("ALTER TABLE admin_events DISABLE TRIGGER admin_events_append_only"))
        else:
            db.session.execute(text("DROP TRIGGER admin_events_no_update"))
        db.session.execute(text("UPDATE admin_events SET payload = '{\"role\": \"admin\"}' WHERE action = 'role_grant'"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "admin log #" in result.output and "HMAC mismatch" in result.output


def _second_factor(client, code: str):
    page = client.get("/login/two-factor").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/login/two-factor", data={"code": code, "csrf_token": token})


def test_a_totp_code_is_accepted_once_within_its_window(app, client, org, runner):
    """RFC 6238, 5.2: a code seen over someone's shoulder, or replayed from a captured request, does not log
    in again while it is still valid; nor does an older one once a newer one was used."""
    with app.app_context():
        secret = db.session.scalar(select(User.totp_secret).where(User.username == "kiemtra"))
    totp = pyotp.TOTP(secret)
    from datetime import UTC, datetime

    now = totp.timecode(datetime.now(UTC))
    used, older = totp.generate_otp(now), totp.generate_otp(now - 1)
    assert _post_login(client, "kiemtra", "caseflow2026").status_code == 302
    assert _second_factor(client, used).status_code == 302 and client.get("/cases/").status_code == 200
    other = app.test_client()
    assert _post_login(other, "kiemtra", "caseflow2026").status_code == 302
    refused = _second_factor(other, used)
    assert refused.status_code == 422 and other.get("/cases/").status_code == 302
    assert _second_factor(other, older).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User.totp_last_step).where(User.username == "kiemtra")) == now
    fresh = runner.invoke(args=["totp-code", "kiemtra"]).output.strip()  # the console gives an unused one
    assert fresh not in (used, older)
    assert _second_factor(other, fresh).status_code == 302 and other.get("/cases/").status_code == 200
