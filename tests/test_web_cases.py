"""The case pages through the test client with real CSRF: every legal-aid path walked through
/legal-aid/new and /cases/<id>/fire/<trigger>, a permission table, bad input (never a 500, nothing
changed), diacritic-free search, list filters and pagination."""
import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.audit import verify_all
from caseflow.core.models import Case, CaseEvent
from caseflow.deadlines.models import Deadline
from caseflow.demo import PATHS, step_data
from caseflow.extensions import db
from caseflow.legal_aid.models import LegalAidDetail
from tests.conftest import AUDIT_KEY, csrf_token, login
from tests.factories import open_legal_aid, user

ACTOR_FOR_ROLE = {"legal_officer": "tuvan1", "leader": "lanhdao", "clerk": "vanthu"}
INTAKE_FORM = {"channel": "walk_in", "party_status": "member", "need": "litigation", "dispute_type": "wages",
               "employer_name": "Công ty CP Gỗ Thành Đạt", "facts": "Công ty nợ lương 2 tháng.",
               "worker_phone": "0905 123 456", "worker_is_member": "y"}
PATH_INTAKE = {"question": {"need": "general_question", "dispute_type": "other"},
               "collective": {"is_collective": "y", "party_status": "union_org", "dispute_type": "collective"}}


@pytest.fixture
def app_config():
    return {"CASES_PER_PAGE": 4}


@pytest.fixture
def clients(app, org):
    """One logged-in test client (own cookie jar) per demo user, made on demand; "anon" is logged out."""
    made = {}

    def get(username):
        if username not in made:
            made[username] = app.test_client()
            if username != "anon":
                login(made[username], username)
        return made[username]

    return get


def hidden_fields(form: str) -> dict:
    """The hidden inputs of one form's HTML (CSRF token, expected version), as a browser would post them."""
    fields = {}
    for attrs in re.findall(r"<input([^>]*)>", form):
        name, value = re.search(r'name="([^"]+)"', attrs), re.search(r'value="([^"]*)"', attrs)
        if name and 'type="hidden"' in attrs:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def _inputs(page: str, action: str) -> dict:
    """The hidden inputs of the form posting to `action`."""
    match = re.search(r'<form[^>]*action="' + re.escape(action) + r'".*?</form>', page, re.DOTALL)
    assert match, f"no form for {action}"
    return hidden_fields(match.group(0))


def _token(client, path="/cases/") -> str:
    return csrf_token(client, path)


def _form_value(value):
    return value.isoformat() if isinstance(value, date) else str(value)


def fire_via_web(client, case_id: int, trigger: str, data: dict | None = None, comment: str = "", **overrides):
    action = f"/cases/{case_id}/fire/{trigger}"
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    form = _inputs(page, action)
    form.update({f"{trigger}-{k}": _form_value(v) for k, v in (data or {}).items() if v is not None})
    form[f"{trigger}-comment"] = comment
    form.update(overrides)
    return client.post(action, data=form)


def open_via_web(client, worker: str, unit_id: int, **fields):
    token = _token(client, "/legal-aid/new")
    form = {"csrf_token": token, "unit_id": str(unit_id), "received_date": local_today().isoformat(),
            "worker_name": worker, **INTAKE_FORM, **fields}
    return client.post("/legal-aid/new", data=form)


def _state(app, case_id: int) -> tuple:
    # web tests push no app context of their own: requests would reuse it (and its logged-in user)
    with app.app_context():
        case = db.session.get(Case, case_id)
        events = db.session.scalars(select(CaseEvent.trigger).where(CaseEvent.case_id == case_id)
                                    .order_by(CaseEvent.seq)).all()
        return case.state, case.version, case.audit_seq, tuple(events)


# --- every path, through the browser's requests ---------------------------------------------------------

@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_path_through_the_web(app, org, clients, runner, path):
    response = open_via_web(clients("vanthu"), "Nguyễn Văn Ánh", org["units"]["province"], **PATH_INTAKE.get(path, {}))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    # the desk clerk registers the request but does not act in legal aid: back to the form, not to the file
    assert response.headers["Location"].endswith("/legal-aid/new")
    with app.app_context():
        case_id = db.session.scalar(select(func.max(Case.id)).where(Case.kind == "legal_aid"))
    assert clients("vanthu").get(f"/cases/{case_id}").status_code == 404
    import random

    rng = random.Random(3)
    for trigger, role in PATHS[path]:
        data, comment = step_data(trigger, rng, local_today() - timedelta(days=5), local_today())
        response = fire_via_web(clients(ACTOR_FOR_ROLE[role]), case_id, trigger, data, comment or "Ghi nhận.")
        assert response.status_code == 302, (trigger, response.get_data(as_text=True)[:3000])
    _state_now, _version, seq, events = _state(app, case_id)
    assert events == ("open", *[t for t, _ in PATHS[path]]) and seq == len(events)
    page = clients("tuvan1").get(f"/cases/{case_id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"'):]
    assert [int(n) for n in re.findall(r'#(\d+)</span></div>', timeline)] == list(range(seq, 0, -1))
    assert re.findall(r'data-trigger="([a-z_]+)"', timeline) == list(reversed(events))
    with app.app_context():
        labels = {t.trigger: t.label["vi"] for t in get_registry().get("legal_aid").transitions}
    assert all(html.escape(labels[t]) in timeline for t in events[1:])  # Vietnamese labels by default
    result = runner.invoke(args=["audit", "verify"])
    # the case's own chain, and one per document its steps drafted (issue 5)
    with app.app_context():
        chains = db.session.scalar(select(func.count(Case.id)))
    assert result.exit_code == 0 and f"{chains} case chains verified" in result.output


def test_intake_form_keeps_input_and_shows_errors(app, org, clients):
    response = open_via_web(clients("vanthu"), "Trần Thị Lan", org["units"]["province"], need="", worker_phone="abc",
                            received_date=(local_today() + timedelta(days=3)).isoformat())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Trần Thị Lan" in page and "invalid-feedback" in page
    with app.app_context():
        assert db.session.scalar(select(Case.id)) is None


# --- permissions: URL x user -> status ------------------------------------------------------------------

@pytest.fixture
def cases(app, org):
    """A provincial case (outside quynhon's scope) and one in a Quy Nhơn grassroots union."""
    with app.app_context():
        provincial = open_legal_aid(org, worker="Nguyễn Thị Hoa").id
        local = open_legal_aid(org, unit_key="CĐCS-MMQN", worker="Phạm Văn Long").id
    return {"provincial": provincial, "local": local}


@pytest.mark.parametrize("username, url, status", [
    ("anon", "/cases/", 302),
    ("anon", "/cases/{provincial}", 302),
    ("anon", "/legal-aid/new", 302),
    ("tuvan1", "/cases/", 200),
    ("tuvan1", "/cases/{provincial}", 200),
    ("tuvan1", "/cases/{local}", 200),
    ("kiemtra", "/cases/{provincial}", 404),  # need to know: an inspector does not act in legal aid
    ("vanthu", "/cases/{provincial}", 404),   # nor the clerk who registered it
    ("kiemtra", "/legal-aid/new", 403),
    ("vanthu", "/legal-aid/new", 200),
    ("quynhon", "/cases/{provincial}", 404),
    ("quynhon", "/cases/{local}", 200),
    ("quynhon", "/cases/999999", 404),
    ("quynhon", "/legal-aid/new", 200),
])
def test_page_permissions(clients, cases, username, url, status):
    response = clients(username).get(url.format(**cases))
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]


def test_anonymous_json_client_gets_401(clients, cases):
    response = clients("anon").get(f"/cases/{cases['provincial']}", headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


@pytest.mark.parametrize("username, case_key, trigger, status", [
    ("vanthu", "provincial", "start_consultation", 404),     # a clerk only opens cases: need to know
    ("kiemtra", "provincial", "start_consultation", 404),    # an inspector does not work on legal aid
    ("lanhdao", "provincial", "start_consultation", 422),    # a leader does not consult
    ("tuvan1", "provincial", "approve_representation", 422),  # not from this state, not this role
    ("quynhon", "provincial", "start_consultation", 404),    # outside the scope: the case does not exist for them
    ("quynhon", "local", "start_consultation", 302),         # inside it
    ("tuvan2", "local", "start_consultation", 302),          # the province covers the units below
])
def test_fire_permissions(app, clients, cases, username, case_key, trigger, status):
    case_id = cases[case_key]
    before = _state(app, case_id)
    client = clients(username)
    response = client.post(f"/cases/{case_id}/fire/{trigger}", data={f"{trigger}-csrf_token": _token(client)})
    assert response.status_code == status
    if status == 302:
        assert _state(app, case_id)[0] == "consulting"
    else:
        assert _state(app, case_id) == before


def test_anonymous_fire_redirects_to_login_and_changes_nothing(app, clients, cases):
    before = _state(app, cases["provincial"])
    client = clients("anon")
    response = client.post(f"/cases/{cases['provincial']}/fire/start_consultation",
                           data={"csrf_token": _token(client, "/login")})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _state(app, cases["provincial"]) == before


# --- bad input: a clear message or a 4xx, never a 500, and nothing changed -----------------------------

def _consulting(clients, case_id):
    assert fire_via_web(clients("tuvan1"), case_id, "start_consultation").status_code == 302


@pytest.mark.parametrize("trigger, data, comment, message", [
    ("give_advice", {"rep_role": "astronaut"}, "Đã tư vấn.", None),
    ("give_advice", {"rep_role": "lawyer"}, "", None),                      # comment required
    ("give_advice", {"rep_role": "lawyer"}, "x" * 5001, None),              # too long
    ("refer", {"referred_to": ""}, "Chuyển.", None),
    ("refer", {"referred_to": "x" * 300}, "Chuyển.", None),
    ("decline", {}, "", None),
])
def test_malformed_form_data_is_422_with_the_input_kept(app, clients, cases, trigger, data, comment, message):
    case_id = cases["provincial"]
    _consulting(clients, case_id)
    before = _state(app, case_id)
    response = fire_via_web(clients("tuvan1"), case_id, trigger, data, comment)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "invalid-feedback" in page or "alert-danger" in page
    assert f'id="form-{trigger}"' in page and "collapse show" in page  # the failed form is open again
    assert _state(app, case_id) == before


def _awaiting_authorisation(app, org) -> int:
    from caseflow.core import engine

    with app.app_context():
        case = open_legal_aid(org)  # an individual matter: the union cannot act for a collective
        for trigger, who in [("start_consultation", "tuvan1"), ("propose_representation", "tuvan1"),
                             ("approve_representation", "lanhdao")]:
            engine.fire(case, trigger, user(org, who), comment="x")
        return case.id


def test_garbage_in_typed_fields_is_refused(app, org, clients):
    case_id = _awaiting_authorisation(app, org)
    before = _state(app, case_id)
    for value in ["31/12/2026", "not a date", "2026-02-30", (local_today() + timedelta(days=10)).isoformat()]:
        response = fire_via_web(clients("tuvan1"), case_id, "sign_authorisation",
                                {"authorisation_signed_date": value})
        assert response.status_code == 422, value
        assert _state(app, case_id) == before


def test_unknown_trigger_and_wrong_case_ids(app, clients, cases):
    client = clients("tuvan1")
    before = _state(app, cases["provincial"])
    token = _token(client)
    response = client.post(f"/cases/{cases['provincial']}/fire/launch_rocket", data={"csrf_token": token})
    assert response.status_code == 422 and "alert" in response.get_data(as_text=True)
    for url in ["/cases/999999/fire/start_consultation", "/cases/abc/fire/start_consultation",
                "/cases/-1/fire/start_consultation", "/cases/999999"]:
        assert client.post(url, data={"csrf_token": token}).status_code in (404, 405), url
    assert client.get(f"/cases/{cases['provincial']}/fire/start_consultation").status_code == 405
    assert _state(app, cases["provincial"]) == before


@pytest.mark.parametrize("csrf", ["missing", "tampered", "other-session"])
def test_missing_or_tampered_csrf_is_400_and_changes_nothing(app, clients, cases, csrf):
    case_id = cases["provincial"]
    before = _state(app, case_id)
    overrides = {}
    if csrf == "missing":
        overrides["start_consultation-csrf_token"] = ""
    elif csrf == "tampered":
        token = _inputs(clients("tuvan1").get(f"/cases/{case_id}").get_data(as_text=True),
                        f"/cases/{case_id}/fire/start_consultation")["start_consultation-csrf_token"]
        overrides["start_consultation-csrf_token"] = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    else:
        other = app.test_client()
        login(other, "tuvan2")
        overrides["start_consultation-csrf_token"] = _token(other)
    response = fire_via_web(clients("tuvan1"), case_id, "start_consultation", **overrides)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert _state(app, case_id) == before


def test_stale_expected_version_is_409_and_changes_nothing(app, clients, cases):
    case_id = cases["provincial"]
    client = clients("tuvan1")
    action = f"/cases/{case_id}/fire/refer"
    stale_form = _inputs(client.get(f"/cases/{case_id}").get_data(as_text=True), action)
    # meanwhile a colleague moves the case on
    assert fire_via_web(clients("tuvan2"), case_id, "start_consultation").status_code == 302
    before = _state(app, case_id)
    response = client.post(action, data={**stale_form, "refer-referred_to": "Sở LĐTBXH", "refer-comment": "x"})
    assert response.status_code == 409
    assert _state(app, case_id) == before
    json_response = client.post(action, data={**stale_form, "refer-referred_to": "Sở LĐTBXH", "refer-comment": "x"},
                                headers={"Accept": "application/json"})
    assert json_response.status_code == 409


def test_a_failed_guard_shows_its_reason(app, org, clients):
    case_id = _awaiting_authorisation(app, org)
    before = _state(app, case_id)
    client = clients("tuvan1")
    # said before the click (issue 18): the action is shown disabled with the guard's reason, no form
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="refusal-act_for_collective"' in page and 'id="form-act_for_collective"' not in page
    response = client.post(f"/cases/{case_id}/fire/act_for_collective",
                           data={"act_for_collective-csrf_token": _token(client)})  # posted anyway: refused
    assert response.status_code == 422 and "alert-danger" in response.get_data(as_text=True)
    assert _state(app, case_id) == before


# --- list: search, filters, pagination ------------------------------------------------------------------

def _codes(client, query: str) -> set[str]:
    response = client.get("/cases/" + query)
    assert response.status_code == 200
    return set(re.findall(r'class="case-link">([A-Z]+-\d{4}-\d{4})<', response.get_data(as_text=True)))


@pytest.fixture
def listed(app, org):
    with app.app_context():
        return _listed(org)


def _listed(org):
    from caseflow.core import engine

    made = {}
    for key, worker, unit_key in [("anh", "Nguyễn Văn Ánh", "province"), ("duc", "Trần Minh Đức", "LĐLĐ-AN"),
                                  ("hoa", "Lê Thị Hoa", "CĐCS-MMQN"), ("yen", "Đỗ Thị Yến", "LĐLĐ-QN")]:
        made[key] = open_legal_aid(org, worker=worker, unit_key=unit_key)
    engine.fire(made["duc"], "start_consultation", user(org, "tuvan2"))
    engine.fire(made["hoa"], "start_consultation", user(org, "tuvan1"))
    db.session.add(Deadline(case_id=made["anh"].id, rule_key="t", label="Thời hạn", day_unit="calendar", days=10,
                            start_date=local_today() - timedelta(days=20), due_date=local_today() - timedelta(days=10)))
    db.session.add(Deadline(case_id=made["yen"].id, rule_key="t", label="Thời hạn", day_unit="calendar", days=10,
                            start_date=local_today(), due_date=local_today() + timedelta(days=10)))
    db.session.commit()
    return {k: c.code for k, c in made.items()}


SEARCHES = [("nguyen", {"anh"}), ("Nguyễn", {"anh"}), ("NGUYEN van anh", {"anh"}), ("duc", {"duc"}),
            ("Đức", {"duc"}), ("đuc", {"duc"}), ("thi", {"hoa", "yen"}), ("hoa", {"hoa"}), ("le thi hoa", {"hoa"}),
            ("tien luong", {"anh", "duc", "hoa", "yen"}), ("nobody", set()), ("100%_", set())]


def test_search_ignores_diacritics(app, clients, listed):
    client = clients("tuvan1")
    for query, expected in SEARCHES:
        assert _codes(client, f"?q={query}") == {listed[k] for k in expected}, query


def test_list_filters(clients, listed, org):
    client = clients("tuvan1")
    assert _codes(client, "?state=consulting") == {listed["duc"], listed["hoa"]}
    assert _codes(client, f"?unit={org['units']['LĐLĐ-QN']}") == {listed["hoa"], listed["yen"]}
    assert _codes(client, f"?assignee={org['users']['tuvan2']}") == {listed["duc"]}
    assert _codes(client, "?overdue=1") == {listed["anh"]}
    assert _codes(client, "?state=consulting&unit=" + str(org["units"]["LĐLĐ-QN"])) == {listed["hoa"]}
    assert _codes(client, "?unit=abc&assignee=x&page=zz") == set(listed.values())  # junk is ignored, not a 500
    # the scope still applies under every filter
    assert _codes(clients("quynhon"), "") == {listed["hoa"], listed["yen"]}
    assert _codes(clients("quynhon"), f"?unit={org['units']['province']}") == {listed["hoa"], listed["yen"]}


def test_pagination(app, org, clients):
    with app.app_context():
        codes = [open_legal_aid(org, worker=f"Võ Văn Tài {i}").code for i in range(10)]
    client = clients("tuvan1")
    pages = [_codes(client, f"?page={n}") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [4, 4, 2]
    assert set().union(*pages) == set(codes)
    assert _codes(client, "?page=9") == set()
    first = client.get("/cases/?q=tai").get_data(as_text=True)
    assert "page=2" in first and "(10)" in first


def test_detail_rows_are_untouched_by_refusals(app, clients, cases):
    """The typed KPI facts are not half-written by a refused fire."""
    case_id = cases["provincial"]
    _consulting(clients, case_id)
    response = fire_via_web(clients("tuvan1"), case_id, "decline", {"decline_reason": ""})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(LegalAidDetail, case_id).decline_reason is None
        assert verify_all(db.session, AUDIT_KEY.encode())[1] == []
