"""The rough edges a first week of use found (issue 18), one test each: the README's demo logins, the demo's
documents and signing powers, V/v, signing authorities, /documents, CSV headers, audit lines, sorting, duplicate
uploads, chart labels, date labels, dates typed dd/mm/yyyy."""
import itertools
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from caseflow.core.clock import local_today
from caseflow.core.models import Attachment, Case, Unit
from caseflow.demo import DEMO_PASSWORD
from caseflow.documents.models import DocumentDetail
from caseflow.documents.render import render_html
from caseflow.documents.samples import sample_data
from caseflow.documents.signing import powers_of
from caseflow.extensions import db
from caseflow.inspection import demo as inspection_demo
from caseflow.reports.kpi import ShareRow
from caseflow.reports.svg import share_chart
from caseflow.reports.targets import TargetPoint
from caseflow.web.dates import parse_date
from tests.conftest import csrf_token, login
from tests.factories import users_by_name
from tests.test_inspection_web import browser  # noqa: F401 (the fixture)
from tests.test_procedures_web import Clients, open_via_web, upload_via_web

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_lists_the_logins_seed_demo_prints(runner):
    result = runner.invoke(args=["seed-demo", "--cases", "2", "--seed", "3"])
    assert result.exit_code == 0, result.output
    printed = re.findall(r"login (\S+)\s+password " + DEMO_PASSWORD, result.output)
    paragraph = README.read_text(encoding="utf-8").split("prints the demo logins", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"`([a-z0-9]+)`", paragraph.split("tests/test_daily_use_defects.py")[0])
    for group in re.findall(r"`([a-z0-9]+(?:`/`[a-z0-9]+)+)`", paragraph):
        listed += group.split("`/`")
    assert sorted(set(listed) - {DEMO_PASSWORD}) == sorted(printed)
    assert "tochuc" in printed


@pytest.fixture
def demo_documents(app, org):
    from caseflow.documents.demo import seed_documents

    with app.app_context():
        users = users_by_name(org)
        units = {"province": db.session.get(Unit, org["units"]["province"])}
        inspection_demo.seed_inspection(db.session, units, users)
        seed_documents(db.session, units, users)
        db.session.commit()
    return org


def test_demo_documents_read_as_real_ones_and_the_centre_can_sign(app, demo_documents):
    with app.app_context():
        issued = db.session.scalars(select(DocumentDetail).join(Case, Case.id == DocumentDetail.case_id)
                                    .where(Case.state == "dispatched")).all()
        assert issued
        for detail in issued:
            text = json.dumps(detail.data, ensure_ascii=False)
            assert "Nội dung mẫu" not in text, detail.type_key
        users = users_by_name(demo_documents)
        province = db.session.get(Unit, demo_documents["units"]["province"])
        # the legal-aid centre's documents: lanhdao holds a power, so "Ký ban hành" is not a button that refuses
        assert powers_of(db.session, users["lanhdao"], province, "van_ban_de_nghi", "TTTVPL", local_today())


def test_an_official_letter_never_reads_v_v_twice():
    for summary in ("V/v tổng kết công tác năm", "v/v: tổng kết công tác năm", "Về việc tổng kết công tác năm"):
        data = {**sample_data("cong_van"), "summary": summary}
        html = render_html("cong_van", data)
        line = re.search(r'<div class="vv">(.*?)</div>', html, re.DOTALL).group(1)
        assert line.split() == ["V/v", "tổng", "kết", "công", "tác", "năm"], line


def _power_form(client, org, **values):
    with client.application.app_context():
        lanhdao = org["users"]["lanhdao"]
    form = {"csrf_token": csrf_token(client, "/documents/powers"), "user_id": str(lanhdao),
            "unit_id": str(org["units"]["province"]), "issuer_code": "", "type_key": "", "title": "GIÁM ĐỐC",
            "valid_from": "01/01/2026", "valid_to": "", "basis": "Quyết định phân công"}
    form.update(values)
    return client.post("/documents/powers", data=form)


@pytest.mark.parametrize("authority, on_behalf_of, title, field, message", [
    ("TM.", "", "GIÁM ĐỐC", "on_behalf_of", "TM.: ghi tập thể lãnh đạo được thay mặt"),
    ("KT.", "", "PHÓ CHỦ TỊCH", "on_behalf_of", "KT.: ghi chức danh người đứng đầu"),
    ("TL.", "", "CHÁNH VĂN PHÒNG", "on_behalf_of", "TL.: ghi chức danh người đứng đầu"),
    ("TUQ.", "", "GIÁM ĐỐC", "on_behalf_of", "TUQ.: ghi chức danh người đứng đầu"),
    ("Q.", "CHỦ TỊCH", "CHỦ TỊCH", "on_behalf_of", "Q.: để trống ô này"),
    ("KT.", "CHỦ TỊCH", "CHỦ TỊCH", "title", "KT.: chức danh là của cấp phó"),
])
def test_a_signing_authority_needs_its_own_parts(client, org, authority, on_behalf_of, title, field, message):
    login(client, "admin")
    response = _power_form(client, org, authority=authority, on_behalf_of=on_behalf_of, title=title)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    at_field = page[page.index(f'id="{field}"'):][:1500]
    assert message in at_field


def test_a_complete_authority_is_saved_and_users_sort_the_vietnamese_way(client, org):
    login(client, "admin")
    assert _power_form(client, org, authority="TM.", on_behalf_of="BAN THƯỜNG VỤ", title="CHỦ TỊCH").status_code == 302
    assert _power_form(client, org, authority="Q.", on_behalf_of="", title="CHÁNH VĂN PHÒNG").status_code == 302
    page = client.get("/documents/powers").get_data(as_text=True)
    select_html = page[page.index('id="user_id"'):page.index("</select>", page.index('id="user_id"'))]
    names = re.findall(r">([^<(]+) \(", select_html)
    assert names.index("Đặng Thị Thanh Hương") < names.index("Võ Minh Tâm")
    assert names.index("Đỗ Thị Thu Hà") < names.index("Huỳnh Thị Mai")


def test_documents_itself_is_the_register(client, org):
    login(client, "vanthu")
    response = client.get("/documents/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/documents/register")
    assert client.get("/documents", follow_redirects=True).status_code == 200


def test_csv_downloads_name_their_charset_once(client, org):
    login(client, "lanhdao")
    response = client.get("/reports/legal-aid/cases.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_complaint_letters_timeline_shows_no_denunciation_only_box(app, browser):  # noqa: F811
    letter = browser.register("complaint")
    browser.walk(letter, "letter_intake", inspection_demo.LETTER_PATHS["complaint"], "complaint")
    page = browser.client.get(f"/cases/{letter}").get_data(as_text=True)
    timeline = page[page.index('class="timeline'):]
    assert "Đề xuất thụ lý" in timeline and "cần xác minh ở nhiều địa điểm" not in timeline


def test_the_same_file_twice_under_one_dossier_item_is_refused(app, org):
    users = Clients(app)
    organiser = users("tochuc")
    case_id = open_via_web(organiser, org, "committee_recognition", "recognised", local_today() - timedelta(days=5))
    assert upload_via_web(organiser, case_id, "request_letter", b"%PDF-1.4 one scan").status_code == 302
    again = upload_via_web(organiser, case_id, "request_letter", b"%PDF-1.4 one scan")
    assert again.status_code == 302
    page = organiser.get(again.headers["Location"]).get_data(as_text=True)
    assert "Tệp này đã có trong hồ sơ ở mục này" in page
    assert upload_via_web(organiser, case_id, "request_letter", b"%PDF-1.4 another scan").status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Attachment).where(Attachment.case_id == case_id,
                                                               Attachment.dossier_item == "request_letter")).all()) == 2


def test_kpi_chart_year_labels_never_overlap():
    rows = [ShareRow(key=y, matters=10, represented=5, non_member_matters=0, non_member_represented=0)
            for y in (2024, 2025, 2026)]
    path = [TargetPoint(year=y, pct=50 + (y - 2020), set_by_programme=y % 5 == 0) for y in range(2020, 2046)]
    svg = str(share_chart(rows, path, title="t", share_label="s", target_label="m"))
    xs = [float(x) for x, _y in re.findall(r'<text x="([\d.]+)" y="(\d+(?:\.\d+)?)" font-size="11" '
                                           r'text-anchor="middle">\d{4}</text>', svg)]
    assert len(xs) >= 5
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 34


def test_a_documents_date_is_not_called_the_date_received(app, client, org):
    login(client, "vanthu")
    page = client.get("/documents/new").get_data(as_text=True)
    assert page.count("Ngày tiếp nhận") == 0 or "Ngày lập dự thảo" in page
    with app.app_context():
        from caseflow.core import engine
        from tests.factories import user

        case = engine.open_case(db.session, "document_issuance", db.session.get(Unit, org["units"]["province"]),
                                user(org, "vanthu"), {"type_key": "thong_bao", "summary": "Thông báo lịch họp"},
                                title="Thông báo lịch họp")
        case_id = case.id
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    header = page[:page.index('id="action-forms"')]
    assert "Ngày lập dự thảo" in header and "Ngày tiếp nhận" not in header


@pytest.mark.parametrize("text, expected", [
    ("25/12/2026", date(2026, 12, 25)), ("5/1/2026", date(2026, 1, 5)), ("2026-02-17", date(2026, 2, 17)),
    ("", None), ("  ", None)])
def test_dates_are_read_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["12/25/2026", "31/02/2026", "25-12", "hôm nay", "2026/12/25"])
def test_a_bad_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_date_fields_show_and_read_dd_mm_yyyy_with_a_vietnamese_error(client, org):
    login(client, "vanthu")
    page = client.get("/inspection/desk").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="received_date"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'data-date="dmy"' in field and local_today().strftime("%d/%m/%Y") in field
    assert 'type="date"' not in page
    response = client.post("/inspection/desk", data={
        "csrf_token": csrf_token(client, "/inspection/desk"), "subject": "Đơn phản ánh", "received_date": "12/25/2026",
        "channel": "post", "unit_id": str(org["units"]["province"]), "content": "Nội dung đơn."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    at_field = page[page.index('id="received_date"'):][:800]
    assert "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 25/12/2026." in at_field
    assert 'value="12/25/2026"' in page  # what was typed comes back to be corrected
