"""Paths through the union's internal procedures, with plausible data, walked through the engine:
the demo data and the tests use the same paths (so every path is exercised the way the app runs it)."""
from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.engine import get_registry
from caseflow.core.models import Case, Unit, User
from caseflow.union.dossier import attach, missing_items
from caseflow.union.models import CommendationRound, MembershipTarget

#: a step: (trigger, role, data builder(day0) -> dict, comment); "upload" attaches every missing dossier item
Step = tuple[str, str, Callable[[date], dict], str]

OFFICERS_SMALL = ("Nguyễn Thị Hồng | Chủ tịch\nTrần Văn Lực | Phó Chủ tịch\nLê Thị Thu | Ủy viên BCH\n"
                  "Phạm Văn Sơn | Chủ nhiệm UBKT")
NINE_OFFICERS = ["Võ Thị Ngọc Ánh | Chủ tịch, Ủy viên BTV", "Đặng Văn Bảo | Phó Chủ tịch, Ủy viên BTV",
                 "Huỳnh Thị Cúc | Ủy viên BTV", "Bùi Văn Danh | Ủy viên BCH", "Đỗ Thị Én | Ủy viên BCH",
                 "Hồ Văn Giang | Ủy viên BCH", "Ngô Thị Hạnh | Ủy viên BCH", "Dương Văn Khánh | Ủy viên BCH",
                 "Đào Thị Lệ | Ủy viên BCH", "Lê Văn Mạnh | Chủ nhiệm UBKT"]
OFFICERS_NINE = "\n".join(NINE_OFFICERS)
OFFICERS_WITH_MANAGER = OFFICERS_SMALL + "\nTrương Văn Quý | Ủy viên BCH | quản lý"


def _d(days: int) -> Callable[[date], date]:
    return lambda day0: day0 + timedelta(days=days)


def const(data: dict) -> Callable[[date], dict]:
    return lambda day0: {k: (v(day0) if callable(v) else v) for k, v in data.items()}


NONE = const({})
ADMIT = [("request_admission", "organiser", const({"applications_count": 12}), ""),
         ("admit_members", "leader", const({"members_admitted": 11, "admission_date": _d(5)}), "")]
CONGRESS = [("hold_congress", "organiser", const({"congress_date": _d(12), "attendees": 10, "term": "2026–2031",
                                                  "officers_text": OFFICERS_SMALL}), "")]
RECOGNISE = ("recognise", "leader", const({"unit_code": "CĐCS-MOI", "decision_number": "125/QĐ-LĐLĐ",
                                          "decision_date": _d(25)}), "")
UPLOAD: Step = ("upload", "organiser", NONE, "")

PATHS: dict[str, dict[str, list[Step]]] = {
    "cdcs_founding": {
        "recognised": ADMIT + CONGRESS + [UPLOAD, ("submit_dossier", "organiser", NONE, ""),
                                          ("request_supplement", "organiser", NONE,
                                           "Thiếu biên bản kiểm phiếu có chữ ký tổ bầu cử."),
                                          ("resubmit", "organiser", NONE, ""), RECOGNISE],
        "manager_excluded": ADMIT + [("hold_congress", "organiser", const({
            "congress_date": _d(12), "attendees": 10, "term": "2026–2031", "officers_text": OFFICERS_WITH_MANAGER}),
            "")] + [UPLOAD, ("submit_dossier", "organiser", NONE, ""),
                    ("exclude_officer", "leader", const({"officer_name": "Trương Văn Quý"}),
                     "Là người quản lý doanh nghiệp, không đủ điều kiện."), RECOGNISE],
        "refused": ADMIT + CONGRESS + [UPLOAD, ("submit_dossier", "organiser", NONE, ""),
                                       ("refuse", "leader", NONE, "Đại hội không đủ số đoàn viên tham dự.")],
        "transferred": [("request_admission", "organiser", const({"applications_count": 8}), ""),
                        ("transfer", "leader", const({"transferred_to": "LĐLĐ-AN"}),
                         "Doanh nghiệp đặt trụ sở tại An Nhơn.")],
        "abandoned": [("request_admission", "organiser", const({"applications_count": 3}), ""),
                      ("refuse_admission", "leader", NONE, "Chưa đủ 05 đơn gia nhập hợp lệ."),
                      ("abandon", "organiser", NONE, "Người lao động chưa có nhu cầu.")],
    },
    "committee_recognition": {
        "recognised": [("hold_first_meeting", "organiser", const({"meeting_date": _d(1), "officers_text": OFFICERS_NINE}),
                        ""), UPLOAD, ("submit", "organiser", NONE, ""),
                       ("return_for_supplement", "organiser", NONE, "Bổ sung sơ yếu lý lịch Phó Chủ tịch."),
                       ("resubmit", "organiser", NONE, ""),
                       ("recognise", "leader", const({"decision_number": "130/QĐ-LĐLĐ", "decision_date": _d(15)}), "")],
        "refused": [("hold_first_meeting", "organiser", const({"meeting_date": _d(1), "officers_text": OFFICERS_SMALL}),
                     ""), UPLOAD, ("submit", "organiser", NONE, ""),
                    ("refuse", "leader", NONE, "Đại hội không đúng trình tự.")],
    },
    "committee_supplement": {
        "recognised": [("approve_in_principle", "leader", const({"approval_date": _d(2)}), ""),
                       ("record_election", "organiser", const({"election_date": _d(10),
                                                               "officers_text": "Phan Thị Nga | Ủy viên BCH"}), ""),
                       UPLOAD, ("request_recognition", "organiser", NONE, ""),
                       ("return_for_supplement", "organiser", NONE, "Thiếu biên bản kiểm phiếu."),
                       ("resubmit", "organiser", NONE, ""),
                       ("recognise", "leader", const({"decision_number": "140/QĐ-LĐLĐ", "decision_date": _d(20)}), "")],
        "refused_in_principle": [("refuse_in_principle", "leader", NONE, "Chưa đến thời điểm kiện toàn.")],
        "refused": [("approve_in_principle", "leader", const({"approval_date": _d(2)}), ""),
                    ("record_election", "organiser", const({"election_date": _d(10),
                                                            "officers_text": "Phan Thị Nga | Ủy viên BCH"}), ""),
                    UPLOAD, ("request_recognition", "organiser", NONE, ""),
                    ("refuse", "leader", NONE, "Người được bầu không đủ tiêu chuẩn.")],
    },
    "commendation": {
        "awarded": [UPLOAD, ("submit_dossier", "organiser", NONE, ""), ("check_complete", "organiser", NONE, ""),
                    ("council_review", "leader", const({"council_date": _d(3), "votes_for": 9,
                                                        "council_members": 11}), ""),
                    ("publish_notice", "organiser", const({"notice_from": _d(4)}), ""),
                    ("decide", "leader", const({"decision_number": "150/QĐ-LĐLĐ", "decision_date": _d(12)}), ""),
                    ("award", "organiser", const({"award_date": _d(14)}), "")],
        "revoked": [UPLOAD, ("submit_dossier", "organiser", NONE, ""), ("check_complete", "organiser", NONE, ""),
                    ("council_review", "leader", const({"council_date": _d(3), "votes_for": 9,
                                                        "council_members": 11}), ""),
                    ("publish_notice", "organiser", const({"notice_from": _d(4)}), ""),
                    ("decide", "leader", const({"decision_number": "151/QĐ-LĐLĐ", "decision_date": _d(12)}), ""),
                    ("revoke", "leader", const({"revocation_basis": "Luật Thi đua, khen thưởng 2022, Điều 94"}),
                     "Báo cáo thành tích kê khai không trung thực.")],
        "forwarded": [UPLOAD, ("submit_dossier", "organiser", NONE, ""),
                      ("return_for_supplement", "organiser", NONE, "Báo cáo thành tích chưa có xác nhận."),
                      ("resubmit", "organiser", NONE, ""), ("check_complete", "organiser", NONE, ""),
                      ("council_review", "leader", const({"council_date": _d(3), "votes_for": 10,
                                                          "council_members": 11}), ""),
                      ("publish_notice", "organiser", const({"notice_from": _d(4)}), ""),
                      ("forward", "leader", NONE, ""),
                      ("record_higher_decision", "clerk", const({"decision_number": "2150/QĐ-TLĐ",
                                                                 "decision_date": _d(14)}), ""),
                      ("award", "organiser", const({"award_date": _d(15)}), "")],
        "higher_refused": [UPLOAD, ("submit_dossier", "organiser", NONE, ""),
                           ("check_complete", "organiser", NONE, ""),
                           ("council_review", "leader", const({"council_date": _d(3), "votes_for": 8,
                                                               "council_members": 11}), ""),
                           ("publish_notice", "organiser", const({"notice_from": _d(4)}), ""),
                           ("forward", "leader", NONE, ""),
                           ("higher_refused", "clerk", NONE, "Tổng Liên đoàn không xét duyệt.")],
        "council_rejected": [UPLOAD, ("submit_dossier", "organiser", NONE, ""),
                             ("check_complete", "organiser", NONE, ""),
                             ("council_reject", "leader", const({"council_date": _d(3), "votes_for": 4,
                                                                 "council_members": 11}), "Không đủ tỷ lệ phiếu.")],
        "withdrawn": [("withdraw", "organiser", NONE, "Đơn vị rút hồ sơ.")],
    },
    "discipline": {
        "closed": [("schedule_review", "inspector", const({"meeting_date": _d(3)}), ""),
                   ("hear_person", "inspector", const({"heard_date": _d(3), "person_present": True}),
                    "Đương sự thừa nhận vi phạm."),
                   ("vote", "leader", const({"vote_date": _d(5), "members_total": 11, "members_present": 9,
                                             "votes_for": 7}), ""),
                   ("decide", "leader", const({"measure": "warning", "decision_number": "160/QĐ-LĐLĐ",
                                               "decision_date": _d(6)}), ""),
                   ("notify", "clerk", const({"notified_date": _d(7)}), ""),
                   ("close", "inspector", NONE, "")],
        "dismissed": [("schedule_review", "inspector", const({"meeting_date": _d(3)}), ""),
                      ("dismiss", "leader", NONE, "Không đủ căn cứ kết luận vi phạm.")],
        "vote_rejected": [("schedule_review", "inspector", const({"meeting_date": _d(3)}), ""),
                          ("hear_person", "inspector", const({"heard_date": _d(3), "person_present": True}),
                           "Đương sự giải trình đầy đủ."),
                          ("vote_rejected", "leader", const({"vote_date": _d(5), "members_total": 11,
                                                             "members_present": 9, "votes_for": 4}),
                           "Không đủ quá nửa tổng số thành viên đồng ý.")],
        "complaint": [("schedule_review", "inspector", const({"meeting_date": _d(3)}), ""),
                      ("hear_person", "inspector", const({"heard_date": _d(3), "person_present": False}),
                       "Đương sự vắng mặt có lý do, gửi bản tường trình."),
                      ("vote", "leader", const({"vote_date": _d(5), "members_total": 11, "members_present": 9,
                                                "votes_for": 7}), ""),
                      ("decide", "leader", const({"measure": "reprimand", "decision_number": "161/QĐ-LĐLĐ",
                                                  "decision_date": _d(6)}), ""),
                      ("notify", "clerk", const({"notified_date": _d(7)}), ""),
                      ("open_complaint", "inspector", const({"complaint_summary": "Đề nghị xem xét lại hình thức "
                                                            "kỷ luật khiển trách.", "complaint_received": _d(9)}),
                       ""),
                      ("close", "inspector", NONE, "")],
    },
    "member_admission": {
        "admitted": [UPLOAD, ("submit_to_committee", "organiser", NONE, ""),
                     ("return_for_completion", "organiser", NONE, "Đơn chưa ghi nơi làm việc và chưa có chữ ký."),
                     ("resubmit", "organiser", NONE, ""),
                     ("admit", "leader", const({"decision_number": "07/QĐ-CĐCS", "decision_date": _d(6),
                                                "card_number": lambda day0: next_card()}), "")],
        "not_admitted": [UPLOAD, ("submit_to_committee", "organiser", NONE, ""),
                         ("refuse", "leader", NONE, "Người xin gia nhập là người quản lý doanh nghiệp."),
                         ("notify_refusal", "clerk", const({"notified_date": _d(8)}), "")],
        "withdrawn": [("withdraw", "clerk", NONE, "Người lao động đã nghỉ việc, rút đơn.")],
    },
}

#: where each path ends
FINAL = {"recognised": "recognised", "manager_excluded": "recognised", "refused": "refused",
         "transferred": "transferred", "abandoned": "abandoned", "refused_in_principle": "refused",
         "awarded": "awarded", "revoked": "revoked", "forwarded": "awarded", "higher_refused": "not_approved",
         "council_rejected": "not_approved", "withdrawn": "withdrawn", "closed": "closed", "dismissed": "dismissed",
         "vote_rejected": "dismissed", "admitted": "admitted", "not_admitted": "refusal_notified",
         "complaint": "closed"}

INTAKE: dict[str, tuple[str, dict[str, Any]]] = {
    "cdcs_founding": ("Thành lập CĐCS Công ty TNHH Điện tử Nhơn Hội",
                      {"enterprise_name": "Công ty TNHH Điện tử Nhơn Hội", "enterprise_tax_code": "4101234567",
                       "workers_count": 140, "proposed_name": "Công đoàn cơ sở Công ty TNHH Điện tử Nhơn Hội",
                       "organiser_name": "Nguyễn Thị Hồng"}),
    "committee_recognition": ("Công nhận BCH nhiệm kỳ 2026–2031",
                              {"congress_date": date(2026, 3, 2), "term": "2026–2031"}),
    "committee_supplement": ("Bổ sung ủy viên BCH",
                             {"positions_wanted": "01 Ủy viên BCH", "reason": "Ủy viên BCH nghỉ việc."}),
    "commendation": ("Bằng khen LĐLĐ tỉnh – Tổ may 3",
                     {"nominee_kind": "collective", "nominee_name": "Tổ may 3, Công ty TNHH May mặc Quy Nhơn",
                      "award": "bang_khen_ldld", "achievements": "Hoàn thành xuất sắc nhiệm vụ năm."}),
    "discipline": ("Xem xét kỷ luật – vi phạm quản lý tài chính",
                   {"person_name": "Lê Văn Tài", "person_position": "Chủ tịch CĐCS",
                    "violation": "Chi quỹ công đoàn sai quy định."}),  # violation_date: open_for_path
    "member_admission": ("Kết nạp đoàn viên – Nguyễn Thị Thu Trang",
                         {"applicant_name": "Nguyễn Thị Thu Trang", "birth_date": date(1998, 4, 12),
                          "citizen_id": "052198004512", "workplace": "Tổ may 3"}),  # citizen_id: open_for_path
}
#: the unit a path's case belongs to (demo tree codes)
CASE_UNIT = {"cdcs_founding": "LĐLĐ-QN", "committee_recognition": "CĐCS-MMQN", "member_admission": "CĐCS-MMQN",
             "committee_supplement": "CĐCS-MMQN", "commendation": "province", "discipline": "province"}
#: forwarding is only for awards the higher level decides
INTAKE_OVERRIDES = {("commendation", "forwarded"): {"award": "bang_khen_tld"},
                    ("commendation", "higher_refused"): {"award": "co_thi_dua_tld"}}


_cards = itertools.count(1)


def next_card() -> str:
    """A union card number not given before in this process (a card belongs to one member)."""
    return f"BĐ-{next(_cards):07d}"


def free_citizen_id(session: Session) -> str:
    """A 12-digit citizen ID (Bình Định's code 052) that neither the register nor an application holds."""
    from caseflow.union.models import Member, MemberAdmissionDetail

    taken = set(session.scalars(select(Member.citizen_id))) | set(
        session.scalars(select(MemberAdmissionDetail.citizen_id)))
    n = len(taken)
    while f"0521{n:08d}" in taken:
        n += 1
    return f"0521{n:08d}"


def upload_missing(session: Session, storage_dir: str, case: Case, actor: User) -> int:
    """Attach a small file to every dossier item that has none (demo and tests)."""
    definition = get_registry().get(case.workflow, case.workflow_version)
    keys = [i["key"] for i in definition.extra.get("dossier") or []]
    items = missing_items(session, case, definition, keys)
    for item in items:
        attach(session, storage_dir, case, item.key, f"{item.key}.pdf",
               io.BytesIO(f"%PDF-1.4 {case.code} {item.key}".encode()), "application/pdf", actor)
    session.commit()
    return len(items)


def open_for_path(session: Session, workflow: str, path: str, unit: Unit, actor: User, received: date,
                  title_suffix: str = "", title: str | None = None, **overrides) -> Case:
    default_title, data = INTAKE[workflow]
    title = title or default_title
    data = {**data, **INTAKE_OVERRIDES.get((workflow, path), {}), **overrides}
    if workflow == "discipline":  # the limitation runs from the violation, found a month before the report
        data.setdefault("violation_date", received - timedelta(days=30))
    if workflow == "member_admission" and "citizen_id" not in overrides:
        data["citizen_id"] = free_citizen_id(session)  # one active membership per person: each applicant new
    return engine.open_case(session, workflow, unit, actor, data, title=title + title_suffix, received_date=received)


def walk(session: Session, case: Case, steps: list[Step], actors: dict[str, User], storage_dir: str,
         day0: date, unit_code: str | None = None) -> Case:
    for trigger, role, build, comment in steps:
        if trigger == "upload":
            upload_missing(session, storage_dir, case, actors[role])
            continue
        data = build(day0)
        if unit_code and "unit_code" in data:
            data["unit_code"] = unit_code
        engine.fire(case, trigger, actors[role], data, comment=comment)
    return case


def seed_rounds(session: Session, years: list[int]) -> None:
    """Annual commendation rounds with a cut-off on 15 October (data, editable by an admin) [U]."""
    for year in years:
        if session.scalar(select(CommendationRound).where(CommendationRound.year == year)) is None:
            session.add(CommendationRound(year=year, title=f"Khen thưởng năm {year}",
                                          cut_off_date=date(year, 10, 15),
                                          basis="Kế hoạch thi đua hằng năm của LĐLĐ tỉnh [U]"))
    session.commit()


SEED_TARGETS = [
    # Chương trình hành động 17/CTr-LĐLĐ (23/11/2021), mục II (the seed)
    ("new_members_per_year", 2021, 2030, 5000, "CTr 17/CTr-LĐLĐ (2021), II.1: bình quân mỗi năm tăng thêm 5.000 đoàn viên"),
    ("new_members", 2021, 2023, 19000, "CTr 17/CTr-LĐLĐ (2021), II.2: đến năm 2023 kết nạp mới 19.000 đoàn viên"),
    ("coverage_pct", 2021, 2023, 100,
     "CTr 17/CTr-LĐLĐ (2021), II.2: 100% doanh nghiệp có từ 25 lao động trở lên thành lập công đoàn"),
    ("total_members", 2021, 2025, 105000, "CTr 17/CTr-LĐLĐ (2021), II.2: đến năm 2025 có 105.000 đoàn viên"),
    ("total_members", 2021, 2030, 130000, "CTr 17/CTr-LĐLĐ (2021), II.2: đến năm 2030 có 130.000 đoàn viên"),
    ("min_workers", 2021, 2030, 25, "CTr 17/CTr-LĐLĐ (2021), II.2: doanh nghiệp có từ 25 công nhân lao động trở lên"),
]


def seed_targets(session: Session) -> None:
    if session.scalar(select(MembershipTarget.id).limit(1)) is None:
        for metric, y0, y1, value, basis in SEED_TARGETS:
            session.add(MembershipTarget(metric=metric, from_year=y0, to_year=y1, value=value, basis=basis))
        session.commit()


#: the demo enterprise register: (tax code, name, workers, address, superior unit key, its CĐCS unit key)
DEMO_ENTERPRISES = [
    ("4101234567", "Công ty TNHH Điện tử Nhơn Hội", 140, "KKT Nhơn Hội, Quy Nhơn", "LĐLĐ-QN", None),
    ("4101234568", "Công ty CP Thực phẩm Bình Định", 85, "Phường Nhơn Bình, Quy Nhơn", "LĐLĐ-QN", None),
    ("4101234569", "Công ty TNHH May Tây Sơn", 210, "Thị trấn Phú Phong, Tây Sơn", "LĐLĐ-QN", None),
    ("4101234570", "Công ty CP Xây dựng Hoài Nhơn", 60, "Phường Bồng Sơn, Hoài Nhơn", "LĐLĐ-AN", None),
    ("4101234571", "Công ty TNHH Du lịch Ghềnh Ráng", 30, "Phường Ghềnh Ráng, Quy Nhơn", "LĐLĐ-QN", None),
    ("4101234572", "Hộ kinh doanh Bánh tráng Trường Úc", 12, "Tuy Phước", "LĐLĐ-AN", None),
    ("4100100001", "Công ty TNHH May mặc Quy Nhơn", 650, "KCN Phú Tài, Quy Nhơn", "LĐLĐ-QN", "CĐCS-MMQN"),
    ("4100100002", "Công ty CP Gỗ Thành Đạt", 380, "KCN Nhơn Hòa, An Nhơn", "LĐLĐ-AN", "CĐCS-GTĐ"),
    ("4100100003", "Công ty TNHH Thủy sản Hải Vương", 290, "KKT Nhơn Hội", "CĐ-KKT", "CĐCS-HV"),
]
#: one enterprise per founding path of the demo (the recognised ones leave the "lacking" list)
FOUNDING_ENTERPRISES = {"recognised": 0, "manager_excluded": 1, "refused": 2, "transferred": 3, "abandoned": 4}


def seed_enterprises(session: Session, units: dict[str, Unit]) -> None:
    from caseflow.union.models import Enterprise

    for tax_code, name, workers, address, superior, cdcs in DEMO_ENTERPRISES:
        session.add(Enterprise(tax_code=tax_code, name=name, workers_count=workers, address=address,
                               superior_unit_id=units[superior].id, cdcs_unit_id=units[cdcs].id if cdcs else None))
    session.commit()


def seed_procedures(session: Session, units: dict[str, Unit], users: dict[str, User], storage_dir: str,
                    today: date) -> int:
    """One case per path of every procedure, walked through the engine; returns the number of cases."""
    seed_targets(session)
    seed_enterprises(session, units)
    seed_rounds(session, [today.year, today.year + 1])
    actors = {"organiser": users["tochuc"], "leader": users["lanhdao"], "clerk": users["vanthu"],
              "inspector": users["kiemtra"]}
    count = 0
    for workflow, paths in PATHS.items():
        for index, (path, steps) in enumerate(paths.items()):
            if path == "complaint" and "complaint" not in get_registry().latest:
                steps = steps[:-2]  # the complaint workflow is not installed: stop once notified
            day0 = today - timedelta(days=60)
            unit = units[CASE_UNIT[workflow]]
            overrides, suffix = {}, f" ({index + 1})"
            if workflow == "cdcs_founding":
                tax_code, name, workers = DEMO_ENTERPRISES[FOUNDING_ENTERPRISES[path]][:3]
                overrides = {"enterprise_tax_code": tax_code, "enterprise_name": name, "workers_count": workers,
                             "proposed_name": f"Công đoàn cơ sở {name}"}
                overrides["title"], suffix = f"Thành lập CĐCS {name}", ""
            case = open_for_path(session, workflow, path, unit, actors["organiser"] if workflow != "discipline"
                                 else actors["inspector"], day0, suffix, **overrides)
            walk(session, case, steps, actors, storage_dir, day0 - timedelta(days=1) if workflow != "commendation"
                 else today - timedelta(days=20), unit_code=f"CĐCS-MOI{index + 1}")
            count += 1
    seed_members(session, users["tochuc"])
    # an application under review by the executive committee (the demo's admission in progress)
    case = open_for_path(session, "member_admission", "admitted", units["CĐCS-MMQN"], actors["organiser"],
                         today - timedelta(days=3), title="Kết nạp đoàn viên – Phan Văn Tùng",
                         applicant_name="Phan Văn Tùng", birth_date=date(2001, 7, 19), citizen_id="052201007719")
    walk(session, case, PATHS["member_admission"]["admitted"][:2], actors, storage_dir, today)
    return count + 1


#: the demo's membership list: (name, date of birth, citizen ID, CĐCS code, admitted, card number)
DEMO_MEMBERS = [
    ("Nguyễn Thị Hồng Nhung", date(1995, 3, 8), "052195001234", "CĐCS-MMQN", date(2019, 5, 1), "BĐ-0100001"),
    ("Trần Văn Đức", date(1988, 11, 20), "052188005678", "CĐCS-MMQN", date(2015, 9, 2), "BĐ-0100002"),
    ("Lê Thị Ánh", date(1990, 1, 2), "052190009999", "CĐCS-GTĐ", date(2022, 6, 15), "BĐ-0100003"),
    ("Phạm Quốc Bảo", date(1985, 12, 1), "052185003456", "CĐCS-HV", date(2012, 3, 26), "BĐ-0100004"),
]


def seed_members(session: Session, actor: User) -> int:
    """A few members, brought in as the union's membership list would be (the import's own checks)."""
    from caseflow.reports.imports.reader import Table
    from caseflow.union.member_import import COLUMNS, MemberImporter

    headers = [header for header, _required in COLUMNS.values()][:6]
    rows = [(n, list(row)) for n, row in enumerate(DEMO_MEMBERS, start=2)]
    result = MemberImporter(session, actor, Table(headers, rows), source="demo-doan-vien.xlsx").commit()
    return result.imported
