"""The case list stays usable: filters survive pagination, and an empty list says why."""
import html
import re

import pytest

from caseflow.extensions import db
from tests.conftest import login
from tests.factories import open_legal_aid


@pytest.fixture
def app_config():
    return {"CASES_PER_PAGE": 3}


@pytest.fixture
def seven_cases(app, org):
    with app.app_context():
        for i in range(7):
            open_legal_aid(org, worker=f"Nguyễn Văn Số{i}")
        open_legal_aid(org, worker="Trần Thị Khác")
        db.session.remove()


def test_pagination_links_keep_the_filters(client, org, seven_cases):
    login(client, "tuvan1")
    page = client.get("/cases/?q=nguyen&state=received&kind=legal_aid").get_data(as_text=True)
    assert "(7)" in page
    links = [html.unescape(h) for h in re.findall(r'class="page-link" href="([^"]+)"', page)]
    assert links, "no pagination"
    for link in links:
        assert "q=nguyen" in link and "state=received" in link and "kind=legal_aid" in link
    page2 = client.get(next(link for link in links if "page=2" in link)).get_data(as_text=True)
    assert page2.count('class="case-link"') == 3 and "Trần Thị Khác" not in page2


def test_no_match_offers_to_clear_the_filters(client, org, seven_cases):
    login(client, "tuvan1")
    page = client.get("/cases/?q=khong+co+ai").get_data(as_text=True)
    assert 'id="empty-state"' in page and "Không có vụ việc nào phù hợp" in page and 'id="clear-filters"' in page


def test_an_empty_scope_says_so(client, org, seven_cases):
    login(client, "quynhon")  # the cases are at the province, above this officer's unit
    page = client.get("/cases/").get_data(as_text=True)
    assert "Chưa có vụ việc nào tại các đơn vị bạn được xem." in page and 'id="clear-filters"' not in page


def test_bad_filter_values_are_ignored_not_errors(client, org, seven_cases):
    login(client, "tuvan1")
    for query in ("page=abc", "page=999", "unit=x", "assignee=-1", "q=" + "a" * 3000, "unit=99999"):
        assert client.get(f"/cases/?{query}").status_code == 200, query


def test_a_nul_character_anywhere_is_a_400_not_a_database_error(client, org, seven_cases):
    assert client.get("/login?next=%00").status_code == 400
    login(client, "tuvan1")
    assert client.get("/cases/?q=a%00b").status_code == 400
    response = client.post("/api/cases/1/fire", data='{"trigger": "x\\u0000", "expected_version": 1}',
                           content_type="application/json")
    assert response.status_code == 400 and response.is_json


def test_documents_being_issued_stay_out_of_the_case_list_unless_asked_for(app, org, client):
    from caseflow.core import engine
    from caseflow.extensions import db
    from tests.conftest import login
    from tests.factories import unit, user

    with app.app_context():
        doc = engine.open_case(db.session, "document_issuance", unit(org), user(org, "vanthu"),
                               {"type_key": "thong_bao", "summary": "Thông báo lịch tiếp công dân"},
                               title="Thông báo lịch tiếp công dân")
        code = doc.code
        db.session.remove()
    login(client, "vanthu")
    assert code not in client.get("/cases/").get_data(as_text=True)
    assert code in client.get("/cases/?kind=document").get_data(as_text=True)
    assert code in client.get("/cases/?q=lich tiep").get_data(as_text=True)
