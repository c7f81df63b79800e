"""The union's internal procedures through the web client: intake, every path fired through the case page's
forms, the dossier checklist with uploads, refusals naming the missing item, settings, rounds, targets,
the enterprise register and the organisation tree (a provincial merger entered without code)."""
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.models import Case, Unit
from caseflow.extensions import db
from caseflow.union.demo import CASE_UNIT, FINAL, INTAKE, INTAKE_OVERRIDES, PATHS, seed_rounds, seed_targets
from caseflow.union.models import Enterprise, UnitFounding, UnitOfficer
from caseflow.union.org import name_on
from tests.conftest import csrf_token, login

TODAY = local_today()
USER_FOR_ROLE = {"organiser": "tochuc", "leader": "lanhdao", "clerk": "vanthu", "inspector": "kiemtra"}
ALL_PATHS = [(w, p) for w, paths in PATHS.items() for p in paths]


class Clients:
    """One logged-in test client per user (cookies kept apart)."""

    def __init__(self, app):
        self.app, self.clients = app, {}

    def __call__(self, username):
        if username not in self.clients:
            client = self.app.test_client()
            login(client, username)
            self.clients[username] = client
        return self.clients[username]


def _form_value(value):
    if isinstance(value, bool):
        return "y" if value else ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def open_via_web(client, org, workflow, path, received):
    title, data = INTAKE[workflow]
    data = {**data, **INTAKE_OVERRIDES.get((workflow, path), {})}
    if workflow == "discipline":  # as the demo does: the limitation runs from the violation, a month before
        data["violation_date"] = received - timedelta(days=30)
    token = csrf_token(client, f"/procedures/{workflow}/new")
    form = {"csrf_token": token, "unit_id": str(org["units"][CASE_UNIT[workflow]]), "title": title,
            "received_date": received.isoformat(), **{k: _form_value(v) for k, v in data.items() if v is not False}}
    response = client.post(f"/procedures/{workflow}/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def fire_via_web(client, case_id, trigger, data, comment=""):
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    version = re.search(rf'id="{trigger}-expected_version" name="{trigger}-expected_version" type="hidden" '
                        rf'value="(\d+)"', page)
    assert version, f"no form for {trigger} on the case page"
    form = {f"{trigger}-csrf_token": token.group(1), f"{trigger}-expected_version": version.group(1),
            f"{trigger}-comment": comment or "Ghi chú"}
    form.update({f"{trigger}-{k}": _form_value(v) for k, v in data.items() if v is not False})
    return client.post(f"/cases/{case_id}/fire/{trigger}", data=form)


def upload_via_web(client, case_id, item, content=b"%PDF-1.4 scan"):
    token = csrf_token(client, f"/cases/{case_id}")
    return client.post(f"/procedures/cases/{case_id}/dossier", content_type="multipart/form-data",
                       data={"csrf_token": token, "item": item, "file": (io.BytesIO(content), f"{item}.pdf")})


def upload_all(client, case_id):
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    for item in re.findall(r'<tr data-item="([a-z_]+)" class="table-warning"', page):
        assert upload_via_web(client, case_id, item).status_code == 302


@pytest.mark.parametrize("workflow,path", ALL_PATHS)
def test_every_path_through_the_web_client(app, org, workflow, path):
    with app.app_context():
        seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    users = Clients(app)
    day0 = TODAY - timedelta(days=20 if workflow == "commendation" else 41)
    opener = "kiemtra" if workflow == "discipline" else "tochuc"
    case_id = open_via_web(users(opener), org, workflow, path, TODAY - timedelta(days=40))
    steps = PATHS[workflow][path]
    with app.app_context():
        complaint = "complaint" in get_registry().latest
    if path == "complaint" and not complaint:
        steps = steps[:-2]
    for trigger, role, build, comment in steps:
        client = users(USER_FOR_ROLE[role])
        if trigger == "upload":
            upload_all(client, case_id)
            continue
        response = fire_via_web(client, case_id, trigger, build(day0), comment)
        assert response.status_code == 302, (trigger, response.get_data(as_text=True)[:3000])
    with app.app_context():
        case = db.session.get(Case, case_id)
        expected = FINAL[path] if (path != "complaint" or complaint) else "notified"
        assert case.state == expected
    page = users(opener).get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="case-state"' in page
    if workflow == "discipline" and path == "complaint" and not complaint:
        assert "pending" in page or "chưa được cài đặt" in page


def test_missing_item_refused_naming_it_then_allowed_after_upload(app, org):
    users = Clients(app)
    organiser = users("tochuc")
    case_id = open_via_web(organiser, org, "committee_recognition", "recognised", TODAY - timedelta(days=5))
    steps = PATHS["committee_recognition"]["recognised"]
    fire_via_web(organiser, case_id, "hold_first_meeting", steps[0][2](TODAY - timedelta(days=5)))
    for item in ("request_letter", "vote_count_minutes", "officer_summaries", "congress_minutes"):
        upload_via_web(organiser, case_id, item)
    # said before the click (issue 18): submit is disabled, naming the missing item, and offers no form
    page = organiser.get(f"/cases/{case_id}").get_data(as_text=True)
    refusal = re.search(r'<li id="refusal-submit">(.*?)</li>', page, re.DOTALL)
    assert refusal and "Biên bản hội nghị BCH lần thứ nhất" in refusal.group(1)
    assert "Biên bản kiểm phiếu" not in refusal.group(1) and 'id="form-submit"' not in page
    token = csrf_token(organiser, f"/cases/{case_id}")
    response = organiser.post(f"/cases/{case_id}/fire/submit", data={"submit-csrf_token": token})
    assert response.status_code == 422  # posted anyway: refused, naming it
    page = response.get_data(as_text=True)
    assert "Biên bản hội nghị BCH lần thứ nhất" in page
    assert "Biên bản kiểm phiếu" not in page.split('id="dossier"')[0]  # only the missing item is named
    assert upload_via_web(organiser, case_id, "first_meeting_minutes").status_code == 302
    page = organiser.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'data-item="first_meeting_minutes" class="table-success"' in page
    assert fire_via_web(organiser, case_id, "submit", {}).status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id).state == "submitted"


def test_attachments_download_only_within_scope(app, org):
    users = Clients(app)
    case_id = open_via_web(users("tochuc"), org, "cdcs_founding", "recognised", TODAY)
    upload_via_web(users("tochuc"), case_id, "request_letter", b"noi dung")
    page = users("tochuc").get(f"/cases/{case_id}").get_data(as_text=True)
    link = re.search(r'href="(/procedures/attachments/\d+)"', page).group(1)
    response = users("tochuc").get(link)
    assert response.status_code == 200 and response.data == b"noi dung"
    assert users("quynhon").get(link).status_code in (200, 404)  # Quy Nhơn's officer: the case is in Quy Nhơn
    with app.app_context():
        db.session.get(Case, case_id).unit_id = org["units"]["LĐLĐ-AN"]
        db.session.commit()
    assert users("quynhon").get(link).status_code == 404


def test_upload_refused_for_an_unknown_item_and_without_a_role(app, org):
    users = Clients(app)
    case_id = open_via_web(users("tochuc"), org, "cdcs_founding", "recognised", TODAY)
    assert upload_via_web(users("tochuc"), case_id, "not_an_item").status_code == 400


def test_settings_page_changes_a_value_with_its_basis(app, org):
    users = Clients(app)
    admin = users("admin")
    assert users("tochuc").get("/procedures/settings").status_code == 403
    page = admin.get("/procedures/settings").get_data(as_text=True)
    assert "HD 38/HD-TLĐ (2024), §10.4" in page
    token = csrf_token(admin, "/procedures/settings")
    response = admin.post("/procedures/settings", data={"csrf_token": token, "workflow": "committee_recognition",
                                                        "key": "btv_min_bch", "value": "7", "basis": ""})
    assert response.status_code == 422
    response = admin.post("/procedures/settings", data={"csrf_token": token, "workflow": "committee_recognition",
                                                        "key": "btv_min_bch", "value": "7",
                                                        "basis": "Điều lệ sửa đổi (giả định)"})
    assert response.status_code == 302
    response = admin.post("/procedures/settings", data={"csrf_token": token, "workflow": "cdcs_founding",
                                                        "key": "dossier:labour_report", "value": "optional",
                                                        "basis": "Ý kiến Ban Tổ chức"})
    assert response.status_code == 302
    page = admin.get("/procedures/settings").get_data(as_text=True)
    assert "Điều lệ sửa đổi (giả định)" in page and "Ý kiến Ban Tổ chức" in page
    with app.app_context():
        from caseflow.union.config import dossier_items, setting

        assert setting(db.session, get_registry().get("committee_recognition"), "btv_min_bch") == 7
        items = {i.key: i for i in dossier_items(db.session, get_registry().get("cdcs_founding"))}
        assert items["labour_report"].required is False and items["request_letter"].required is True


def test_rounds_page(app, org):
    users = Clients(app)
    organiser = users("tochuc")
    token = csrf_token(organiser, "/procedures/rounds")
    response = organiser.post("/procedures/rounds", data={"csrf_token": token, "year": "2027",
                                                          "title": "Khen thưởng năm 2027",
                                                          "cut_off_date": "2027-10-15", "basis": "Kế hoạch"})
    assert response.status_code == 302
    assert "15/10/2027" in organiser.get("/procedures/rounds").get_data(as_text=True)
    assert users("quynhon").get("/procedures/rounds").status_code == 403


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã số thuế", "Tên doanh nghiệp", "Số lao động", "Địa chỉ", "Công đoàn cấp trên", "Mã CĐCS"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_targets_page_counts_foundings_beside_the_seed_targets(app, org):
    from caseflow.union.demo import walk
    from tests.factories import unit, user

    with app.app_context():
        seed_targets(db.session)
        actors = {"organiser": user(org, "tochuc"), "leader": user(org, "lanhdao"), "clerk": user(org, "vanthu")}
        from caseflow.union.demo import open_for_path

        case = open_for_path(db.session, "cdcs_founding", "recognised", unit(org, "LĐLĐ-QN"), actors["organiser"],
                             date(2026, 1, 5))
        walk(db.session, case, PATHS["cdcs_founding"]["recognised"], actors, app.config["STORAGE_DIR"],
             date(2026, 2, 1))
    users = Clients(app)
    admin = users("admin")
    token = csrf_token(admin, "/procedures/targets")
    xlsx = _xlsx([["4101234567", "Công ty TNHH Điện tử Nhơn Hội", 140, "KKT Nhơn Hội", "LĐLĐ-QN", None],
                  ["4100000001", "Công ty CP Gỗ Thành Đạt", 300, "An Nhơn", "LĐLĐ-AN", "CĐCS-GTĐ"],
                  ["4100000002", "Công ty TNHH Đá Phú Tài", 60, "Quy Nhơn", "LĐLĐ-QN", None],
                  ["4100000003", "Hộ kinh doanh nhỏ", 12, "Tuy Phước", None, None],
                  ["12AB", "Sai mã số thuế", 40, "", None, None]])
    response = admin.post("/procedures/enterprises/import", content_type="multipart/form-data",
                          data={"csrf_token": token, "file": (xlsx, "doanh_nghiep.xlsx")})
    assert response.status_code == 302
    page = admin.get("/procedures/targets").get_data(as_text=True)
    assert "6: " in page and "12AB" in page  # the bad tax code is reported by its row
    assert "19.000" in page and "105.000" in page and "130.000" in page
    lacking = page.split('id="lacking"')[1].split("</table>")[0]
    assert "Công ty TNHH Đá Phú Tài" in lacking
    assert "Điện tử Nhơn Hội" not in lacking  # founded through caseflow before the register listed it
    assert "Gỗ Thành Đạt" not in lacking and "Hộ kinh doanh nhỏ" not in lacking
    year_row = re.search(r'<tr class="fw-semibold" data-year="2026">(.*?)</tr>', page, re.DOTALL).group(1)
    assert re.findall(r">(\d+)</td>", year_row) == ["2026", "1", "11"]
    assert "2 of 3 such enterprises" in page or "2/3" in page or "2 trên 3" in page
    response = admin.post("/procedures/targets", data={"csrf_token": token, "target_id": "1", "value": "20000",
                                                       "basis": "Điều chỉnh chỉ tiêu"})
    assert response.status_code == 302
    assert users("tochuc").post("/procedures/targets", data={"csrf_token": token, "target_id": "1", "value": "1",
                                                             "basis": "x"}).status_code in (400, 403)


def test_an_enterprise_in_the_register_is_linked_when_its_union_is_recognised(app, org):
    from caseflow.union.demo import open_for_path, walk
    from tests.factories import unit, user

    with app.app_context():
        db.session.add(Enterprise(tax_code="4101234567", name="Công ty TNHH Điện tử Nhơn Hội", workers_count=140,
                                  superior_unit_id=org["units"]["LĐLĐ-AN"]))
        db.session.commit()
        actors = {"organiser": user(org, "tochuc"), "leader": user(org, "lanhdao")}
        case = open_for_path(db.session, "cdcs_founding", "recognised", unit(org, "LĐLĐ-QN"), actors["organiser"],
                             date(2026, 1, 5))
        from caseflow.core.engine.errors import GuardFailed

        with pytest.raises(GuardFailed) as refused:
            walk(db.session, case, PATHS["cdcs_founding"]["recognised"], actors, app.config["STORAGE_DIR"],
                 date(2026, 2, 1))
        assert "LĐLĐ-AN" in refused.value.reasons[0]  # the register names An Nhơn: transfer
        enterprise = db.session.scalar(select(Enterprise))
        enterprise.superior_unit_id = org["units"]["LĐLĐ-QN"]
        db.session.commit()
        case = db.session.get(Case, case.id)
        from caseflow.core import engine

        engine.fire(case, "recognise", actors["leader"], {"unit_code": "CĐCS-ĐTNH", "decision_number": "1/QĐ",
                                                          "decision_date": date(2026, 3, 1)})
        founding = db.session.scalar(select(UnitFounding))
        assert db.session.scalar(select(Enterprise)).cdcs_unit_id == founding.unit_id


def test_merger_of_provinces_entered_through_the_org_pages(app, org):
    users = Clients(app)
    admin = users("admin")
    assert users("tochuc").get("/org/").status_code == 403
    province = org["units"]["province"]
    token = csrf_token(admin, f"/org/units/{province}")
    response = admin.post(f"/org/units/{province}/change", data={
        "csrf_token": token, "valid_from": "2025-06-12", "name": "Liên đoàn Lao động tỉnh Gia Lai",
        "place": "Gia Lai", "parent_id": "", "basis": "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        unit = db.session.get(Unit, province)
        assert name_on(db.session, unit, date(2025, 6, 11)) == "Liên đoàn Lao động tỉnh Bình Định"
        assert name_on(db.session, unit, date(2025, 6, 12)) == "Liên đoàn Lao động tỉnh Gia Lai"
        assert unit.name == "Liên đoàn Lao động tỉnh Gia Lai" and unit.place == "Gia Lai"
    old = admin.get("/org/?on=2025-06-11").get_data(as_text=True)
    assert "Liên đoàn Lao động tỉnh Bình Định" in old
    assert "Liên đoàn Lao động tỉnh Gia Lai" in admin.get("/org/").get_data(as_text=True)
    response = admin.post(f"/org/units/{province}/change", data={
        "csrf_token": token, "valid_from": "2025-06-12", "name": "", "basis": ""})
    assert response.status_code == 422


def test_moving_a_unit_re_roots_its_subtree_and_officers_are_editable(app, org):
    users = Clients(app)
    admin = users("admin")
    token = csrf_token(admin, "/org/")
    response = admin.post("/org/units/new", data={
        "csrf_token": token, "code": "CĐ-KCN", "name": "Công đoàn các Khu công nghiệp tỉnh", "kind": "superior",
        "parent_id": str(org["units"]["province"]), "place": "", "valid_from": "2026-01-01",
        "basis": "Quyết định 01/QĐ-LĐLĐ"})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    hv = org["units"]["CĐCS-HV"]
    response = admin.post(f"/org/units/{hv}/change", data={
        "csrf_token": token, "valid_from": "2026-02-01", "parent_id": str(new_id), "basis": "Quyết định 02/QĐ-LĐLĐ"})
    assert response.status_code == 302
    with app.app_context():
        moved = db.session.get(Unit, hv)
        assert moved.parent_id == new_id and moved.path.startswith(db.session.get(Unit, new_id).path)
    response = admin.post(f"/org/units/{new_id}/change", data={
        "csrf_token": token, "valid_from": "2026-03-01", "parent_id": str(hv), "basis": "vòng lặp"})
    assert response.status_code == 422  # not under its own subtree
    response = admin.post(f"/org/units/{hv}/officers", data={
        "csrf_token": token, "full_name": "Trần Thị Mỹ", "position": "chair", "term": "2023–2028",
        "from_date": "2023-05-01", "decision_number": "12/QĐ-CĐKKT"})
    assert response.status_code == 302
    with app.app_context():
        officer = db.session.scalar(select(UnitOfficer).where(UnitOfficer.unit_id == hv))
        officer_id = officer.id
    response = admin.post(f"/org/officers/{officer_id}/end", data={"csrf_token": token, "to_date": "2026-04-30"})
    assert response.status_code == 302
    response = admin.post(f"/org/units/{hv}/close", data={"csrf_token": token, "last_day": "2026-12-31",
                                                          "basis": "Doanh nghiệp giải thể"})
    assert response.status_code == 302
    page = admin.get(f"/org/units/{hv}").get_data(as_text=True)
    assert "Trần Thị Mỹ" in page and "30/04/2026" in page and "31/12/2026" in page


def test_intake_needs_an_intake_role_and_a_known_workflow(app, org):
    users = Clients(app)
    assert users("tuvan1").get("/procedures/cdcs_founding/new").status_code == 403  # a legal officer
    assert users("tochuc").get("/procedures/legal_aid/new").status_code == 404  # not a union procedure here
    assert users("tochuc").get("/procedures/nothing/new").status_code == 404
    page = users("tochuc").get("/procedures/").get_data(as_text=True)
    assert 'id="new-cdcs_founding"' in page and 'id="new-discipline"' not in page  # discipline: UBKT, leaders
    token = csrf_token(users("tochuc"), "/procedures/cdcs_founding/new")
    response = users("tochuc").post("/procedures/cdcs_founding/new", data={
        "csrf_token": token, "unit_id": str(org["units"]["LĐLĐ-QN"]), "title": "Thiếu dữ liệu",
        "received_date": (TODAY + timedelta(days=3)).isoformat(), "enterprise_name": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Trường này là bắt buộc." in page


def test_unit_codes_match_without_diacritics(app, org):
    from caseflow.union.org import unit_by_code

    with app.app_context():
        assert unit_by_code(db.session, "LDLD-AN").id == org["units"]["LĐLĐ-AN"]
        assert unit_by_code(db.session, "LĐLĐ-AN").id == org["units"]["LĐLĐ-AN"]
        assert unit_by_code(db.session, "  ") is None
