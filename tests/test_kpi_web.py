"""The reports pages: dashboard with a server-side SVG chart, drill-down, exports, targets, the import
steps, the conflict check at intake, hearings and limitation warnings on the case page."""
import io
import re
from datetime import UTC, date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from bench.bulkgen import generate
from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Case
from caseflow.extensions import db
from caseflow.legal_aid.models import LegalAidHearing
from caseflow.reports.imports.legal_aid import guess_mapping
from caseflow.reports.models import ConflictLink, RepresentationTarget
from caseflow.reports.targets import ensure_default_targets
from tests.factories import open_legal_aid, unit, user
from tests.test_kpi_import_export import HEADERS, good_row, xlsx_bytes


def _seed(app, org, n=400):
    with app.app_context():
        units = [i for k, i in org["units"].items() if k != "tld"]  # the leader sees the province down
        expected = generate(db.session, n, units, years=(2023, 2025), seed=5)
        ensure_default_targets(db.session)  # the migration writes them; PostgreSQL tests truncate every table
        db.session.remove()
    return expected


def test_dashboard_chart_definition_and_drilldown(app, client, org, auth):
    expected = _seed(app, org)
    auth.login("lanhdao")
    page = client.get("/reports/legal-aid?year=2024")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and 'class="target-path"' in html and "<script src=\"http" not in html
    assert html.count("kpi-definition") >= 2 and "đoàn viên hoặc tổ chức công đoàn" in html
    row = re.search(r'<tr data-year="2024">(.*?)</tr>', html, re.DOTALL).group(1)
    assert f">{expected.matters[2024]}</a>" in row
    assert 'href="/reports/legal-aid/cases?year=2024&amp;set=matters"' in row
    # drill-down: the cases behind the figure, the misses with their recorded reason
    drill = client.get("/reports/legal-aid/cases?set=unrepresented&year=2024")
    assert drill.status_code == 200
    text = drill.get_data(as_text=True)
    missed = expected.matters[2024] - expected.represented[2024]
    assert f"({missed})" in text and "không ủy quyền" in text
    export = client.get("/reports/legal-aid/cases.xlsx?set=unrepresented&year=2024")
    sheet = load_workbook(io.BytesIO(export.data)).active
    assert sheet.max_row == missed + 1
    csv_text = client.get("/reports/legal-aid.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Năm,")
    assert client.get("/reports/legal-aid/breakdown/forum.xlsx?year=2024").status_code == 200
    assert client.get("/reports/legal-aid/centre").status_code == 200
    assert client.get("/reports/legal-aid/centre.csv?from=2023-01-01&to=2025-12-31").status_code == 200
    assert client.get("/reports/cases.xlsx?kind=legal_aid").status_code == 200


def test_reports_need_a_reporting_role(client, org, auth):
    auth.login("vanthu")
    assert client.get("/reports/legal-aid").status_code == 403
    assert client.get("/reports/targets").status_code == 403


def test_case_titles_export_inert(app, client, org, auth):
    with app.app_context():
        case = open_legal_aid(org, worker='=HYPERLINK("http://evil.example","bấm")')
        code = case.code
        db.session.remove()
    auth.login("lanhdao")
    sheet = load_workbook(io.BytesIO(client.get("/reports/cases.xlsx").data)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == code)
    assert row[1].data_type == "s" and row[1].value.startswith("'=HYPERLINK")


def test_targets_are_editable(app, client, org, auth):
    auth.login("lanhdao")
    token = auth.csrf("/reports/targets")
    response = client.post("/reports/targets", data={"csrf_token": token, "year": "2027", "target_pct": "70,5",
                                                     "basis": "Nghị quyết mới"})
    assert response.status_code == 302
    assert client.post("/reports/targets", data={"csrf_token": token, "year": "2027",
                                                 "target_pct": "170"}).status_code == 422
    with app.app_context():
        assert float(db.session.get(RepresentationTarget, 2027).target_pct) == 70.5


def test_import_through_the_pages(app, client, org, auth):
    auth.login("lanhdao")
    token = auth.csrf("/reports/import")
    bad = xlsx_bytes([good_row(1), good_row(2, unit="KHÔNG-CÓ")])
    page = client.post("/reports/import", data={"csrf_token": token, "file": (io.BytesIO(bad), "so.xlsx")},
                       content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="map_unit"' in html
    upload = re.search(r'action="/reports/import/([0-9a-f]+\.xlsx)"', html).group(1)
    with app.app_context():
        mapping = {f"map_{k}": str(i) for k, i in guess_mapping(HEADERS).items()}
    assert f'<option value="{mapping["map_unit"]}" selected' in html
    form = {"csrf_token": token, "filename": "so.xlsx", **mapping}
    dry = client.post(f"/reports/import/{upload}", data={**form, "check": "1"})
    errors_table = dry.get_data(as_text=True).split('id="import-errors"')[1]
    assert dry.status_code == 422 and "Không có đơn vị nào có mã" in errors_table, errors_table[:2000]
    refused = client.post(f"/reports/import/{upload}", data={**form, "commit": "1"})
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Case).limit(1)) is None


def test_conflict_check_is_shown_before_opening(app, client, org, auth):
    with app.app_context():
        open_legal_aid(org, worker="Công ty TNHH Giày da An Nhơn")  # the company was itself a client
        db.session.add(ConflictLink(user_id=org["users"]["tuvan1"], name="Công ty CP Gỗ Thành Đạt",
                                    name_key="cong ty cp go thanh dat", relation="vợ là kế toán trưởng"))
        db.session.commit()
        db.session.remove()
    auth.login("vanthu")
    token = auth.csrf("/legal-aid/new")
    form = {"csrf_token": token, "unit_id": str(org["units"]["province"]), "received_date": local_today().isoformat(),
            "worker_name": "Lê Văn Bình", "channel": "walk_in", "party_status": "member", "need": "litigation",
            "dispute_type": "wages", "employer_name": "CÔNG TY TNHH GIÀY DA AN NHƠN",
            "opposing_party": "Công ty CP Gỗ Thành Đạt", "facts": "Nợ lương."}
    page = client.post("/legal-aid/new", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="conflicts"' in html
    assert "TV-2026-0001" in html or "đã là người được Trung tâm hỗ trợ" in html
    assert "vợ là kế toán trưởng" in html
    opened = client.post("/legal-aid/new", data={**form, "conflict_note": "Giao cán bộ khác xử lý."})
    assert opened.status_code == 302


def test_hearings_are_rows_and_limitation_warnings_show(app, client, org, auth):
    with app.app_context():
        case = open_legal_aid(org, breach_known_date=local_today() - timedelta(days=260))
        officer = user(org, "tuvan1")
        for trigger, data in [("start_consultation", {}), ("propose_representation", {})]:
            engine.fire(case, trigger, officer, data, comment="x")
        engine.fire(case, "approve_representation", user(org, "lanhdao"))
        engine.fire(case, "sign_authorisation", officer, {"authorisation_signed_date": local_today()})
        engine.fire(case, "start_conciliation", officer, {"rep_role": "authorised_representative"})
        engine.fire(case, "record_hearing", officer, {"hearing_date": local_today(), "hearing_result": "no_settlement"},
                    comment="Hòa giải không thành")
        hearings = db.session.scalars(select(LegalAidHearing)).all()
        assert [(h.forum, h.result) for h in hearings] == [("conciliation", "no_settlement")]
        case_id = case.id
        db.session.remove()
    auth.login("tuvan1")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="hearings"' in html and "Hòa giải không thành" in html
    # 260 days after the breach: conciliation (6 months) is past but reached already; arbitration (9) is near
    assert 'id="limitation"' in html and "Bộ luật Lao động 2019, Điều 190" in html


def test_past_years_kept_until_an_import_changes_them(app, client, org, auth):
    from datetime import datetime

    from caseflow.legal_aid.models import LegalAidDetail
    from tests.test_kpi_bulkgen import IMPORT

    auth.login("lanhdao")

    def figure_2024():
        html = client.get("/reports/legal-aid").get_data(as_text=True)
        match = re.search(r'<tr data-year="2024">.*?class="drill">(\d+)</a>', html, re.DOTALL)
        return int(match.group(1)) if match else 0

    assert figure_2024() == 0
    with app.app_context():
        engine.import_case(db.session, "legal_aid", unit(org), user(org, "tuvan1"), {**IMPORT, "outcome": "won"},
                           state="closed", title="A", received_date=date(2024, 1, 5),
                           closed_dt=datetime(2024, 5, 1, tzinfo=UTC))
        assert db.session.scalar(select(LegalAidDetail.closed_year)) == 2024
        case = open_legal_aid(org, received=local_today())  # a member's matter advised and closed today
        for trigger, data in [("start_consultation", {}), ("give_advice", {"rep_role": "lawyer"}), ("close", {})]:
            engine.fire(case, trigger, user(org, "tuvan1"), data, comment="Đã tư vấn")
        db.session.remove()
    assert figure_2024() == 1
    html = client.get("/reports/legal-aid").get_data(as_text=True)
    this_year = re.search(rf'<tr data-year="{local_today().year}">(.*?)</tr>', html, re.DOTALL).group(1)
    assert re.findall(r'class="drill">(\d+)</a>', this_year)[:2] == ["1", "1"]
    assert 'id="breakdown-unit"' in html and f"{local_today().year}" in html
