"""Admin scope (issue 17): a unit's admin manages only the users whose roles all lie within that unit's subtree
(list, view, edit, grant); anyone else's page is a 404, a unit outside his subtree is not a valid choice."""
import pytest

from caseflow.core.models import RoleAssignment, Unit, User
from caseflow.extensions import db
from tests.conftest import csrf_token, login


@pytest.fixture
def district_admin(app, org):
    """`qn-admin`, admin of Quy Nhơn's federation (LĐLĐ-QN), beside the demo's province admin."""
    with app.app_context():
        user = User(username="qn-admin", full_name="Phan Thị Quản", password_hash="")
        user.set_password("caseflow2026")
        user.roles.append(RoleAssignment(role="admin", unit=db.session.get(Unit, org["units"]["LĐLĐ-QN"])))
        db.session.add(user)
        db.session.commit()
        uid = user.id
        db.session.remove()
    return uid


def test_a_district_admin_cannot_open_the_province_admins_page(client, org, district_admin):
    login(client, "qn-admin")
    for username in ("admin", "lanhdao", "tuvan1", "kiemtra"):  # roles on the province: outside Quy Nhơn
        user_id = org["users"][username]
        assert client.get(f"/admin/users/{user_id}").status_code == 404, username
        token = csrf_token(client, "/admin/users")
        assert client.post(f"/admin/users/{user_id}/password",
                           data={"csrf_token": token, "password": "bi-chiem-2026"}).status_code == 404
        assert client.post(f"/admin/users/{user_id}/disable", data={"csrf_token": token}).status_code == 404
        assert client.post(f"/admin/users/{user_id}/roles", data={
            "csrf_token": token, "role": "clerk", "unit_id": str(org["units"]["LĐLĐ-QN"])}).status_code == 404
    assert client.get(f"/admin/users/{org['users']['quynhon']}").status_code == 200  # Quy Nhơn's legal officer
    body = client.get("/admin/users").get_data(as_text=True)
    listed = {name for name, uid in org["users"].items() if f'/admin/users/{uid}"' in body}
    assert listed == {"quynhon"}


def test_a_district_admin_grants_roles_only_within_his_units(app, client, org, district_admin):
    login(client, "qn-admin")
    page = f"/admin/users/{org['users']['quynhon']}"
    refused = client.post(f"{page}/roles", data={"csrf_token": csrf_token(client, page), "role": "leader",
                                                  "unit_id": str(org["units"]["province"])})
    assert refused.status_code == 422
    created = client.post("/admin/users", data={
        "csrf_token": csrf_token(client, "/admin/users"), "username": "tinh", "full_name": "Lê Văn Tỉnh",
        "password": "matkhau-2026", "role": "leader", "unit_id": str(org["units"]["province"])})
    assert created.status_code == 422
    granted = client.post(f"{page}/roles", data={"csrf_token": csrf_token(client, page), "role": "clerk",
                                                  "unit_id": str(org["units"]["CĐCS-MMQN"])})
    assert granted.status_code == 302
    with app.app_context():
        roles = {(r.role, r.unit.code) for r in db.session.get(User, org["users"]["quynhon"]).roles}
        assert roles == {("legal_officer", "LĐLĐ-QN"), ("clerk", "CĐCS-MMQN")}


def test_the_province_admin_manages_the_district_admin(client, org, district_admin):
    login(client, "admin")
    assert client.get(f"/admin/users/{district_admin}").status_code == 200
    assert client.get(f"/admin/users/{org['users']['lanhdao']}").status_code == 200
