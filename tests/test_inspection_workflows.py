"""The UBKT's three workflows through the engine: every path, and every refusal names its legal ground
and changes nothing (DOMAIN.md sections 2-4)."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from caseflow.core import clock as engine_clock
from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.errors import GuardFailed, InvalidTrigger, NotPermitted
from caseflow.core.models import Case, CaseEvent, Party
from caseflow.extensions import db
from caseflow.inspection import demo
from caseflow.inspection.duplicates import likely_duplicates
from caseflow.inspection.models import ComplaintDetail, DenunciationDetail, LetterDetail, ProtectedIdentity
from tests.conftest import AUDIT_KEY
from tests.factories import unit, users_by_name

SENDER = demo.DEMO_SENDERS[0]


@pytest.fixture
def u(ctx, org):
    return users_by_name(org)


def letter(org, u, kind="complaint", sender=SENDER, **extra):
    return demo.register_letter(db.session, unit(org), u, kind, sender, **extra)


def handling(org, u, kind, sender=SENDER, **extra) -> Case:
    """A complaint or denunciation opened from a letter, the normal way in."""
    case = letter(org, u, kind, sender, **extra)
    demo.walk(db.session, case, "letter_intake", demo.LETTER_PATHS[kind], u, kind)
    return demo.handling_case(db.session, case)


def snapshot(case):
    db.session.expire_all()
    return (case.state, case.version, case.audit_seq, db.session.scalar(select(func.count(Case.id))),
            db.session.scalar(select(func.count(CaseEvent.id))))


def refused(case, trigger, actor, data=None, comment="", *, ground: str) -> list[str]:
    """Fire, expect a refusal whose reasons cite `ground`, and check nothing changed."""
    before = snapshot(case)
    with pytest.raises(GuardFailed) as exc:
        engine.fire(case, trigger, actor, data or {}, comment=comment)
    assert snapshot(case) == before
    text = " ".join(exc.value.reasons)
    assert ground in text, text
    return exc.value.reasons


@pytest.mark.parametrize("path", sorted(demo.LETTER_PATHS))
def test_letter_paths(u, org, path):
    case = letter(org, u, demo.LETTER_TYPE[path])
    demo.walk(db.session, case, "letter_intake", demo.LETTER_PATHS[path], u, path)
    detail = db.session.get(LetterDetail, case.id)
    assert case.closed_dt is not None
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []
    if path in ("complaint", "denunciation"):
        child = demo.handling_case(db.session, case)
        assert child.kind == path and child.state == "received"
        link = db.session.get(ComplaintDetail if path == "complaint" else DenunciationDetail, child.id)
        assert link.letter_case_id == case.id
    if path == "split":
        children = [db.session.get(Case, i) for i in detail.linked_case_ids]
        assert [c.state for c in children] == ["classified", "classified"]
        assert [db.session.get(LetterDetail, c.id).content_type for c in children] == ["complaint", "denunciation"]
        assert all(db.session.get(LetterDetail, c.id).parent_letter_id == case.id for c in children)
        # each part keeps the sender, still apart from the file
        assert all(db.session.scalar(select(func.count(ProtectedIdentity.id))
                                     .where(ProtectedIdentity.case_id == c.id)) == 1 for c in children)


@pytest.mark.parametrize("path", sorted(demo.COMPLAINT_PATHS))
def test_complaint_paths(u, org, path):
    case = handling(org, u, "complaint")
    demo.walk(db.session, case, "complaint", demo.COMPLAINT_PATHS[path], u, path)
    assert case.state == demo.COMPLAINT_FINAL[path]
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []
    # a complainant is not secret (Luật Khiếu nại 2011): a party of the complaint
    assert [p.role for p in db.session.scalars(select(Party).where(Party.case_id == case.id))] == ["complainant"]


@pytest.mark.parametrize("path", sorted(demo.DENUNCIATION_PATHS))
def test_denunciation_paths(u, org, path):
    case = handling(org, u, "denunciation")
    demo.walk(db.session, case, "denunciation", demo.DENUNCIATION_PATHS[path], u, path)
    assert case.state == demo.DENUNCIATION_FINAL[path]
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []
    # the denouncer never becomes a party, and never enters the title or search text
    assert db.session.scalar(select(func.count(Party.id)).where(Party.case_id == case.id)) == 0
    assert "nhung" not in case.search_text and SENDER["full_name"] not in case.title


def test_letter_without_date_or_signature_is_not_accepted(u, org):
    case = letter(org, u, "complaint", letter_date=None, signed=False)
    demo.walk(db.session, case, "letter_intake", demo.LETTER_PATHS["complaint"][:2], u, "complaint")
    reasons = refused(case, "propose_acceptance", u["kiemtra"], ground="Luật Khiếu nại 2011, Điều 8")
    assert any("ngày" in r for r in reasons) and any("chữ ký" in r for r in reasons)


def test_anonymous_denunciation_letter_is_not_accepted(u, org):
    case = letter(org, u, "denunciation", sender={})
    demo.walk(db.session, case, "letter_intake", demo.LETTER_PATHS["denunciation"][:2], u, "denunciation")
    refused(case, "propose_acceptance", u["lanhdao"], {"accused": demo.ACCUSED}, ground="Luật Tố cáo 2018, Điều 25")


def test_a_denunciation_with_the_same_content_is_transferred_only_once(u, org):
    first = letter(org, u, "denunciation")
    demo.walk(db.session, first, "letter_intake", demo.LETTER_PATHS["transfer"], u, "transfer")
    again = letter(org, u, "denunciation")  # the same content, sent again
    demo.walk(db.session, again, "letter_intake", demo.LETTER_PATHS["transfer"][:2], u, "transfer")
    reasons = refused(again, "transfer", u["kiemtra"], {"transferred_to": "Thanh tra tỉnh"},
                      ground="Luật Tố cáo 2018, Điều 24")
    assert first.code in reasons[0]
    # the same rule inside the denunciation workflow, whoever sends it again
    other = "Tố cáo kế toán Công đoàn cơ sở giữ lại tiền hỗ trợ đoàn viên bị tai nạn lao động tháng 8/2026."
    d1 = handling(org, u, "denunciation", sender=demo.DEMO_SENDERS[1], content=other)
    engine.fire(d1, "transfer", u["kiemtra"], {"transferred_to": "Thanh tra tỉnh"})
    d2 = handling(org, u, "denunciation", sender=demo.DEMO_SENDERS[2], content=other)
    refused(d2, "transfer", u["kiemtra"], {"transferred_to": "Thanh tra tỉnh"}, ground="Điều 24")


def test_decision_before_acceptance_is_refused_with_its_ground(u, org):
    complaint = handling(org, u, "complaint")
    refused(complaint, "decide", u["lanhdao"], ground="Luật Khiếu nại 2011, Điều 27")
    denunciation = handling(org, u, "denunciation")
    refused(denunciation, "conclude", u["lanhdao"], ground="Luật Tố cáo 2018, Điều 29")
    # and from a state with no such step at all, a plain refusal
    engine.fire(complaint, "refuse", u["lanhdao"], {"refusal_ground": "unsigned"}, comment="Không ký.")
    with pytest.raises(InvalidTrigger):
        engine.fire(complaint, "decide", u["lanhdao"], {})


def test_refusal_grounds_are_the_nine_of_article_11(ctx):
    definition = engine.get_registry().get("complaint")
    refuse = definition.transition("refuse", "received")
    ground = next(f for f in refuse.fields if f.name == "refusal_ground")
    assert len(ground.choices) == 9
    assert all(lab["vi"].startswith(f"Khoản {i}:") for i, lab in enumerate(ground.choices.values(), 1))


@pytest.mark.parametrize("criteria,allowed", [((), 0), (("several_sites",), 1),
                                              (("several_sites", "foreign_element"), 2)])
def test_complexity_checklist_decides_the_extensions(u, org, criteria, allowed):
    case = handling(org, u, "denunciation")
    demo.walk(db.session, case, "denunciation", [("accept", "leader"), ("form_team", "leader")], u)
    engine.fire(case, "assess_complexity", u["kiemtra"], {k: True for k in criteria})
    for _n in range(allowed):
        engine.fire(case, "extend", u["lanhdao"], {"extension_days": 30}, comment="Phức tạp.")
    ground = "lần thứ ba" if allowed == 2 else "Nghị định 31/2019/NĐ-CP, Điều 3"
    refused(case, "extend", u["lanhdao"], {"extension_days": 30}, comment="Thêm.", ground=ground)
    assert db.session.get(DenunciationDetail, case.id).extension_count == allowed


def test_an_extension_is_at_most_30_days(u, org):
    case = handling(org, u, "denunciation")
    demo.walk(db.session, case, "denunciation", [("accept", "leader"), ("assess_complexity", "inspector")], u)
    refused(case, "extend", u["lanhdao"], {"extension_days": 31}, comment="x", ground="Luật Tố cáo 2018, Điều 30")


def test_verification_team_of_two_without_conflicts(u, org):
    case = handling(org, u, "denunciation")
    engine.fire(case, "accept", u["lanhdao"])
    one = {"team_leader_id": u["kiemtra"].id, "member_2_id": u["kiemtra"].id, "no_conflict_declared": True}
    refused(case, "form_team", u["lanhdao"], one, ground="Nghị định 31/2019/NĐ-CP, Điều 10")
    undeclared = {"team_leader_id": u["kiemtra"].id, "member_2_id": u["kiemtra2"].id}
    refused(case, "form_team", u["lanhdao"], undeclared, ground="cam kết")
    not_inspector = {"team_leader_id": u["kiemtra"].id, "member_2_id": u["tuvan1"].id, "no_conflict_declared": True}
    refused(case, "form_team", u["lanhdao"], not_inspector, ground="cán bộ kiểm tra")
    engine.fire(case, "declare_conflict", u["lanhdao"], {"conflicted_user_id": u["kiemtra3"].id},
                comment="Là em ruột của người bị tố cáo.")
    conflicted = {"team_leader_id": u["kiemtra"].id, "member_2_id": u["kiemtra3"].id, "no_conflict_declared": True}
    refused(case, "form_team", u["lanhdao"], conflicted, ground="xung đột lợi ích")
    engine.fire(case, "form_team", u["lanhdao"], {**conflicted, "member_2_id": u["kiemtra2"].id})
    assert case.state == "verifying" and case.assignee_id == u["kiemtra"].id


def test_dialogue_is_required_when_request_and_verification_differ(u, org):
    case = handling(org, u, "complaint")
    demo.walk(db.session, case, "complaint", [("accept", "leader"), ("start_verification", "inspector")], u)
    refused(case, "decide", u["lanhdao"], {"first_outcome": "rejected", "verification_differs": True},
            comment="Sai.", ground="Luật Khiếu nại 2011, Điều 30")


def test_time_barred_complaint_cannot_be_accepted(u, org):
    case = handling(org, u, "complaint")
    db.session.get(ComplaintDetail, case.id).known_date = case.received_date - timedelta(days=120)
    db.session.commit()
    refused(case, "accept", u["lanhdao"], ground="Luật Khiếu nại 2011, Điều 9")
    engine.fire(case, "accept", u["lanhdao"], {"limitation_obstacle": True})
    assert case.state == "accepted"


@pytest.fixture
def clock():
    """Move the engine's clock; restored afterwards."""
    original = engine_clock.source()
    state = {"now": datetime.now(UTC)}
    engine_clock.set_source(lambda: state["now"])

    def advance(days):
        state["now"] += timedelta(days=days)
    yield advance
    engine_clock.set_source(original)


def test_appeal_window_then_closing(u, org, clock):
    case = handling(org, u, "complaint")
    demo.walk(db.session, case, "complaint", demo.COMPLAINT_PATHS["first_resolution"], u, "first_resolution")
    refused(case, "close_no_appeal", u["lanhdao"], ground="Luật Khiếu nại 2011, Điều 33")
    sent = db.session.get(ComplaintDetail, case.id).first_decision_sent_date
    clock(31)
    refused(case, "lodge_second_complaint", u["vanthu"], {"second_complaint_date": sent + timedelta(days=31)},
            ground="Điều 33")
    engine.fire(case, "close_no_appeal", u["lanhdao"])
    assert case.state == "closed"


def test_overdue_denunciation_is_escalated(u, org, clock):
    case = handling(org, u, "denunciation")
    demo.walk(db.session, case, "denunciation", [("accept", "leader"), ("form_team", "leader")], u)
    refused(case, "escalate_overdue", u["lanhdao"], ground="Luật Tố cáo 2018, Điều 30")
    refused(case, "submit_overdue_report", u["kiemtra"], comment="Báo cáo.", ground="Điều 38")
    clock(45)  # past the 30 days whatever the day: an end on a day off moves to the next working day (Tết: ~9)
    engine.fire(case, "escalate_overdue", u["lanhdao"])
    engine.fire(case, "submit_overdue_report", u["kiemtra"], comment="Đã báo cáo lý do chậm.")
    assert db.session.get(DenunciationDetail, case.id).escalated


def test_the_file_never_names_the_denouncer(u, org):
    case = handling(org, u, "denunciation")
    engine.fire(case, "accept", u["lanhdao"])
    refused(case, "notify_acceptance", u["kiemtra"], comment=f"Đã gọi cho {SENDER['full_name'].upper()}",
            ground="Luật Tố cáo 2018, Điều 9")
    refused(case, "notify_acceptance", u["kiemtra"], comment=f"Đã gọi số {SENDER['phone'][:4]} {SENDER['phone'][4:]}",
            ground="Điều 56")
    with pytest.raises(GuardFailed):  # nor a letter's summary or content
        letter(org, u, "denunciation", title=f"Đơn của bà {SENDER['full_name']}")


def test_roles_are_enforced(u, org):
    case = handling(org, u, "denunciation")
    with pytest.raises(NotPermitted):
        engine.fire(case, "accept", u["vanthu"])  # a clerk registers, a leader accepts
    with pytest.raises(NotPermitted):
        engine.fire(case, "accept", u["quynhon"])  # out of scope


def test_duplicates_ignore_diacritics_and_never_need_the_name(u, org):
    first = letter(org, u, "complaint")
    plain = demo.CONTENTS["complaint"].replace("ế", "e").replace("ị", "i").replace("ố", "o")
    second = letter(org, u, "complaint", sender={"full_name": "LE THI HONG NHUNG", "address": "x"}, content=plain)
    other = letter(org, u, "petition", sender=demo.DEMO_SENDERS[2])
    found = likely_duplicates(db.session, db.session.get(LetterDetail, second.id))
    assert [d.code for d in found] == [first.code] and found[0].same_sender
    assert other.code not in [d.code for d in found]
    assert db.session.get(LetterDetail, second.id).sender_key == db.session.get(LetterDetail, first.id).sender_key
    assert local_today().year >= 2026


def test_only_a_user_of_the_unit_can_be_declared_conflicted(u, org):
    case = handling(org, u, "denunciation")
    refused(case, "declare_conflict", u["lanhdao"], {"conflicted_user_id": 10 ** 9}, comment="x",
            ground="đơn vị này")
    refused(case, "declare_conflict", u["lanhdao"], {"conflicted_user_id": u["quynhon"].id}, comment="x",
            ground="đơn vị này")


def _accepted_official_complaint(org, u, *, known_days_ago: int, **flags) -> Case:
    case = handling(org, u, "complaint")
    db.session.get(ComplaintDetail, case.id).known_date = case.received_date - timedelta(days=known_days_ago)
    db.session.commit()
    engine.fire(case, "accept", u["lanhdao"], {"official_discipline": True, **flags})
    return case


def _due(case, rule_key):
    from caseflow.deadlines.models import Deadline

    d = db.session.scalar(select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_key == rule_key))
    return d.rule["days"], d.rule["basis"]


def test_disciplinary_complaint_of_a_public_employee_has_15_days_not_90(u, org):
    """Luật Khiếu nại 2011, Chapter V (Art. 48): 20 days late is time-barred, though well within Art. 9's 90."""
    case = handling(org, u, "complaint")
    db.session.get(ComplaintDetail, case.id).known_date = case.received_date - timedelta(days=20)
    db.session.commit()
    refused(case, "accept", u["lanhdao"], {"official_discipline": True}, ground="Điều 48")
    engine.fire(case, "accept", u["lanhdao"], {})  # the same dates under the general rule: in time
    assert case.state == "accepted"


def test_disciplinary_complaint_periods_ignore_remote_areas(u, org):
    plain = _accepted_official_complaint(org, u, known_days_ago=5, remote_area=True)
    assert _due(plain, "first_decision") == (30, "Luật Khiếu nại 2011, Điều 50")
    complex_ = _accepted_official_complaint(org, u, known_days_ago=5, complex=True, remote_area=True)
    assert _due(complex_, "first_decision") == (45, "Luật Khiếu nại 2011, Điều 50")
    assert not db.session.get(ComplaintDetail, complex_.id).remote_area


@pytest.mark.parametrize("dismissal, window", [(False, 10), (True, 30)])
def test_disciplinary_second_complaint_window_is_10_days_or_30_against_dismissal(u, org, clock, dismissal, window):
    case = _accepted_official_complaint(org, u, known_days_ago=3, dismissal=dismissal)
    demo.walk(db.session, case, "complaint", demo.COMPLAINT_PATHS["first_resolution"][1:], u, "first_resolution")
    sent = db.session.get(ComplaintDetail, case.id).first_decision_sent_date
    refused(case, "close_no_appeal", u["lanhdao"], ground="Chương V")
    clock(window + 1)
    refused(case, "lodge_second_complaint", u["vanthu"], {"second_complaint_date": sent + timedelta(days=window + 1)},
            ground=f"trong vòng {window} ngày")
    engine.fire(case, "close_no_appeal", u["lanhdao"])
    assert case.state == "closed"
