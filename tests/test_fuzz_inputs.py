"""Random input never makes a 500 (issue 17): Hypothesis posts random JSON to every API endpoint and random
values into the fields of every form of the app, as users of every kind. A few examples per endpoint by
default; the `slow` test runs 2,000 per API endpoint (CI runs every marker)."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseflow.extensions import db
from tests.conftest import csrf_token, login
from tests.factories import open_legal_aid

USERS = ("anon", "admin", "lanhdao", "tuvan1", "kiemtra", "vanthu")
#: leave the session alone (each would end the client's login) or need a file upload of their own
SKIP_FORMS = {"auth.logout", "auth.logout_everywhere"}
FAST = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=25)
#: bodies shaped like the API's (a trigger and its data), so that the engine and the hooks see them too
fire_bodies = st.fixed_dictionaries({}, optional={
    "trigger": st.sampled_from(["start_consultation", "refer", "close", "edit_draft", "accept"]) | st.text(max_size=8),
    "data": st.dictionaries(st.sampled_from(["draft", "referred_to", "outcome", "fields", "x"]), json_values,
                            max_size=4) | json_values,
    "comment": json_values, "expected_version": st.integers(-3, 5) | json_values})
form_values = st.text(max_size=60) | st.sampled_from(["", "0", "1", "-1", "2026-02-17", "99999999999999999999",
                                                       "y", "on", "a@example.com", "\u0301", "' OR 1=1 --"])


@pytest.fixture
def world(app, org):
    """A case of legal aid and a logged-in client per kind of user (one per user, own cookie jar)."""
    with app.app_context():
        case_id = open_legal_aid(org).id
        db.session.remove()
    clients = {}
    for name in USERS:
        clients[name] = app.test_client()
        if name != "anon":
            login(clients[name], name)
    return {"case_id": case_id, "clients": clients, "unit_id": org["units"]["province"],
            "user_id": org["users"]["tuvan2"], "names": {}, "tokens": {}}  # not one of USERS: a reset would log it out


def _post_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint not in SKIP_FORMS),
                  key=lambda r: r.rule)


def _url(app, rule, world, draw_text: str) -> str:
    ids = {"case_id": world["case_id"], "user_id": world["user_id"], "unit_id": world["unit_id"]}
    values = {}
    for arg in rule.arguments - set(rule.defaults or {}):
        values[arg] = ids.get(arg, 1) if "int" in str(rule._converters.get(arg, "")).lower() else \
            {"workflow": "union_founding", "trigger": "start_consultation", "code": "vi"}.get(arg, draw_text or "x")
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, values)


def _field_names(client, url: str) -> list[str]:
    page = client.get(url)
    names = re.findall(r'name="([^"]+)"', page.get_data(as_text=True)) if page.status_code == 200 else []
    return sorted(set(names) - {"csrf_token"}) or ["q", "name", "value"]


def test_random_json_to_the_api_never_500s(app, world):
    _fuzz_api(app, world, FAST)


@pytest.mark.slow
def test_random_json_to_the_api_never_500s_in_2000_examples_per_endpoint(app, world):
    _fuzz_api(app, world, settings(FAST, max_examples=2000))


def _fuzz_api(app, world, profile):
    api = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/")]
    assert {r.endpoint for r in api} == {"api.get_case", "api.fire"}, "a new API endpoint: fuzz it here"
    for rule in api:
        _api_check(_url(app, rule, world, ""), "POST" if "POST" in rule.methods else "GET", world, profile)()


def _api_check(url, method, world, profile):
    @profile
    @given(body=fire_bodies | json_values, raw=st.booleans(), user=st.sampled_from(USERS), junk=st.binary(max_size=50))
    def check(body, raw, user, junk):
        data = junk if raw else json.dumps(body)
        response = world["clients"][user].open(url, method=method, data=data, content_type="application/json")
        assert response.status_code < 500, (url, data, response.get_data(as_text=True)[:300])
        if response.status_code >= 400:
            assert set(response.get_json()) >= {"error", "message"}

    return check


def test_random_values_in_every_form_never_500(app, world):
    rules = _post_rules(app)
    assert len(rules) > 40
    for rule in rules:
        _form_check(_url(app, rule, world, ""), world)()


def _form_check(url, world):
    @FAST
    @given(user=st.sampled_from(USERS), data=st.data())
    def check(user, data):
        client = world["clients"][user]
        if (user, url) not in world["names"]:
            world["names"][(user, url)] = _field_names(client, url)
        names = world["names"][(user, url)]
        form = {name: data.draw(form_values, label=name) for name in names
                if data.draw(st.booleans(), label=f"send {name}")}
        if user not in world["tokens"]:  # one token per session
            world["tokens"][user] = csrf_token(client, "/login" if user == "anon" else "/cases/")
        form["csrf_token"] = world["tokens"][user]
        response = client.post(url, data=form)
        assert response.status_code < 500, (url, form, response.get_data(as_text=True)[:300])

    return check
