"""No page's number of SQL statements grows with the rows it shows (issue 12): each main page is requested by
a signed-in user with N rows present and shown, then with 3N, and the statements counted (the engine's
`before_cursor_execute`) must be the same. An N+1 (a lazy load per row, a query per case in a loop) fails here
before it costs 200,000 round trips in production."""
import random
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from caseflow.core import engine
from caseflow.core.models import Case
from caseflow.demo import generate_legal_aid_cases
from caseflow.extensions import db
from tests.conftest import login
from tests.factories import unit, user, users_by_name

N = 3


@pytest.fixture
def app_config():
    # every row present is shown at 3N too (no pagination hides a growth)
    return {"CASES_PER_PAGE": 100, "HOME_ITEMS_PER_GROUP": 100}


def add_rows(org, n: int, rng: random.Random, timeline_case: int | None = None) -> int:
    """n legal-aid cases walked along the demo paths through the engine (events, deadlines, document drafts,
    closed cases for the dashboard), n documents opened by the clerk, and n assignments on the timeline case
    (opened here when None): returns that case's id."""
    users = users_by_name(org)
    actors = {"clerk": [users["vanthu"]], "legal_officer": [users["tuvan1"], users["tuvan2"]],
              "leader": [users["lanhdao"]]}
    # spread over the province's units: a lazy load per row is then a query per row (one unit would be loaded
    # once and found in the session for every other row)
    units = [unit(org, key) for key in sorted(org["units"]) if key != "tld"]
    generate_legal_aid_cases(db.session, n, units, actors, rng)
    for i in range(n):
        engine.open_case(db.session, "document_issuance", rng.choice(units), users["vanthu"],
                         {"type_key": "thong_bao", "summary": f"Thông báo số {rng.randint(1, 10**6)}"},
                         title=f"Thông báo lịch tiếp công dân {i}")
    if timeline_case is None:
        from tests.factories import open_legal_aid

        timeline_case = open_legal_aid(org, worker="Trần Văn Dòng").id
    case = db.session.get(Case, timeline_case)
    for i in range(n):
        handler = users["tuvan1" if (n - i) % 2 else "tuvan2"]  # the last one to tuvan1: his home shows it
        engine.fire(case, "assign", user(org, "lanhdao"), {"assignee_id": handler.id})
    db.session.remove()
    return timeline_case


@contextmanager
def counting(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        bind = db.engine
    event.listen(bind, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(bind, "before_cursor_execute", count)


def page_counts(app, client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # warm: first-request work is not per row
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(statements)
    return counts


def pages_for(case_id: int, search: str) -> dict[str, dict[str, str]]:
    return {
        "tuvan1": {"case list": "/cases/", "case list filtered": "/cases/?kind=legal_aid&state=closed",
                   "case list searched": f"/cases/?q={search}", "case detail": f"/cases/{case_id}",
                   "deadlines queue": "/deadlines/", "home": "/"},
        "lanhdao": {"document register": "/documents/register", "KPI dashboard": "/reports/legal-aid"},
    }


def _shown(client, url: str) -> int:
    return client.get(url).get_data(as_text=True).count('class="case-link"')


def test_no_page_queries_once_per_row(app, org):
    rng = random.Random(12)
    with app.app_context():
        timeline_case = add_rows(org, N, rng)
    clients = {name: app.test_client() for name in ("tuvan1", "lanhdao")}
    for name, client in clients.items():
        login(client, name)
    pages = pages_for(timeline_case, "nguyen")
    before = {name: page_counts(app, clients[name], urls) for name, urls in pages.items()}
    shown_before = _shown(clients["tuvan1"], "/cases/")
    with app.app_context():
        add_rows(org, 2 * N, rng, timeline_case)
    after = {name: page_counts(app, clients[name], urls) for name, urls in pages.items()}
    assert _shown(clients["tuvan1"], "/cases/") >= shown_before + 2 * N  # the rows are shown, not paged away
    with app.app_context():
        events = db.session.scalar(select(Case.audit_seq).where(Case.id == timeline_case))
        db.session.remove()
    assert events >= 3 * N
    grown = {f"{name}: {page}": (before[name][page], after[name][page])
             for name in pages for page in pages[name] if after[name][page] > before[name][page]}
    assert grown == {}, f"statements per page grew with the rows (N -> 3N): {grown}"
