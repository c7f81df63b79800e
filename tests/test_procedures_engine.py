"""The union's internal procedures through the engine: every path of every workflow, dossiers refused
naming the missing item, configuration overrides, officers, the BTV rule and commendation rounds."""
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.errors import GuardFailed
from caseflow.core.models import Attachment, Case, CaseEvent
from caseflow.extensions import db
from caseflow.union import config as procedure_config
from caseflow.union.demo import CASE_UNIT, FINAL, PATHS, open_for_path, seed_rounds, upload_missing, walk
from caseflow.union.models import UnitFounding, UnitOfficer
from tests.conftest import AUDIT_KEY
from tests.factories import unit, user

TODAY = local_today()
ALL_PATHS = [(w, p) for w, paths in PATHS.items() for p in paths]


def actors(org):
    return {"organiser": user(org, "tochuc"), "leader": user(org, "lanhdao"), "clerk": user(org, "vanthu"),
            "inspector": user(org, "kiemtra")}


def open_case(org, workflow, path="recognised"):
    opener = user(org, "kiemtra" if workflow == "discipline" else "tochuc")
    return open_for_path(db.session, workflow, path, unit(org, CASE_UNIT[workflow]), opener,
                         TODAY - timedelta(days=40))


def day0(workflow):
    return TODAY - timedelta(days=20 if workflow == "commendation" else 41)


@pytest.mark.parametrize("workflow,path", ALL_PATHS)
def test_every_path_walks_to_its_end(ctx, org, workflow, path):
    seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    case = open_case(org, workflow, path)
    steps = PATHS[workflow][path]
    if path == "complaint" and "complaint" not in get_registry().latest:
        steps = steps[:-2]
        walk(db.session, case, steps, actors(org), current_app.config["STORAGE_DIR"], day0(workflow))
        with pytest.raises(GuardFailed) as refused:
            engine.fire(case, "open_complaint", user(org, "kiemtra"),
                        {"complaint_summary": "Khiếu nại", "complaint_received": TODAY})
        assert "chưa được cài đặt" in " ".join(refused.value.reasons)  # "not installed yet (pending)"
        assert case.state == "notified"
        return
    walk(db.session, case, steps, actors(org), current_app.config["STORAGE_DIR"], day0(workflow))
    assert case.state == FINAL[path]
    triggers = [e.trigger for e in db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                                     .order_by(CaseEvent.seq))]
    assert triggers == ["open"] + [s[0] for s in steps if s[0] != "upload"]
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []


def _walk_until(org, workflow, path, trigger, upload=True):
    """Walk a path up to (not including) `trigger`, uploading the dossier on the way or not."""
    case = open_case(org, workflow, path)
    steps = PATHS[workflow][path]
    index = [s[0] for s in steps].index(trigger)
    walk(db.session, case, [s for s in steps[:index] if upload or s[0] != "upload"], actors(org),
         current_app.config["STORAGE_DIR"], day0(workflow))
    return case


@pytest.mark.parametrize("workflow,trigger,item", [
    ("cdcs_founding", "submit_dossier", "vote_count_minutes"),
    ("committee_recognition", "submit", "first_meeting_minutes"),
    ("committee_supplement", "request_recognition", "approval_in_principle"),
    ("commendation", "check_complete", "achievement_report"),
])
def test_dossier_missing_one_item_is_refused_naming_it_then_allowed(ctx, org, workflow, trigger, item):
    seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    case = _walk_until(org, workflow, "recognised" if workflow != "commendation" else "awarded", trigger,
                       upload=False)
    storage = current_app.config["STORAGE_DIR"]
    upload_missing(db.session, storage, case, user(org, "tochuc"))
    db.session.execute(Attachment.__table__.delete().where(Attachment.case_id == case.id,
                                                          Attachment.dossier_item == item))
    db.session.commit()
    definition = get_registry().get(workflow)
    label_vi = procedure_config.declared_dossier(definition)[item]["label"]["vi"]
    state = case.state
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, trigger, user(org, "tochuc"))
    assert len(refused.value.reasons) == 1 and label_vi in refused.value.reasons[0]
    db.session.refresh(case)
    assert case.state == state
    upload_missing(db.session, storage, case, user(org, "tochuc"))
    engine.fire(case, trigger, user(org, "tochuc"))
    assert case.state != state


def test_an_admin_may_make_an_unverified_item_optional(ctx, org):
    case = _walk_until(org, "cdcs_founding", "recognised", "submit_dossier", upload=False)
    definition = get_registry().get("cdcs_founding")
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, "submit_dossier", user(org, "tochuc"))
    assert len(refused.value.reasons) == 8
    for key in procedure_config.declared_dossier(definition):
        procedure_config.override(db.session, definition, f"dossier:{key}", {"required": False},
                                  "Thử nghiệm", user(org, "admin"))
    db.session.commit()
    engine.fire(case, "submit_dossier", user(org, "tochuc"))
    assert case.state == "under_review"


def test_supplement_state_is_declared_as_a_paused_clock(ctx):
    """"Clock stopped while a supplement is requested": pause_in for the deadline machinery (issue 3)."""
    for workflow, state in [("cdcs_founding", "needs_supplement"), ("committee_recognition", "returned"),
                            ("committee_supplement", "returned")]:
        rule = get_registry().get(workflow).extra["deadlines"]["review"]
        assert rule["pause_in"] == [state] and rule["unit"] == "working" and rule["days"] == 10


def test_recognition_creates_the_unit_and_officers(ctx, org):
    case = open_case(org, "cdcs_founding")
    walk(db.session, case, PATHS["cdcs_founding"]["manager_excluded"], actors(org),
         current_app.config["STORAGE_DIR"], day0("cdcs_founding"))
    founding = db.session.scalar(select(UnitFounding).where(UnitFounding.case_id == case.id))
    new = founding.unit
    assert (new.code, new.kind, new.parent_id) == ("CĐCS-MOI", "grassroots", unit(org, "LĐLĐ-QN").id)
    assert new.effective_from_date == day0("cdcs_founding") + timedelta(days=25)
    assert new.is_within(unit(org, "province"))
    names = {(o.full_name, o.position) for o in db.session.scalars(select(UnitOfficer)
                                                                    .where(UnitOfficer.unit_id == new.id))}
    assert ("Nguyễn Thị Hồng", "chair") in names and ("Phạm Văn Sơn", "ubkt_chair") in names
    assert not any(n == "Trương Văn Quý" for n, _p in names)  # the manager was refused individually
    assert founding.members_count == 11


def test_a_manager_must_be_refused_individually_before_recognition(ctx, org):
    case = _walk_until(org, "cdcs_founding", "manager_excluded", "exclude_officer")
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, "recognise", user(org, "lanhdao"), {"unit_code": "CĐCS-X", "decision_number": "1/QĐ",
                                                             "decision_date": TODAY})
    assert any("Trương Văn Quý" in r for r in refused.value.reasons)


def test_too_few_members_cannot_be_admitted_and_the_minimum_is_configuration(ctx, org):
    case = open_case(org, "cdcs_founding")
    engine.fire(case, "request_admission", user(org, "tochuc"), {"applications_count": 4})
    with pytest.raises(GuardFailed):
        engine.fire(case, "admit_members", user(org, "lanhdao"), {"members_admitted": 4, "admission_date": TODAY})
    definition = get_registry().get("cdcs_founding")
    procedure_config.override(db.session, definition, "min_members", {"value": 3}, "Điều lệ khóa XIII (thử)",
                              user(org, "admin"))
    db.session.commit()
    engine.fire(case, "admit_members", user(org, "lanhdao"), {"members_admitted": 4, "admission_date": TODAY})
    assert case.state == "members_admitted"


def test_btv_only_where_the_bch_has_nine_members(ctx, org):
    case = open_case(org, "committee_recognition")
    eight = "\n".join(["A Văn Một | Chủ tịch, Ủy viên BTV", "B Văn Hai | Ủy viên BTV"] +
                      [f"C Văn {i} | Ủy viên BCH" for i in range(6)])
    with pytest.raises(GuardFailed) as refused:
        engine.fire(case, "hold_first_meeting", user(org, "tochuc"), {"meeting_date": TODAY, "officers_text": eight})
    assert "9" in refused.value.reasons[0] and "8" in refused.value.reasons[0]
    nine = eight + "\nD Văn Chín | Ủy viên BCH"
    engine.fire(case, "hold_first_meeting", user(org, "tochuc"), {"meeting_date": TODAY, "officers_text": nine})
    assert case.state == "first_meeting_held"


def test_a_new_term_ends_the_previous_officers(ctx, org):
    first = open_case(org, "committee_recognition")
    walk(db.session, first, PATHS["committee_recognition"]["recognised"], actors(org),
         current_app.config["STORAGE_DIR"], date(2026, 1, 1))
    second = open_case(org, "committee_recognition")
    steps = PATHS["committee_recognition"]["recognised"]
    walk(db.session, second, steps, actors(org), current_app.config["STORAGE_DIR"], date(2026, 6, 1))
    rows = db.session.scalars(select(UnitOfficer).where(UnitOfficer.unit_id == unit(org, "CĐCS-MMQN").id)).all()
    old = [o for o in rows if o.source_case_id == first.id]
    new = [o for o in rows if o.source_case_id == second.id]
    assert old and all(o.to_date == date(2026, 6, 15) for o in old)
    assert new and all(o.to_date is None and o.from_date == date(2026, 6, 16) for o in new)


def test_only_the_superior_union_decides_on_a_committee(ctx, org):
    from caseflow.core.models import RoleAssignment

    chair = user(org, "quynhon")
    chair.roles.append(RoleAssignment(role="leader", unit=unit(org, "CĐCS-MMQN")))
    db.session.commit()
    case = _walk_until(org, "committee_recognition", "refused", "refuse")
    with pytest.raises(GuardFailed):
        engine.fire(case, "refuse", chair, comment="tự quyết")  # a leader of the CĐCS itself
    engine.fire(case, "refuse", user(org, "lanhdao"), comment="không đúng trình tự")
    assert case.state == "refused"


def test_a_dossier_after_the_cut_off_goes_to_the_next_round(ctx, org):
    seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    cut_off = date(TODAY.year, 10, 15)
    case = open_case(org, "commendation", "awarded")
    engine.fire(case, "submit_dossier", user(org, "tochuc"), {"received_on": cut_off})
    assert case.data["round_year"] == TODAY.year
    engine.fire(case, "return_for_supplement", user(org, "tochuc"), comment="bổ sung")
    engine.fire(case, "resubmit", user(org, "tochuc"), {"received_on": cut_off + timedelta(days=1)})
    assert case.data["round_year"] == TODAY.year + 1
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                               .order_by(CaseEvent.seq.desc())).first()
    assert event.payload["round"]["moved_from"] == TODAY.year


def test_no_round_open_is_refused(ctx, org):
    case = open_case(org, "commendation", "awarded")
    with pytest.raises(GuardFailed):
        engine.fire(case, "submit_dossier", user(org, "tochuc"))


def test_council_vote_below_the_configured_share_is_refused(ctx, org):
    seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    case = _walk_until(org, "commendation", "awarded", "council_review")
    with pytest.raises(GuardFailed):
        engine.fire(case, "council_review", user(org, "lanhdao"),
                    {"council_date": TODAY, "votes_for": 5, "council_members": 11})
    engine.fire(case, "council_review", user(org, "lanhdao"),
                {"council_date": TODAY, "votes_for": 6, "council_members": 11})
    engine.fire(case, "publish_notice", user(org, "tochuc"), {"notice_from": TODAY})
    with pytest.raises(GuardFailed) as early:
        engine.fire(case, "decide", user(org, "lanhdao"), {"decision_number": "1/QĐ", "decision_date": TODAY})
    assert "công khai" in early.value.reasons[0].lower() or "notice" in early.value.reasons[0].lower()
    with pytest.raises(GuardFailed):
        engine.fire(case, "forward", user(org, "lanhdao"))  # an own-level award is not forwarded


def test_documents_declared_with_the_fixed_keys(ctx):
    expected = {("cdcs_founding", "recognise"): ("quyet_dinh_cong_nhan_cdcs",),
                ("committee_recognition", "recognise"): ("quyet_dinh_cong_nhan_bch",),
                ("committee_supplement", "recognise"): ("quyet_dinh_cong_nhan_bch",),
                ("commendation", "council_review"): ("to_trinh_khen_thuong",),
                ("commendation", "decide"): ("quyet_dinh_khen_thuong",),
                ("discipline", "decide"): ("quyet_dinh_ky_luat",)}
    for (workflow, trigger), keys in expected.items():
        t = next(t for t in get_registry().get(workflow).transitions if t.trigger == trigger)
        assert t.documents == keys


def test_attachments_are_stored_by_sha256(ctx, org):
    import hashlib
    from pathlib import Path

    case = open_case(org, "cdcs_founding")
    upload_missing(db.session, current_app.config["STORAGE_DIR"], case, user(org, "tochuc"))
    att = db.session.scalars(select(Attachment).where(Attachment.case_id == case.id)).first()
    stored = Path(current_app.config["STORAGE_DIR"]) / att.storage_key
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == att.sha256
    assert db.session.scalar(select(func.count(Attachment.id)).where(Attachment.case_id == case.id)) == 8


def test_document_context_is_plain_data_for_each_procedure(ctx, org):
    import json

    from caseflow.union.documents import BUILDERS

    seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    expected = {"cdcs_founding": ("manager_excluded", "committee"), "committee_recognition": ("recognised", "members"),
                "committee_supplement": ("recognised", "members"), "commendation": ("awarded", "awardees"),
                "discipline": ("closed", "sanction")}
    for workflow, (path, key) in expected.items():
        case = open_case(org, workflow, path)
        walk(db.session, case, PATHS[workflow][path], actors(org), current_app.config["STORAGE_DIR"], day0(workflow))
        context = BUILDERS[workflow](db.session, case, "x", {})
        json.dumps(context, default=str)  # plain data only
        assert context[key], (workflow, context)
    founded = db.session.get(Case, db.session.scalars(select(UnitFounding)).one().case_id)
    cdcs = BUILDERS["cdcs_founding"](db.session, founded, "quyet_dinh_cong_nhan_cdcs", {})
    assert "Trương Văn Quý" not in str(cdcs["committee"]) and cdcs["members_count"] == 11
    assert {"full_name": "Nguyễn Thị Hồng", "position": "Chủ tịch"} in cdcs["committee"]


@pytest.mark.parametrize("workflow,path,submit,supplement,resubmit,decide", [
    ("cdcs_founding", "recognised", "submit_dossier", "request_supplement", "resubmit", "recognise"),
    ("committee_recognition", "recognised", "submit", "return_for_supplement", "resubmit", "recognise"),
])
def test_the_review_clock_stops_while_a_supplement_is_requested(ctx, org, workflow, path, submit, supplement,
                                                                resubmit, decide):
    """Runs where the deadline machinery (issue 3) is installed: the review deadline opens on a complete
    dossier, is paused in the supplement state, resumes on resubmission and is met by the decision."""
    pytest.importorskip("caseflow.deadlines")
    from caseflow.deadlines.models import Deadline

    case = _walk_until(org, workflow, path, supplement)

    def review():
        return db.session.scalars(select(Deadline).where(Deadline.case_id == case.id,
                                                         Deadline.rule_key == "review")).one()

    assert review().status == "open" and review().days == 10 and review().day_unit == "working"
    engine.fire(case, supplement, user(org, "tochuc"), comment="Bổ sung biên bản")
    assert review().status == "paused"
    engine.fire(case, resubmit, user(org, "tochuc"))
    assert review().status == "open"
    steps = PATHS[workflow][path]
    build = next(s[2] for s in steps if s[0] == decide)
    engine.fire(case, decide, user(org, "lanhdao"), build(day0(workflow)))
    assert review().status == "met"


@pytest.mark.parametrize("workflow,path", [("cdcs_founding", "recognised"), ("committee_recognition", "recognised"),
                                           ("committee_supplement", "recognised"), ("commendation", "awarded"),
                                           ("discipline", "closed")])
def test_each_step_leaves_its_documents_as_drafts(ctx, org, workflow, path):
    """Runs where the documents subsystem (issue 5) is installed: every `documents:` step leaves a draft
    of that type built from this feature's plain-data context."""
    pytest.importorskip("caseflow.documents")
    from caseflow.documents.models import DocumentDetail as Document

    seed_rounds(db.session, [TODAY.year, TODAY.year + 1])
    case = open_case(org, workflow, path)
    walk(db.session, case, PATHS[workflow][path], actors(org), current_app.config["STORAGE_DIR"], day0(workflow))
    definition = get_registry().get(workflow)
    fired = {s[0] for s in PATHS[workflow][path]}
    expected = sorted(k for t in definition.transitions if t.trigger in fired for k in t.documents)
    drafts = db.session.scalars(select(Document).where(Document.source_case_id == case.id)).all()
    assert sorted(d.type_key for d in drafts) == expected
    assert all(d.number is None for d in drafts)  # drafts: numbered only when issued
