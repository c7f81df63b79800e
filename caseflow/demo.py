"""Demo and test data: Bình Định's union tree, one user per role, legal-aid cases made through the engine.

The same generator seeds tests and benchmarks (`generate_legal_aid_cases`), so that large data is
always shaped by the real workflow."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.models import RoleAssignment, Unit, User
from caseflow.core.orgtree import add_unit

DEMO_PASSWORD = "caseflow2026"
#: roles whose demo users get a TOTP secret at once (the app's TOTP_ROLES default), so that the demo and the
#: tests log in without an enrolment step
DEMO_TOTP_ROLES = ("inspector", "leader", "admin")


def demo_totp_secret(username: str) -> str:
    """A fixed base32 secret per demo user: printed by seed-demo, for an authenticator app. Demo data only."""
    import base64
    import hashlib

    return base64.b32encode(hashlib.sha256(f"caseflow-demo-totp:{username}".encode()).digest()[:20]).decode()

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Đào"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh", "Hữu", "Thị Kim", "Quốc", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hòa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc",
         "Quang", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Ánh", "Đạt", "Ơn", "Ước"]
EMPLOYERS = ["Công ty TNHH May mặc Quy Nhơn", "Công ty CP Gỗ Thành Đạt", "Công ty TNHH Thủy sản Hải Vương",
             "Công ty CP Dược – Trang thiết bị Y tế Bình Định", "Công ty TNHH Giày da An Nhơn",
             "Công ty CP Đá Granite Phú Tài", "Công ty TNHH Chế biến Lâm sản Nhơn Hòa"]
FACTS = {
    "wages": "Công ty chậm trả lương {m} tháng, tổng số tiền còn nợ khoảng {v} triệu đồng.",
    "termination": "Người lao động bị đơn phương chấm dứt hợp đồng lao động trái pháp luật sau {m} năm làm việc.",
    "social_insurance": "Công ty trích lương nhưng không đóng bảo hiểm xã hội trong {m} tháng.",
    "occupational_accident": "Người lao động bị tai nạn lao động tại xưởng, chưa được bồi thường, trợ cấp.",
    "discipline": "Người lao động bị xử lý kỷ luật sa thải không đúng trình tự.",
    "collective": "Tập thể {m}0 người lao động không được trả tiền làm thêm giờ.",
    "other": "Người lao động hỏi về chế độ nghỉ phép năm và nghỉ lễ, Tết.",
}

#: paths through legal_aid.yaml: (trigger, role, data builder)
PATHS: dict[str, list[tuple[str, str]]] = {
    "advice": [("start_consultation", "legal_officer"), ("give_advice", "legal_officer"), ("close", "legal_officer")],
    "conciliation": [("start_consultation", "legal_officer"), ("propose_representation", "legal_officer"),
                     ("approve_representation", "leader"), ("sign_authorisation", "legal_officer"),
                     ("start_conciliation", "legal_officer"), ("record_hearing", "legal_officer"),
                     ("record_outcome", "legal_officer"), ("close", "legal_officer")],
    "court": [("start_consultation", "legal_officer"), ("give_advice", "legal_officer"),
              ("propose_representation", "legal_officer"), ("approve_representation", "leader"),
              ("sign_authorisation", "legal_officer"), ("file_in_court", "legal_officer"),
              ("record_hearing", "legal_officer"), ("appeal", "legal_officer"), ("record_outcome", "legal_officer"),
              ("close", "leader")],
    "collective": [("start_consultation", "legal_officer"), ("propose_representation", "legal_officer"),
                   ("approve_representation", "leader"), ("act_for_collective", "legal_officer"),
                   ("start_arbitration", "legal_officer"), ("record_outcome", "legal_officer"),
                   ("close", "legal_officer")],
    "no_authorisation": [("start_consultation", "legal_officer"), ("propose_representation", "legal_officer"),
                         ("approve_representation", "leader"), ("decline_to_sign", "legal_officer"),
                         ("close", "legal_officer")],
    "question": [("answer_question", "legal_officer")],
    "referred": [("refer", "legal_officer")],
    "declined": [("start_consultation", "legal_officer"), ("decline", "leader")],
    "withdrawn": [("start_consultation", "legal_officer"), ("withdraw", "legal_officer")],
}


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def step_data(trigger: str, rng: random.Random, received: date, today: date) -> tuple[dict, str]:
    """Plausible form data and comment for one step."""
    signed = min(received + timedelta(days=rng.randint(1, 10)), today)
    return {
        "give_advice": ({"rep_role": rng.choice(["legal_officer", "lawyer"])},
                        "Đã hướng dẫn người lao động quyền và nghĩa vụ theo Bộ luật Lao động 2019."),
        "propose_representation": ({}, "Đề nghị Trung tâm cử người đại diện tham gia giải quyết tranh chấp."),
        "sign_authorisation": ({"authorisation_signed_date": signed}, ""),
        "start_conciliation": ({"rep_role": "authorised_representative"}, ""),
        "start_arbitration": ({"rep_role": "collective_party"}, ""),
        "file_in_court": ({"rep_role": rng.choice(["authorised_representative", "defender"])}, ""),
        "record_hearing": ({"hearing_date": signed, "hearing_result": rng.choice(["held", "adjourned"])}, "Phiên hòa giải/phiên tòa đã diễn ra, các bên trình bày ý kiến."),
        "appeal": ({}, "Kháng cáo một phần bản án sơ thẩm."),
        "record_outcome": ({"outcome": rng.choice(["won", "partly_won", "settled", "lost"]),
                            "amount_recovered_vnd": rng.randrange(0, 200) * 1_000_000}, ""),
        "decline_to_sign": ({"no_rep_reason": "Người lao động không đồng ý ký giấy ủy quyền."}, ""),
        "answer_question": ({}, "Đã trả lời qua điện thoại."),
        "refer": ({"referred_to": "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Bình Định"},
                  "Vụ việc ngoài phạm vi hỗ trợ của công đoàn."),
        "decline": ({"decline_reason": "Yêu cầu không thuộc phạm vi tư vấn của Trung tâm."}, ""),
        "withdraw": ({}, "Người lao động đã tự thỏa thuận được với công ty."),
    }.get(trigger, ({}, ""))


def build_tree(session: Session) -> dict[str, Unit]:
    tld = add_unit(session, "TLĐ", "Tổng Liên đoàn Lao động Việt Nam", "tld")
    province = add_unit(session, "LĐLĐ-BĐ", "Liên đoàn Lao động tỉnh Bình Định", "provincial", tld, "Bình Định")
    units = {"tld": tld, "province": province}
    for code, name in [("LĐLĐ-QN", "Liên đoàn Lao động thành phố Quy Nhơn"),
                       ("LĐLĐ-AN", "Liên đoàn Lao động thị xã An Nhơn"),
                       ("CĐ-KKT", "Công đoàn Khu kinh tế tỉnh Bình Định"),
                       ("CĐN-GD", "Công đoàn ngành Giáo dục Bình Định")]:
        units[code] = add_unit(session, code, name, "superior", province)
    for code, name, parent in [("CĐCS-MMQN", "Công đoàn cơ sở Công ty TNHH May mặc Quy Nhơn", "LĐLĐ-QN"),
                               ("CĐCS-GTĐ", "Công đoàn cơ sở Công ty CP Gỗ Thành Đạt", "LĐLĐ-AN"),
                               ("CĐCS-HV", "Công đoàn cơ sở Công ty TNHH Thủy sản Hải Vương", "CĐ-KKT")]:
        units[code] = add_unit(session, code, name, "grassroots", units[parent])
    return units


DEMO_USERS = [
    ("admin", "Quản trị hệ thống", [("admin", "province")]),
    ("lanhdao", "Trần Thị Bích Ngọc", [("leader", "province")]),
    ("tuvan1", "Nguyễn Văn Đức", [("legal_officer", "province")]),
    ("tuvan2", "Lê Thị Ánh Tuyết", [("legal_officer", "province")]),
    ("kiemtra", "Phạm Quốc Hưng", [("inspector", "province")]),
    # more inspectors, so that a verification team of 2 and a conflicted member exist (NĐ 31/2019 Art. 10)
    ("kiemtra2", "Đỗ Thị Thu Hà", [("inspector", "province")]),
    ("kiemtra3", "Ngô Văn Lực", [("inspector", "province")]),
    ("vanthu", "Huỳnh Thị Mai", [("clerk", "province")]),
    ("quynhon", "Võ Minh Tâm", [("legal_officer", "LĐLĐ-QN")]),
    ("tochuc", "Đặng Thị Thanh Hương", [("organiser", "province")]),
]


def create_users(session: Session, units: dict[str, Unit], password: str = DEMO_PASSWORD) -> dict[str, User]:
    users = {}
    for username, full_name, roles in DEMO_USERS:
        user = User(username=username, full_name=full_name, password_hash="")
        user.set_password(password)
        for role, unit_key in roles:
            user.roles.append(RoleAssignment(role=role, unit=units[unit_key]))
        if any(role in DEMO_TOTP_ROLES for role, _unit in roles):
            user.totp_secret = demo_totp_secret(username)
        session.add(user)
        users[username] = user
    session.commit()
    return users


def generate_legal_aid_cases(session: Session, n: int, units: list[Unit], actors: dict[str, list[User]],
                             rng: random.Random, path_names: list[str] | None = None,
                             today: date | None = None) -> list:
    """n legal-aid cases, each opened and walked (part or all of) a path through the engine."""
    today = today or local_today()
    path_names = path_names or list(PATHS)
    cases = []
    for _ in range(n):
        path = rng.choice(path_names)
        received = today - timedelta(days=rng.randint(0, 700))
        dispute = "collective" if path == "collective" else rng.choice(list(FACTS)[:-1])
        need = "general_question" if path == "question" else \
            ("litigation" if path in ("conciliation", "court", "collective", "no_authorisation") else
             rng.choice(["consultation", "litigation"]))
        worker = person_name(rng)
        data = {"channel": rng.choice(["walk_in", "hotline", "letter", "referral"]),
                "party_status": "union_org" if path == "collective" else
                rng.choice(["member", "member", "member", "non_member"]),
                "need": need, "dispute_type": "other" if path == "question" else dispute,
                "is_collective": path == "collective", "employer_name": rng.choice(EMPLOYERS),
                "breach_known_date": received - timedelta(days=rng.randint(1, 60)),
                "facts": FACTS["other" if path == "question" else dispute].format(m=rng.randint(2, 9),
                                                                                  v=rng.randint(10, 90))}
        case = engine.open_case(
            session, "legal_aid", rng.choice(units), rng.choice(actors["clerk"]), data,
            title=f"{worker} – {data['employer_name']}", received_date=received,
            parties=[{"role": "worker", "full_name": worker, "is_union_member": data["party_status"] == "member",
                      "phone": f"09{rng.randint(10000000, 99999999)}", "confidential": False,
                      "id_number": f"0520{rng.randint(10000000, 99999999)}",
                      "address": f"Phường {rng.choice(['Quang Trung', 'Nhơn Bình', 'Ghềnh Ráng'])}, Quy Nhơn"}])
        steps = PATHS[path][: rng.randint(0, len(PATHS[path]))] if rng.random() < 0.4 else PATHS[path]
        for trigger, role in steps:
            form, comment = step_data(trigger, rng, received, today)
            engine.fire(case, trigger, rng.choice(actors[role]), form, comment=comment)
        cases.append(case)
    return cases


def _seed_procedures(session: Session, units: dict[str, Unit], users: dict[str, User],
                     storage_dir: str | None) -> int:
    """The union's internal procedures (founding, committees, commendation, discipline), one case per path."""
    from flask import current_app

    from caseflow.union.demo import seed_procedures

    storage_dir = storage_dir or current_app.config["STORAGE_DIR"]
    return seed_procedures(session, units, users, storage_dir, local_today())


def seed_first_work(session: Session, units: dict[str, Unit], users: dict[str, User]) -> int:
    """Work waiting today for the demo users the paths above leave with nothing (issue 18: every role's home
    page shows something to do): a request at Quy Nhơn's federation for its officer, and a founding for the
    organiser to take on. Opened through the engine; returns the number of cases."""
    today = local_today()
    engine.open_case(
        session, "legal_aid", units["LĐLĐ-QN"], users["vanthu"],
        {"channel": "walk_in", "party_status": "member", "need": "consultation", "dispute_type": "wages",
         "employer_name": EMPLOYERS[0], "breach_known_date": today - timedelta(days=20),
         "facts": FACTS["wages"].format(m=2, v=40)},
        title=f"Phạm Thị Lành – {EMPLOYERS[0]}", received_date=today,
        parties=[{"role": "worker", "full_name": "Phạm Thị Lành", "is_union_member": True, "confidential": False}])
    engine.open_case(
        session, "cdcs_founding", units["LĐLĐ-QN"], users["tochuc"],
        {"enterprise_name": "Công ty TNHH Dệt may Phú Tài", "workers_count": 180,
         "proposed_name": "Công đoàn cơ sở Công ty TNHH Dệt may Phú Tài", "organiser_name": "Lê Thị Hồng"},
        title="Thành lập CĐCS Công ty TNHH Dệt may Phú Tài", received_date=today)
    return 2


def seed_demo(session: Session, cases: int = 40, seed: int = 2026, storage_dir: str | None = None) -> dict | None:
    """Idempotent: does nothing when units exist already."""
    if session.scalar(select(func.count(Unit.id))):
        return None
    rng = random.Random(seed)
    units = build_tree(session)
    users = create_users(session, units)
    actors = {"clerk": [users["vanthu"]], "legal_officer": [users["tuvan1"], users["tuvan2"]],
              "leader": [users["lanhdao"]]}
    generate_legal_aid_cases(session, cases, [units["province"]], actors, rng)
    cases += _seed_procedures(session, units, users, storage_dir)
    from caseflow.inspection.demo import seed_inspection

    inspection = seed_inspection(session, units, users, rng)
    from caseflow.documents.demo import seed_documents

    documents = seed_documents(session, units, users)
    cases += seed_first_work(session, units, users)
    return {"units": len(units), "cases": cases + inspection + documents,
            "users": [(u, roles[0][0]) for u, _n, roles in DEMO_USERS]}
