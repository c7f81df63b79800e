"""The JSON API: a case as JSON (personal data masked as on the page), firing with typed 4xx refusals."""
from datetime import date

import pytest

from caseflow.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import open_legal_aid


@pytest.fixture
def case_id(app, org):
    with app.app_context():
        case = open_legal_aid(org, worker="Trần Thị Ánh")
        case.parties[0].id_number = "052012345678"
        db.session.commit()
        cid = case.id
        db.session.remove()
    return cid


def fire(client, case_id, **body):
    return client.post(f"/api/cases/{case_id}/fire", json=body)


def test_reading_a_case_masks_personal_data_for_a_clerk_only(client, org, case_id):
    login(client, "tuvan1")
    data = client.get(f"/api/cases/{case_id}").get_json()
    assert data["state"] == "received" and data["state_label"] == "Đã tiếp nhận"
    assert data["parties"][0]["phone"] == "0905123456" and data["personal_data_masked"] is False
    assert data["details"]["legal_aid"]["dispute_type"] == "wages"
    assert "start_consultation" in [t["trigger"] for t in data["available_triggers"]]

    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    login(client, "vanthu")  # the clerk who registers legal aid does not act in it: need to know, 404
    response = client.get(f"/api/cases/{case_id}")
    assert response.status_code == 404 and "0905123456" not in response.get_data(as_text=True)


def test_reading_a_case_masks_personal_data_for_a_role_without_the_right(app, client, org):
    """An organiser reads the union procedure he works on, its parties' personal data masked."""
    from caseflow.core.models import Party
    from caseflow.union.demo import open_for_path
    from tests.factories import unit, user

    with app.app_context():
        case = open_for_path(db.session, "cdcs_founding", "recognised", unit(org, "CĐCS-MMQN"), user(org, "tochuc"),
                             date(2026, 10, 1))
        db.session.add(Party(case_id=case.id, role="worker", full_name="Trần Thị Ánh", phone="0905123456",
                             id_number="052012345678", confidential=False))
        db.session.commit()
        cid = case.id
    login(client, "tochuc")
    data = client.get(f"/api/cases/{cid}").get_json()
    party = data["parties"][0]
    assert data["personal_data_masked"] is True
    assert party["phone"] == "•••56" and party["id_number"] == "•••78" and party["full_name"] == "Trần Thị Ánh"
    assert "0905123456" not in str(data) and "052012345678" not in str(data)


def test_out_of_scope_or_missing_is_404_and_anonymous_401(app, client, org, case_id):
    login(client, "quynhon")  # legal officer of a unit below the province: the case is not in scope
    response = client.get(f"/api/cases/{case_id}")
    assert response.status_code == 404 and response.get_json()["error"] == "404"
    assert fire(client, case_id, trigger="start_consultation", expected_version=1).status_code == 404
    assert client.get("/api/cases/999999").status_code == 404
    anonymous = app.test_client()
    response = anonymous.get(f"/api/cases/{case_id}")
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


def test_fire_returns_the_event_and_a_stale_version_is_409(client, org, case_id):
    login(client, "tuvan1")
    version = client.get(f"/api/cases/{case_id}").get_json()["version"]
    response = fire(client, case_id, trigger="start_consultation", data={}, comment="Bắt đầu",
                    expected_version=version)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["event"]["trigger"] == "start_consultation" and body["event"]["to_state"] == "consulting"
    assert body["event"]["seq"] == 2 and body["case"]["state"] == "consulting"

    response = fire(client, case_id, trigger="refer", data={"referred_to": "Sở Tư pháp"}, comment="x",
                    expected_version=version)  # read before the last fire
    assert response.status_code == 409 and response.get_json()["error"] == "conflict"
    assert client.get(f"/api/cases/{case_id}").get_json()["state"] == "consulting"


@pytest.mark.parametrize("body, status, error", [
    ({"trigger": "no_such_trigger", "expected_version": 1}, 422, "invalid_trigger"),
    ({"trigger": "close", "expected_version": 1}, 422, "invalid_trigger"),  # not from `received`
    ({"trigger": "refer", "data": {}, "comment": "x", "expected_version": 1}, 422, "invalid_input"),
    ({"trigger": "refer", "data": {"referred_to": "Sở"}, "expected_version": 1}, 422, "invalid_input"),
    ({"trigger": "start_consultation"}, 422, "invalid_input"),  # the lock is required
    ({"trigger": "start_consultation", "expected_version": "1"}, 422, "invalid_input"),
    ({"trigger": ["x"], "expected_version": 1}, 422, "invalid_input"),
    ({"trigger": "start_consultation", "data": [], "expected_version": 1}, 422, "invalid_input"),
    ({"trigger": "start_consultation", "comment": {"a": 1}, "expected_version": 1}, 422, "invalid_input"),
    ({"trigger": "assign", "data": {"assignee_id": 10**15}, "expected_version": 1}, 403, "not_permitted"),
])
def test_refusals_are_typed_4xx_and_change_nothing(client, org, case_id, body, status, error):
    login(client, "tuvan1")
    version = client.get(f"/api/cases/{case_id}").get_json()["version"]
    if body.get("expected_version") == 1:
        body = {**body, "expected_version": version}
    response = fire(client, case_id, **body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"] == error and response.get_json()["message"]
    data = client.get(f"/api/cases/{case_id}").get_json()
    assert data["state"] == "received" and data["version"] == version


def test_a_huge_number_is_a_422_not_a_database_error(client, org, case_id):
    login(client, "lanhdao")
    version = client.get(f"/api/cases/{case_id}").get_json()["version"]
    response = fire(client, case_id, trigger="assign", data={"assignee_id": 10**15}, expected_version=version)
    assert response.status_code == 422 and response.get_json()["error"] == "invalid_input"
    assert "assignee_id" in response.get_json()["errors"]


def test_wrong_role_is_403(client, org, case_id):
    login(client, "lanhdao")  # the leader sees the case but may not start a consultation
    version = client.get(f"/api/cases/{case_id}").get_json()["version"]
    response = fire(client, case_id, trigger="start_consultation", expected_version=version)
    assert response.status_code == 403 and response.get_json()["error"] == "not_permitted"


def test_malformed_json_is_400(client, org, case_id):
    login(client, "tuvan1")
    response = client.post(f"/api/cases/{case_id}/fire", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.is_json
    response = client.post(f"/api/cases/{case_id}/fire", json=["start_consultation"])
    assert response.status_code == 400 and response.is_json


def test_csrf_exemption_holds_only_for_json_bodies(client, org, case_id):
    login(client, "tuvan1")
    for kwargs in ({"data": {"trigger": "start_consultation", "expected_version": "1"}},
                   {"data": '{"trigger": "start_consultation", "expected_version": 1}', "content_type": "text/plain"}):
        response = client.post(f"/api/cases/{case_id}/fire", **kwargs)
        assert response.status_code == 400 and response.get_json()["error"] == "csrf"
    assert client.get(f"/api/cases/{case_id}").get_json()["state"] == "received"
