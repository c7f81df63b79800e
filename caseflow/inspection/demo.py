"""Inspection demo and test data, made through the engine: letters, complaints and denunciations along
every path of their workflows. Tests and `seed-demo` share these paths."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import Case, Unit, User

#: the UBKT's actors by role (usernames of caseflow.demo.DEMO_USERS)
ACTORS = {"clerk": "vanthu", "inspector": "kiemtra", "leader": "lanhdao"}
#: a verification team of two (NĐ 31/2019 Art. 10)
TEAM = ("kiemtra", "kiemtra2")

CONTENTS = {
    "complaint": "Khiếu nại Quyết định số 12/QĐ-CĐCS ngày 05/9/2026 của Ban Chấp hành Công đoàn cơ sở về việc "
                 "không xét chi trợ cấp khó khăn. Đề nghị hủy quyết định và xem xét lại.",
    "denunciation": "Tố cáo Chủ tịch Công đoàn cơ sở sử dụng kinh phí công đoàn chi sai mục đích, lập chứng từ "
                    "khống chi tham quan năm 2025.",
    "petition": "Kiến nghị Công đoàn cấp trên hỗ trợ tổ chức bữa ăn ca cho công nhân ca đêm.",
}
ACCUSED = "Ông Trần Văn Bảo, Chủ tịch Công đoàn cơ sở"

LETTER_PATHS: dict[str, list[tuple[str, str]]] = {
    "complaint": [("classify", "clerk"), ("assess", "inspector"), ("propose_acceptance", "inspector")],
    "denunciation": [("classify", "clerk"), ("assess", "inspector"), ("propose_acceptance", "leader")],
    "transfer": [("classify", "clerk"), ("assess", "inspector"), ("transfer", "inspector")],
    "guide": [("classify", "clerk"), ("guide", "clerk")],
    "archive": [("archive", "inspector")],
    "split": [("split", "clerk")],
}
#: the letter's type for each path
LETTER_TYPE = {"complaint": "complaint", "denunciation": "denunciation", "transfer": "denunciation",
               "guide": "petition", "archive": "petition", "split": "complaint"}

COMPLAINT_PATHS: dict[str, list[tuple[str, str]]] = {
    "first_resolution": [("accept", "leader"), ("start_verification", "inspector"), ("hold_dialogue", "inspector"),
                         ("decide", "leader"), ("send_decision", "clerk")],
    "second_resolution": [("accept", "leader"), ("start_verification", "inspector"), ("decide", "leader"),
                          ("send_decision", "clerk"), ("lodge_second_complaint", "clerk"), ("accept_second", "leader"),
                          ("start_second_verification", "inspector"), ("hold_dialogue", "inspector"),
                          ("decide_second", "leader"), ("send_second_decision", "clerk")],
    "refused": [("refuse", "leader")],
    "second_refused": [("accept", "leader"), ("start_verification", "inspector"), ("decide", "leader"),
                       ("send_decision", "clerk"), ("lodge_second_complaint", "clerk"), ("refuse_second", "leader")],
    "withdrawn": [("accept", "leader"), ("start_verification", "inspector"), ("withdraw", "inspector")],
    "court": [("accept", "leader"), ("start_verification", "inspector"), ("decide", "leader"),
              ("send_decision", "clerk"), ("go_to_court", "inspector")],
}
COMPLAINT_FINAL = {"first_resolution": "decision_sent", "second_resolution": "closed", "refused": "refused",
                   "second_refused": "refused", "withdrawn": "withdrawn", "court": "in_court"}

DENUNCIATION_PATHS: dict[str, list[tuple[str, str]]] = {
    "resolved": [("accept", "leader"), ("notify_acceptance", "inspector"), ("assess_complexity", "inspector"),
                 ("form_team", "leader"), ("extend", "leader"), ("extend", "leader"), ("conclude", "leader"),
                 ("notify_result", "inspector"), ("publish", "leader"), ("close", "leader")],
    "suspended": [("accept", "leader"), ("form_team", "leader"), ("suspend", "leader"),
                  ("notify_suspension", "inspector"), ("resume", "leader"), ("conclude", "leader"), ("close", "leader")],
    "transferred": [("transfer", "inspector")],
    "not_processed": [("not_process", "inspector")],
    "crime": [("accept", "leader"), ("refer_crime", "leader")],
    "withdrawn": [("accept", "leader"), ("form_team", "leader"), ("withdraw", "inspector"),
                  ("notify_termination", "inspector")],
    "withdrawal_continues": [("accept", "leader"), ("form_team", "leader"), ("record_withdrawal_continue", "leader"),
                             ("conclude", "leader"), ("close", "leader")],
    "terminated": [("accept", "leader"), ("terminate", "leader"), ("notify_termination", "inspector")],
    "re_denounced": [("accept", "leader"), ("form_team", "leader"), ("conclude", "leader"), ("publish", "leader"),
                     ("re_denounce", "clerk"), ("uphold_conclusion", "leader")],
    "reopened": [("accept", "leader"), ("form_team", "leader"), ("conclude", "leader"), ("re_denounce", "clerk"),
                 ("reopen", "leader"), ("conclude", "leader"), ("publish", "leader"), ("close", "leader")],
}
DENUNCIATION_FINAL = {"resolved": "closed", "suspended": "closed", "transferred": "transferred",
                      "not_processed": "not_processed", "crime": "referred_to_police", "withdrawn": "terminated",
                      "withdrawal_continues": "closed", "terminated": "terminated", "re_denounced": "closed",
                      "reopened": "closed"}


def letter_intake(kind: str, sender: dict | None = None, received: date | None = None, **extra) -> dict:
    sender = sender or {}
    data = {"channel": "post", "letter_date": (received or date(2026, 11, 2)) - timedelta(days=2), "signed": True,
            "sender_name": sender.get("full_name"), "sender_address": sender.get("address"),
            "sender_phone": sender.get("phone"), "sender_id_number": sender.get("id_number"),
            "content": CONTENTS[kind]}
    data.update(extra)
    return data


def step_data(workflow: str, trigger: str, users: dict[str, User], path: str = "") -> tuple[dict, str]:
    """Plausible form data and comment (never naming the sender) for one step."""
    team = {"team_leader_id": users[TEAM[0]].id, "member_2_id": users[TEAM[1]].id, "no_conflict_declared": True}
    table = {
        ("letter_intake", "classify"): ({"content_type": LETTER_TYPE.get(path, "complaint")}, ""),
        ("letter_intake", "assess"): ({"competence": "other_body" if path == "transfer" else "own",
                                      "names_act_and_request": True, "names_person_and_violation": True}, ""),
        ("letter_intake", "propose_acceptance"): ({"accused": ACCUSED}, ""),
        ("letter_intake", "transfer"): ({"transferred_to": "Thanh tra tỉnh Bình Định"}, ""),
        ("letter_intake", "guide"): ({"guidance": "Hướng dẫn gửi kiến nghị đến Ban Chấp hành Công đoàn cơ sở."}, ""),
        ("letter_intake", "archive"): ({}, "Đơn trùng nội dung đã được giải quyết."),
        ("letter_intake", "split"): ({"part_1_type": "complaint", "part_1_content": CONTENTS["complaint"],
                                     "part_2_type": "denunciation", "part_2_content": CONTENTS["denunciation"]}, ""),
        ("complaint", "refuse"): ({"refusal_ground": "time_barred"}, "Đã hết thời hiệu khiếu nại."),
        ("complaint", "hold_dialogue"): ({"dialogue_date": None}, "Đã đối thoại, các bên thống nhất biên bản."),
        ("complaint", "decide"): ({"first_outcome": "partly_upheld", "verification_differs": path == "first_resolution"},
                                  "Khiếu nại đúng một phần."),
        ("complaint", "lodge_second_complaint"): ({"second_complaint_date": None}, ""),
        ("complaint", "refuse_second"): ({"refusal_ground": "before_court"}, "Tòa án đã thụ lý vụ án."),
        ("complaint", "decide_second"): ({"second_outcome": "rejected", "verification_differs": True},
                                         "Giữ nguyên quyết định lần đầu."),
        ("complaint", "withdraw"): ({}, "Người khiếu nại có đơn rút khiếu nại."),
        ("complaint", "go_to_court"): ({}, "Người khiếu nại đã khởi kiện vụ án hành chính."),
        ("denunciation", "assess_complexity"): ({"several_sites": True, "several_contents": True}, ""),
        ("denunciation", "form_team"): (team, ""),
        ("denunciation", "extend"): ({"extension_days": 30}, "Vụ việc đặc biệt phức tạp, cần thêm thời gian xác minh."),
        ("denunciation", "suspend"): ({}, "Chờ kết quả giám định chứng từ."),
        ("denunciation", "resume"): ({}, "Đã có kết quả giám định."),
        ("denunciation", "transfer"): ({"transferred_to": "Ủy ban kiểm tra Liên đoàn Lao động tỉnh"}, ""),
        ("denunciation", "not_process"): ({"not_processed_ground": "anonymous", "open_inspection": True},
                                          "Đơn không rõ người gửi, nội dung cụ thể: đề xuất kiểm tra."),
        ("denunciation", "refer_crime"): ({"transferred_to": "Cơ quan Cảnh sát điều tra Công an tỉnh"},
                                          "Có dấu hiệu tội tham ô tài sản."),
        ("denunciation", "withdraw"): ({}, "Người tố cáo rút toàn bộ tố cáo, không có dấu hiệu vi phạm."),
        ("denunciation", "record_withdrawal_continue"): ({}, "Có dấu hiệu vi phạm: tiếp tục giải quyết."),
        ("denunciation", "terminate"): ({"termination_ground": "accused_died"}, "Người bị tố cáo đã chết."),
        ("denunciation", "conclude"): ({"conclusion_outcome": "partly_founded",
                                        "conclusion_summary": "Chi sai mục đích 12 triệu đồng; yêu cầu thu hồi."}, ""),
        ("denunciation", "re_denounce"): ({}, "Người tố cáo tiếp tục tố cáo, cho rằng kết luận chưa khách quan."),
        ("denunciation", "reopen"): ({}, "Giao Tổ xác minh xác minh lại."),
        ("denunciation", "uphold_conclusion"): ({}, "Giữ nguyên kết luận."),
    }
    return table.get((workflow, trigger), ({}, "Ghi nhận."))


def walk(session: Session, case: Case, workflow: str, steps, users: dict[str, User], path: str = "") -> Case:
    today = local_today()
    for trigger, role in steps:
        data, comment = step_data(workflow, trigger, users, path)
        data = {k: (today if v is None and k.endswith("_date") else v) for k, v in data.items()}
        engine.fire(case, trigger, users[ACTORS[role]], data, comment=comment)
    return case


def register_letter(session: Session, unit: Unit, users: dict[str, User], kind: str, sender: dict | None = None,
                    received: date | None = None, title: str | None = None, by: str = "vanthu", **extra) -> Case:
    received = received or local_today()
    name = {"complaint": "khiếu nại", "denunciation": "tố cáo"}.get(kind, "kiến nghị")
    return engine.open_case(session, "letter_intake", unit, users[by], letter_intake(kind, sender, received, **extra),
                            title=title or f"Đơn {name} về Công đoàn cơ sở", received_date=received)


def handling_case(session: Session, letter: Case) -> Case:
    from caseflow.inspection.models import LetterDetail

    return session.get(Case, session.get(LetterDetail, letter.id).linked_case_ids[-1])


DEMO_SENDERS = [
    {"full_name": "Lê Thị Hồng Nhung", "address": "Tổ 5, phường Nhơn Phú, Quy Nhơn", "phone": "0914222333",
     "id_number": "052190001234"},
    {"full_name": "Phan Văn Thạch", "address": "Thôn Mỹ Thạnh, xã Phước Mỹ", "phone": "0935777888",
     "id_number": "052085004321"},
    {"full_name": "Nguyễn Thị Lụa", "address": "KV 3, phường Trần Quang Diệu", "phone": "0979111222",
     "id_number": "052301007777"},
]


def seed_inspection(session: Session, units: dict[str, Unit], users: dict[str, User],
                    rng: random.Random | None = None) -> int:
    """A few letters, complaints and denunciations on the province's UBKT, along several paths."""
    rng = rng or random.Random(2026)
    unit = units["province"]
    for path, steps in LETTER_PATHS.items():
        sender = rng.choice(DEMO_SENDERS)
        letter = register_letter(session, unit, users, LETTER_TYPE[path], sender)
        walk(session, letter, "letter_intake", steps, users, path)
        if path in ("complaint", "denunciation"):
            workflow = "complaint" if path == "complaint" else "denunciation"
            target = COMPLAINT_PATHS["first_resolution"] if path == "complaint" else DENUNCIATION_PATHS["resolved"]
            walk(session, handling_case(session, letter), workflow, target[:4], users,
                 "first_resolution" if path == "complaint" else "resolved")
    register_letter(session, unit, users, "denunciation", DEMO_SENDERS[0])  # awaits classification on the desk
    register_letter(session, unit, users, "complaint", DEMO_SENDERS[1], letter_date=None)
    return session.scalar(select(func.count(Case.id)).where(Case.kind.in_(("letter", "complaint", "denunciation"))))
