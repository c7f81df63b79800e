"""Verified membership: a member imported from the union's membership list is found by legal-aid intake (the
web page, the portal) by name without diacritics and date of birth, or by citizen ID, and the matter records
the member's id; the KPI page's "membership verified" count equals a hand count."""
from __future__ import annotations

import random
import re
from datetime import date

from sqlalchemy import select

from caseflow.core import engine
from caseflow.core.models import CaseEvent
from caseflow.demo import PATHS, step_data
from caseflow.extensions import db
from caseflow.legal_aid.models import LegalAidDetail
from caseflow.reports import kpi
from caseflow.reports.imports.reader import read_table
from caseflow.union.member_import import MemberImporter
from caseflow.union.models import Member
from tests.conftest import csrf_token, logged_in
from tests.factories import INTAKE, unit, user
from tests.member_helpers import GOOD, xlsx

ACTORS = {"legal_officer": "tuvan1", "leader": "lanhdao"}


def _import(org):
    result = MemberImporter(db.session, user(org, "tochuc"), read_table("ds.xlsx", xlsx(GOOD)),
                            source="ds.xlsx").commit()
    assert result.ok
    return {m.citizen_id: m.id for m in db.session.scalars(select(Member))}


def _web_intake(client, org, **fields):
    form = {"csrf_token": csrf_token(client, "/legal-aid/new"), "unit_id": str(org["units"]["province"]),
            "received_date": "2026-11-20", **{k: ("y" if v is True else v) for k, v in INTAKE.items() if v is not False},
            **fields}
    response = client.post("/legal-aid/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    return int(re.search(r"/cases/(\d+)", response.headers["Location"]).group(1))


def test_intake_finds_an_imported_member_by_name_without_diacritics_and_by_citizen_id(app, org, client):
    with app.app_context():
        ids = _import(org)
    with logged_in(client, "tuvan1"):
        by_name = _web_intake(client, org, worker_name="tran van duc", worker_birth_date="1988-11-20",
                              party_status="non_member")
        by_id = _web_intake(client, org, worker_name="Nhung", worker_id_number="052195001234")
        wrong_day = _web_intake(client, org, worker_name="Trần Văn Đức", worker_birth_date="1988-11-21")
        transferred = _web_intake(client, org, worker_name="Lê Thị Ánh", worker_id_number="052190009999")
    with app.app_context():
        detail = {cid: db.session.get(LegalAidDetail, cid) for cid in (by_name, by_id, wrong_day, transferred)}
        assert (detail[by_name].member_id, detail[by_name].party_status) == (ids["052188005678"], "member")
        assert detail[by_id].member_id == ids["052195001234"]
        assert detail[wrong_day].member_id is None and detail[transferred].member_id is None
        opened = {cid: db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == cid, CaseEvent.seq == 1))
                  for cid in (by_name, wrong_day)}
        events = {cid: e.payload["membership"] for cid, e in opened.items()}
        assert events[by_name] == {"verified": True, "by": "name_birth_date", "member_id": ids["052188005678"],
                                   "typed": "non_member"}
        assert events[wrong_day] == {"verified": False, "typed": "member"}
        # the date of birth is personal data: never in the audit payload
        assert "worker_birth_date" not in opened[by_name].payload


def test_the_portal_request_is_verified_too(app, org):
    from tests.portal_helpers import LEGAL_HELP, send

    with app.app_context():
        ids = _import(org)
    person = app.test_client()
    response = send(person, "/cong-khai/yeu-cau-tu-van", {**LEGAL_HELP, "full_name": "NGUYEN THI HONG NHUNG",
                                                          "birth_date": "1995-03-08", "member": "non_member"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        detail = db.session.scalars(select(LegalAidDetail).order_by(LegalAidDetail.case_id.desc())).first()
        assert (detail.member_id, detail.party_status) == (ids["052195001234"], "member")


def _matter(org, rng, path, worker, *, id_number=None, birth=None, status="member", need="consultation"):
    data = {**INTAKE, "party_status": status, "need": "general_question" if path == "question" else need,
            "worker_birth_date": birth}
    case = engine.open_case(db.session, "legal_aid", unit(org), user(org, "vanthu"), data,
                            title=f"{worker} – Tiền lương", received_date=date(2025, 3, 1),
                            parties=[{"role": "worker", "full_name": worker, "id_number": id_number,
                                      "confidential": False}])
    for trigger, role in PATHS[path]:
        form, comment = step_data(trigger, rng, case.received_date, date(2025, 6, 1))
        engine.fire(case, trigger, user(org, ACTORS[role]), form, comment=comment or "lý do")
    return case


def test_the_verified_count_equals_a_hand_count(app, org, client, clock):
    rng = random.Random(15)
    with app.app_context():
        _import(org)
        clock(date(2025, 6, 1))
        _matter(org, rng, "advice", "Nguyễn Thị Hồng Nhung", id_number="052195001234")          # verified
        _matter(org, rng, "advice", "tran van duc", birth=date(1988, 11, 20), status="non_member")  # verified
        _matter(org, rng, "withdrawn", "Trần Văn Đức", id_number="052188005678")               # verified
        _matter(org, rng, "advice", "Lê Thị Ánh", id_number="052190009999")   # transferred: typed only
        _matter(org, rng, "conciliation", "Đinh Văn Lạ", need="litigation")  # not in the register
        _matter(org, rng, "question", "Nguyễn Thị Hồng Nhung", id_number="052195001234")  # not a matter
        _matter(org, rng, "referred", "Nguyễn Thị Hồng Nhung", id_number="052195001234")  # not counted
        _matter(org, rng, "advice", "Vũ Văn Khách", status="non_member")     # beside the share
        clock(date(2026, 11, 20))
        assert kpi.verified_by_year(db.session) == {2025: 3}
        (row,) = kpi.share_by_year(db.session)
        assert row.matters == 5
    with logged_in(client, "lanhdao"):
        page = client.get("/reports/legal-aid?year=2025").get_data(as_text=True)
    cells = re.search(r'<tr data-year="2025">(.*?)</tr>', page, re.DOTALL).group(1)
    assert re.search(r'class="text-end verified">\s*3\s*<', cells), cells


def test_targets_count_admissions_against_the_19000(app, org, client):
    from caseflow.union.demo import PATHS, open_for_path, seed_targets, walk

    with app.app_context():
        seed_targets(db.session)
        actors = {"organiser": user(org, "tochuc"), "leader": user(org, "lanhdao"), "clerk": user(org, "vanthu")}
        day0 = date(2023, 3, 1)
        for path in ("admitted", "admitted", "not_admitted"):
            case = open_for_path(db.session, "member_admission", path, unit(org, "CĐCS-MMQN"), actors["organiser"],
                                 date(2023, 3, 2))
            walk(db.session, case, PATHS["member_admission"][path], actors, app.config["STORAGE_DIR"], day0)
        _import(org)  # members of earlier lists are not admissions made here
    with logged_in(client, "lanhdao"):
        page = client.get("/reports/targets").get_data(as_text=True)
    row = re.search(r'<tr data-target="2021-2023">(.*?)</tr>', page, re.DOTALL).group(1)
    assert "19.000" in row and re.search(r'class="text-end admitted">2<', row), row
