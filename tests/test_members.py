"""The member register: the membership list's import (dry run naming each row's problems, all or nothing,
from the command line and the web), its history, the register's pages within the organisers' units."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseflow.core.models import RoleAssignment, User
from caseflow.extensions import db
from caseflow.reports.imports.reader import read_table
from caseflow.union.member_import import MemberImporter
from caseflow.union.members import look_up
from caseflow.union.models import Member, MemberEvent
from tests.conftest import csrf_token, logged_in
from tests.factories import user
from tests.member_helpers import GOOD, xlsx


def _importer(content: bytes, by: str, org) -> MemberImporter:
    return MemberImporter(db.session, user(org, by), read_table("list.xlsx", content), source="list.xlsx")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_clean_list_is_imported_with_its_history(ctx, org):
    result = _importer(xlsx(GOOD), "tochuc", org).commit()
    assert result.ok and result.imported == 3
    nhung = db.session.scalar(select(Member).where(Member.citizen_id == "052195001234"))
    assert (nhung.full_name, nhung.name_key, nhung.status, nhung.card_number) == (
        "Nguyễn Thị Hồng Nhung", "nguyen thi hong nhung", "active", "BĐ-0100001")
    duc = db.session.scalar(select(Member).where(Member.name_key == "tran van duc"))
    assert duc.citizen_id == "052188005678"  # the number Excel stored is padded back to its 12 digits
    anh = db.session.scalar(select(Member).where(Member.citizen_id == "052190009999"))
    assert (anh.birth_date, anh.admitted_date, anh.status, anh.card_number) == (
        date(1990, 1, 2), date(2022, 6, 15), "transferred", None)
    events = db.session.scalars(select(MemberEvent).order_by(MemberEvent.id)).all()
    assert [(e.action, e.source, e.actor_id) for e in events] == [
        ("imported", f"list.xlsx#{n}", org["users"]["tochuc"]) for n in (2, 3, 4)]


BAD = [
    ("Phạm Văn Bình", date(1990, 1, 1), "05219000123", "CĐCS-MMQN", date(2020, 1, 1), "", ""),     # 11 digits
    ("", date(1990, 1, 1), "052190001111", "CĐCS-XYZ", date(2020, 1, 1), "", ""),                  # no name, unit
    ("Võ Thị Cúc", date(1990, 1, 1), "052195001234", "LĐLĐ-QN", date(2030, 1, 1), "", "nghỉ"),     # 4 problems
    ("Hồ Văn Dũng", "31/02/1990", "052190002222", "CĐCS-HV", date(1989, 1, 1), "BĐ-0100001", ""),  # bad date, card
]


def test_the_dry_run_names_every_problem_of_every_row_and_nothing_is_written(ctx, org):
    importer = _importer(xlsx(GOOD + BAD), "tochuc", org)
    result = importer.commit()
    assert not result.ok and result.imported == 0
    assert _count(Member) == 0 and _count(MemberEvent) == 0
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(5, "Số CCCD"), (6, "Họ và tên"), (6, "Mã CĐCS"), (7, "Số CCCD"), (7, "Mã CĐCS"),
                     (7, "Ngày kết nạp"), (7, "Tình trạng"), (8, "Ngày sinh"), (8, "Số thẻ đoàn viên")}
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "12 chữ số" in reasons[(5, "Số CCCD")]
    assert "lặp lại (dòng 2)" in reasons[(7, "Số CCCD")]       # the same person twice in the file
    assert "không phải là công đoàn cơ sở" in reasons[(7, "Mã CĐCS")]
    assert "lặp lại (dòng 2)" in reasons[(8, "Số thẻ đoàn viên")]


def test_a_member_already_in_the_register_and_a_union_outside_the_actor_are_refused(ctx, org):
    assert _importer(xlsx(GOOD[:1]), "tochuc", org).commit().ok
    again = _importer(xlsx(GOOD[:1]), "tochuc", org).check()
    assert {e.column for e in again.errors} == {"Số CCCD", "Số thẻ đoàn viên"}
    # an organiser of An Nhơn's federation may not write Quy Nhơn's members
    local = User(username="tochuc_an", full_name="Tổ chức An Nhơn", password_hash="")
    local.set_password("caseflow2026")
    local.roles.append(RoleAssignment(role="organiser", unit_id=org["units"]["LĐLĐ-AN"]))
    db.session.add(local)
    db.session.commit()
    result = MemberImporter(db.session, local, read_table("x.xlsx", xlsx(GOOD[1:]))).check()
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã CĐCS")]
    # a legal officer keeps no register
    assert {e.column for e in _importer(xlsx(GOOD[1:]), "tuvan1", org).check().errors} == {"Mã CĐCS"}


def test_a_required_column_missing_is_named(ctx, org):
    content = xlsx([row[:3] for row in GOOD], headers=["STT", "Họ và tên", "Ngày sinh", "Số CCCD"])
    result = _importer(content, "tochuc", org).check()
    assert {(e.row, e.column) for e in result.errors} == {(1, "Mã CĐCS"), (1, "Ngày kết nạp")}


def test_the_command_dry_runs_then_commits(app, org, runner, tmp_path):
    path = tmp_path / "doan-vien.xlsx"
    path.write_bytes(xlsx(GOOD + BAD[:1]))
    refused = runner.invoke(args=["import-members", str(path), "--user", "tochuc", "--commit"])
    assert refused.exit_code == 1 and "dòng 5, cột “Số CCCD”" in refused.output
    path.write_bytes(xlsx(GOOD))
    dry = runner.invoke(args=["import-members", str(path), "--user", "tochuc"])
    assert dry.exit_code == 0 and "dry run: all 3 rows valid" in dry.output
    with app.app_context():
        assert _count(Member) == 0
    done = runner.invoke(args=["import-members", str(path), "--user", "tochuc", "--commit"])
    assert done.exit_code == 0 and "3 members imported" in done.output
    with app.app_context():
        assert _count(Member) == 3
    assert runner.invoke(args=["import-members", str(path), "--user", "nobody"]).exit_code == 2


def _upload(client, content: bytes):
    token = csrf_token(client, "/procedures/members/import")
    return client.post("/procedures/members/import", data={"csrf_token": token,
                                                           "file": (io.BytesIO(content), "doan-vien.xlsx")},
                       content_type="multipart/form-data")


def test_the_web_import_dry_runs_commits_and_the_register_is_searched(app, org, client):
    with logged_in(client, "tochuc"):
        bad = _upload(client, xlsx(GOOD + BAD[:1]))
        assert bad.status_code == 422 and 'id="commit"' not in bad.get_data(as_text=True)
        assert "12 chữ số" in bad.get_data(as_text=True)
        checked = _upload(client, xlsx(GOOD))
        html = checked.get_data(as_text=True)
        assert checked.status_code == 200 and 'id="commit"' in html
        action = re.search(r'action="(/procedures/members/import/[^"]+)"', html).group(1)
        done = client.post(action, data={"csrf_token": csrf_token(client, "/procedures/members/"),
                                         "filename": "doan-vien.xlsx"})
        assert done.status_code == 302
        assert client.post(action, data={"csrf_token": csrf_token(client, "/procedures/members/")}).status_code == 404
        for query in ("nguyen thi hong", "NGUYEN nhung", "Nguyễn Thị Hồng", "052195", "052195001234"):
            page = client.get("/procedures/members/", query_string={"q": query}).get_data(as_text=True)
            assert "Nguyễn Thị Hồng Nhung" in page and "Trần Văn Đức" not in page, query
        page = client.get("/procedures/members/", query_string={"status": "transferred"}).get_data(as_text=True)
        assert "Lê Thị Ánh" in page and "Trần Văn Đức" not in page
        with app.app_context():
            member_id = db.session.scalar(select(Member.id).where(Member.citizen_id == "052195001234"))
        shown = client.get(f"/procedures/members/{member_id}").get_data(as_text=True)
        assert "BĐ-0100001" in shown and "doan-vien.xlsx#2" in shown
        assert client.get("/procedures/members/999999").status_code == 404


@pytest.mark.parametrize("username,status", [("tuvan1", 403), ("kiemtra", 403), ("quynhon", 403),
                                             ("lanhdao", 200), ("vanthu", 200), ("admin", 200)])
def test_the_register_is_read_within_the_organising_roles(app, org, client, username, status):
    with logged_in(client, username):
        assert client.get("/procedures/members/").status_code == status
        imports = client.get("/procedures/members/import").status_code
        assert imports == (200 if username in ("lanhdao", "admin") else 403)


def test_a_member_outside_the_readers_units_is_not_found(app, org, client):
    with app.app_context():
        assert MemberImporter(db.session, db.session.get(User, org["users"]["tochuc"]),
                              read_table("x.xlsx", xlsx(GOOD))).commit().ok
        local = User(username="tochuc_an", full_name="Tổ chức An Nhơn", password_hash="")
        local.set_password("caseflow2026")
        local.roles.append(RoleAssignment(role="organiser", unit_id=org["units"]["LĐLĐ-AN"]))
        db.session.add(local)
        db.session.commit()
        quy_nhon = db.session.scalar(select(Member.id).where(Member.citizen_id == "052195001234"))
        an_nhon = db.session.scalar(select(Member.id).where(Member.citizen_id == "052190009999"))
    with logged_in(client, "tochuc_an"):
        listed = client.get("/procedures/members/").get_data(as_text=True)
        assert "Lê Thị Ánh" in listed and "Nguyễn Thị Hồng Nhung" not in listed
        assert client.get(f"/procedures/members/{quy_nhon}").status_code == 404
        assert client.get(f"/procedures/members/{an_nhon}").status_code == 200


def test_look_up_by_citizen_id_or_by_name_and_birth_date_without_diacritics(ctx, org):
    assert _importer(xlsx(GOOD), "tochuc", org).commit().ok
    by_id = look_up(db.session, citizen_id="052188005678")
    assert by_id.by == "citizen_id" and by_id.member.full_name == "Trần Văn Đức" and by_id.verified
    by_name = look_up(db.session, full_name="tran  van duc", birth_date=date(1988, 11, 20))
    assert by_name.by == "name_birth_date" and by_name.member.id == by_id.member.id
    assert look_up(db.session, full_name="Trần Văn Đức", birth_date=date(1988, 11, 21)) is None
    assert not look_up(db.session, citizen_id="052190009999").verified  # transferred: not a member in good standing
    assert look_up(db.session, citizen_id="0521880056") is None


def test_a_membership_list_over_the_limit_is_refused_at_the_field(app, org, client):
    """As the register import: a file over UPLOAD_MAX_FILE_MB is refused by the form, the limit said beside
    the file field, before anything is read or kept (never a bare 413 page)."""
    app.config["UPLOAD_MAX_FILE_MB"] = 1
    with logged_in(client, "tochuc"):
        refused = _upload(client, b"x" * (1024 * 1024 + 1))
        html = refused.get_data(as_text=True)
        assert refused.status_code == 413 and 'id="members-file"' in html and "is-invalid" in html
        assert "cf-file-error d-block" in html and "1 MB" in html
        assert 'id="commit"' not in html
        imports = Path(app.instance_path) / "imports"
        assert not imports.exists() or not any(imports.iterdir())  # nothing kept
        assert _upload(client, xlsx(GOOD)).status_code == 200  # a file within the limit goes on
