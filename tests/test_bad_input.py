"""Bad input is a 4xx with a reason, never a 500 (issue 17, defects 2 and 4): the legal-aid intake's e-mail,
every field type with a valid and an invalid value (the form and the engine's own check), and the JSON API's
bodies bounded in size and depth and checked by schema."""
from __future__ import annotations

import json
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from caseflow.core import jsontext
from caseflow.core.clock import local_today
from caseflow.core.engine.definition import FieldDef
from caseflow.core.engine.fields import coerce
from caseflow.core.models import Case
from caseflow.extensions import db
from caseflow.web.forms import transition_form
from tests.conftest import csrf_token, login
from tests.factories import open_legal_aid

LEGAL_AID_FORM = {"channel": "walk_in", "party_status": "member", "need": "litigation", "dispute_type": "wages",
                  "employer_name": "Công ty CP Gỗ Thành Đạt", "facts": "Công ty nợ lương 2 tháng.",
                  "worker_name": "Nguyễn Văn Ánh"}


def _intake(client, org, **fields):
    token = csrf_token(client, "/legal-aid/new")
    return client.post("/legal-aid/new", data={"csrf_token": token, "unit_id": str(org["units"]["province"]),
                                               "received_date": local_today().isoformat(),
                                               **LEGAL_AID_FORM, **fields})


@pytest.mark.parametrize("field, value, status", [
    ("worker_email", "a@example.com", 302),  # the probe's 500 (email-validator was missing)
    ("worker_email", "nguyen.van.anh@congdoan.vn", 302),
    ("worker_email", "not-an-email", 422),
    ("worker_email", "a@", 422),
    ("worker_phone", "0905 123 456", 302),
    ("worker_phone", "abc", 422),
    ("worker_id_number", "052090001234", 302),
    ("worker_id_number", "12345", 422),
    ("received_date", "2026-13-45", 422),
    ("unit_id", "999999", 422),
    ("need", "no_such_need", 422),
])
def test_legal_aid_intake_answers_each_value_with_a_redirect_or_a_form_error(app, client, org, field, value, status):
    login(client, "tuvan1")
    response = _intake(client, org, **{field: value})
    assert response.status_code == status, response.get_data(as_text=True)[:1000]
    with app.app_context():
        opened = db.session.query(Case).count()
    assert opened == (1 if status == 302 else 0)
    if status == 422:
        assert "invalid-feedback" in response.get_data(as_text=True)


def _field(kind: str, **extra) -> FieldDef:
    return FieldDef(name="f", type=kind, label={"vi": "Trường", "en": "Field"}, required=True, **extra)


#: per field type of the workflow definitions: (extra definition, a valid value, an invalid value)
FIELD_TYPES = {
    "text": ({"max_length": 10}, "Đà Nẵng", "x" * 11),
    "textarea": ({"max_length": 20}, "Nợ lương\n2 tháng", "x" * 21),
    "select": ({"choices": {"a": {"vi": "A", "en": "A"}}}, "a", "b"),
    "date": ({}, "2026-02-17", "2026-02-31"),
    "int": ({}, "12", "mười hai"),
    "money": ({}, "1.500.000", "-5"),
    "user": ({}, "3", "abc"),
}


@pytest.mark.parametrize("kind", sorted(FIELD_TYPES))
def test_each_field_type_on_a_form_takes_a_valid_value_and_refuses_an_invalid_one(app, kind):
    from types import SimpleNamespace

    extra, good, bad = FIELD_TYPES[kind]
    good = "1500000" if kind == "money" else good  # the form's number input sends digits; the engine takes dots
    good, bad = ("17/02/2026", "31/02/2026") if kind == "date" else (good, bad)  # the form's dates are dd/mm/yyyy
    transition = SimpleNamespace(trigger="t", comment="optional", fields=[_field(kind, **extra)])
    with app.test_request_context("/", method="POST"):
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            for value, ok in ((good, True), (bad, False)):
                form = transition_form(transition, user_choices=[("3", "Lê Văn C")], formdata=MultiDict({"f": value}))
                assert form.validate_and_localise() is ok, (kind, value, form.errors)
                if not ok:
                    assert form.f.errors and all(str(e) for e in form.f.errors)
        finally:
            app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("kind", sorted(FIELD_TYPES) + ["bool"])
def test_each_field_type_in_the_engine_types_a_valid_value_and_refuses_an_invalid_one(app, kind):
    extra, good, bad = FIELD_TYPES.get(kind, ({}, "có", "có lẽ"))
    with app.test_request_context("/"):
        field = _field(kind, **extra)
        value = coerce(field, good)
        assert value not in (None, "")
        with pytest.raises(ValueError) as refused:
            coerce(field, bad)
        assert str(refused.value)
    if kind == "date":
        assert value == date(2026, 2, 17)


# --- the JSON API --------------------------------------------------------------------------------------

def test_a_body_of_3000_brackets_is_a_400_with_a_reason(client, org):
    with app_case(client, org) as case_id:
        response = client.post(f"/api/cases/{case_id}/fire", data="[" * 3000, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "too_deep"
    assert response.get_json()["message"]


def test_a_body_too_large_is_a_413_with_a_reason(client, org):
    with app_case(client, org) as case_id:
        body = json.dumps({"trigger": "x", "expected_version": 1, "comment": "x" * 600_000})
        response = client.post(f"/api/cases/{case_id}/fire", data=body, content_type="application/json")
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"


@pytest.mark.parametrize("body, errors", [
    ({"trigger": "x", "expected_version": 1, "data": {"a": {"b": 1}}}, {"data.a"}),
    ({"trigger": "x", "expected_version": 1, "unknown": 1}, {"unknown"}),
    ({"trigger": "", "expected_version": 1}, {"trigger"}),
    ({"trigger": "x", "expected_version": 1.5}, {"expected_version"}),
    ({"trigger": "x", "expected_version": True}, {"expected_version"}),
])
def test_a_body_of_the_wrong_shape_is_a_422_naming_the_field(client, org, body, errors):
    with app_case(client, org) as case_id:
        response = client.post(f"/api/cases/{case_id}/fire", json=body)
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["errors"]) == errors and response.get_json()["error"] == "invalid_input"


@pytest.mark.parametrize("fields", [[1, 2], "abc", {"x": {"y": [1]}}])
def test_a_draft_with_fields_of_the_wrong_kind_is_a_422(app, client, org, fields):
    from tests.test_documents_register import draft

    with app.app_context():
        case = draft(org)
        case_id, version = case.id, case.version
        db.session.remove()
    login(client, "vanthu")
    response = client.post(f"/api/cases/{case_id}/fire", json={
        "trigger": "edit_draft", "expected_version": version,
        "data": {"draft": json.dumps({"summary": "Về việc", "fields": fields})}})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"] == "invalid_input" and "draft" in response.get_json()["errors"]
    deep = client.post(f"/api/cases/{case_id}/fire", json={
        "trigger": "edit_draft", "expected_version": version, "data": {"draft": "[" * 3000}})
    assert deep.status_code == 422 and "draft" in deep.get_json()["errors"]


def test_the_bounded_parser_ignores_brackets_inside_strings_and_refuses_constants():
    assert jsontext.loads(r'{"a": "[[[[\"{{{{", "b": ["]"]}') == {"a": '[[[["{{{{', "b": ["]"]}
    assert jsontext.nesting_depth('[["[[["]]') == 2
    for text, reason in (("[" * 21 + "]" * 21, "too_deep"), ("NaN", "malformed"), (b"\xff", "malformed"),
                         ('"\\' * 1000, "malformed"), ("1" * 11, "too_large")):
        with pytest.raises(jsontext.JSONRejected) as refused:
            jsontext.loads(text, max_bytes=10 if reason == "too_large" else 1 << 20)
        assert refused.value.reason == reason


class app_case:
    """A legal-aid case, the client logged in as the officer who handles it."""

    def __init__(self, client, org):
        self.client, self.org = client, org

    def __enter__(self) -> int:
        app = self.client.application
        with app.app_context():
            case_id = open_legal_aid(self.org).id
            db.session.remove()
        login(self.client, "tuvan1")
        return case_id

    def __exit__(self, *exc):
        return False
