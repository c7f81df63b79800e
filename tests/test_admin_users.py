"""User administration and session revocation: a disabled user, a reset password or logout-everywhere
ends existing sessions on their very next request."""
import re

import pytest

from caseflow.core.models import User
from caseflow.extensions import db
from tests.conftest import csrf_token, login


def _user(app, username):
    with app.app_context():
        user = db.session.query(User).filter_by(username=username).one()
        db.session.expunge(user)
        db.session.remove()
    return user


def _admin_token(client):
    return csrf_token(client, "/admin/users")


@pytest.mark.parametrize("username, status", [("admin", 200), ("lanhdao", 403), ("tuvan1", 403), ("vanthu", 403)])
def test_only_admins_reach_the_users_page(client, org, username, status):
    login(client, username)
    assert client.get("/admin/users").status_code == status
    assert ('href="/admin/users"' in client.get("/cases/").get_data(as_text=True)) == (status == 200)


def test_anonymous_is_sent_to_log_in(client, org):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_creates_a_user_who_can_then_log_in(app, client, org):
    login(client, "admin")
    response = client.post("/admin/users", data={
        "csrf_token": _admin_token(client), "username": "tuvan3", "full_name": "Đỗ Thị Ước",
        "password": "matkhau-2026", "role": "legal_officer", "unit_id": str(org["units"]["LĐLĐ-AN"])})
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Đỗ Thị Ước" in page and "Cán bộ pháp luật" in page
    other = app.test_client()
    login(other, "tuvan3", "matkhau-2026")
    assert other.get("/cases/").status_code == 200


def test_bad_new_user_keeps_input_and_explains(client, org):
    login(client, "admin")
    response = client.post("/admin/users", data={
        "csrf_token": _admin_token(client), "username": "tuvan1", "full_name": "Người Trùng Tên",
        "password": "short", "role": "legal_officer", "unit_id": str(org["units"]["province"])})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Người Trùng Tên" in page and "Mật khẩu gồm từ 8 đến 200 ký tự." in page
    response = client.post("/admin/users", data={
        "csrf_token": _admin_token(client), "username": "tuvan1", "full_name": "Người Trùng Tên",
        "password": "long-enough-1", "role": "legal_officer", "unit_id": str(org["units"]["province"])})
    assert response.status_code == 422 and "Tên đăng nhập này đã được sử dụng." in response.get_data(as_text=True)


def test_disabling_a_user_kills_their_session_at_once(app, client, org):
    victim = app.test_client()
    login(victim, "tuvan2")
    assert victim.get("/cases/").status_code == 200
    assert victim.get("/api/cases/1").status_code == 404  # logged in: a JSON 404, not a 401

    login(client, "admin")
    uid = org["users"]["tuvan2"]
    assert client.post(f"/admin/users/{uid}/disable", data={"csrf_token": _admin_token(client)}).status_code == 302
    assert _user(app, "tuvan2").active is False

    response = victim.get("/cases/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert victim.get("/api/cases/1").status_code == 401
    # and they cannot log in again
    token = csrf_token(victim, "/login")
    response = victim.post("/login", data={"username": "tuvan2", "password": "caseflow2026", "csrf_token": token})
    assert response.status_code == 422

    client.post(f"/admin/users/{uid}/enable", data={"csrf_token": _admin_token(client)})
    login(victim, "tuvan2")
    assert victim.get("/cases/").status_code == 200


def test_admin_cannot_disable_themself(app, client, org):
    login(client, "admin")
    uid = org["users"]["admin"]
    client.post(f"/admin/users/{uid}/disable", data={"csrf_token": _admin_token(client)})
    assert _user(app, "admin").active is True
    assert client.get("/admin/users").status_code == 200


def test_disable_without_csrf_token_is_refused(app, client, org):
    login(client, "admin")
    response = client.post(f"/admin/users/{org['users']['tuvan2']}/disable", data={})
    assert response.status_code == 400
    assert _user(app, "tuvan2").active is True


def test_password_reset_ends_sessions_and_the_new_password_works(app, client, org):
    victim = app.test_client()
    login(victim, "tuvan2")
    login(client, "admin")
    uid = org["users"]["tuvan2"]
    client.post(f"/admin/users/{uid}/password", data={"csrf_token": _admin_token(client), "password": "moi-2026-xyz"})
    assert victim.get("/cases/").status_code == 302
    fresh = app.test_client()
    login(fresh, "tuvan2", "moi-2026-xyz")
    assert fresh.get("/cases/").status_code == 200


def test_logout_everywhere_kills_the_other_sessions_at_once(app, org):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "tuvan1")
    login(phone, "tuvan1")
    assert phone.get("/cases/").status_code == 200
    response = laptop.post("/logout-everywhere", data={"csrf_token": csrf_token(laptop, "/cases/")})
    assert response.status_code == 302
    response = phone.get("/cases/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert laptop.get("/cases/").status_code == 302
    login(phone, "tuvan1")
    assert phone.get("/cases/").status_code == 200


def test_logout_everywhere_is_offered_in_the_page(client, org):
    login(client, "tuvan1")
    assert re.search(r'action="/logout-everywhere"', client.get("/cases/").get_data(as_text=True))


def _user_page_token(client, user_id):
    return csrf_token(client, f"/admin/users/{user_id}")


def test_admin_grants_and_withdraws_a_role_and_it_applies_on_the_next_page(app, org):
    admin, clerk = app.test_client(), app.test_client()
    login(admin, "admin")
    login(clerk, "vanthu")
    vanthu = org["users"]["vanthu"]
    assert clerk.get("/reports/legal-aid").status_code == 403
    response = admin.post(f"/admin/users/{vanthu}/roles", data={
        "csrf_token": _user_page_token(admin, vanthu), "role": "leader", "unit_id": str(org["units"]["province"])})
    assert response.status_code == 302
    assert clerk.get("/reports/legal-aid").status_code == 200  # same session, new role
    page = admin.get(f"/admin/users/{vanthu}").get_data(as_text=True)
    assistant = re.search(r'id="role-(\d+)">\s*<td>Lãnh đạo', page)
    assert assistant, page
    again = admin.post(f"/admin/users/{vanthu}/roles", data={
        "csrf_token": _user_page_token(admin, vanthu), "role": "leader", "unit_id": str(org["units"]["province"])})
    assert again.status_code == 422 and "đã có vai trò này" in again.get_data(as_text=True)
    withdrawn = admin.post(f"/admin/users/{vanthu}/roles/{assistant.group(1)}/withdraw",
                           data={"csrf_token": _user_page_token(admin, vanthu)})
    assert withdrawn.status_code == 302
    assert clerk.get("/reports/legal-aid").status_code == 403


def test_the_last_administrator_role_cannot_be_withdrawn(app, client, org):
    login(client, "admin")
    admin_id = org["users"]["admin"]
    page = client.get(f"/admin/users/{admin_id}").get_data(as_text=True)
    assignment = re.search(r'id="role-(\d+)"', page).group(1)
    response = client.post(f"/admin/users/{admin_id}/roles/{assignment}/withdraw",
                           data={"csrf_token": _user_page_token(client, admin_id)})
    assert response.status_code == 303
    with app.app_context():
        assert [r.role for r in db.session.get(User, admin_id).roles] == ["admin"]
        db.session.remove()


def test_role_changes_are_for_admins_only_and_checked(app, client, org):
    vanthu = org["users"]["vanthu"]
    leader = app.test_client()
    login(leader, "lanhdao")
    assert leader.get(f"/admin/users/{vanthu}").status_code == 403
    login(client, "admin")
    bad = client.post(f"/admin/users/{vanthu}/roles", data={
        "csrf_token": _user_page_token(client, vanthu), "role": "emperor", "unit_id": "999999"})
    assert bad.status_code == 422
    assert client.get("/admin/users/999999").status_code == 404
    assert client.post(f"/admin/users/{vanthu}/roles/1/withdraw", data={}).status_code == 400
