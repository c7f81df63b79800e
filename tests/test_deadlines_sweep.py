"""`caseflow deadlines sweep`: breaches with audit events, lead-time and breach notifications, idempotent."""
from datetime import date
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from caseflow.core import engine
from caseflow.core.engine.audit import verify_all
from caseflow.core.engine.errors import Conflict
from caseflow.core.models import Case, CaseEvent, RoleAssignment, Unit, User
from caseflow.deadlines.models import Deadline, Notification
from caseflow.deadlines.service import load_calendar
from caseflow.deadlines.sweep import lead_windows, sweep
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY
from tests.deadline_helpers import open_probe, probe_config, use_clock
from tests.factories import user


@pytest.fixture
def app_config(tmp_path):
    return probe_config(tmp_path)


def _sweep(day: date):
    clock = use_clock(day)
    return sweep(db.session, load_calendar(db.session), AUDIT_KEY.encode(), today=day, now=clock.now)


def _assigned_probe(org, received):
    case = open_probe(org, received)
    case.assignee_id = org["users"]["kiemtra"]
    db.session.commit()
    return case


def _notes():
    return sorted((n.user_id, n.kind) for n in db.session.scalars(select(Notification)))


def test_lead_windows_in_working_days():
    cal = load_calendar.__globals__["WorkingCalendar"]()
    # Thursday 13/08/2026: 1 working day -> Friday 14/08; 3 -> Tuesday 18/08
    assert lead_windows(cal, date(2026, 8, 13), (3, 1)) == [
        ("due_in_1", date(2026, 8, 13), date(2026, 8, 14)), ("due_in_3", date(2026, 8, 15), date(2026, 8, 18))]


def test_sweep_warns_then_breaches_once_and_escalates_to_the_leader(ctx, org, clock):
    clock(date(2026, 3, 2))
    case = _assigned_probe(org, date(2026, 3, 2))  # initial processing due 11/03/2026 (7 working days)
    assert _sweep(date(2026, 3, 5)).notified == 0
    first = _sweep(date(2026, 3, 6))  # 3 working days left
    assert (first.breached, first.notified) == (0, 1) and _notes() == [(org["users"]["kiemtra"], "due_in_3")]
    assert _sweep(date(2026, 3, 6)).notified == 0  # running twice sends nothing twice
    assert _sweep(date(2026, 3, 10)).notified == 1  # 1 working day left
    breach = _sweep(date(2026, 3, 12))
    assert (breach.breached, breach.events, breach.notified) == (1, 1, 2)
    assert (org["users"]["lanhdao"], "breached") in _notes() and (org["users"]["kiemtra"], "breached") in _notes()
    again = _sweep(date(2026, 3, 12))
    assert (again.breached, again.events, again.notified) == (0, 0, 0)
    d = db.session.scalar(select(Deadline).where(Deadline.case_id == case.id))
    assert d.status == "breached" and d.breached_dt is not None
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                               .order_by(CaseEvent.seq.desc())).first()
    assert event.trigger == "deadline_breached" and event.actor_id is None
    assert event.payload == {"deadlines": [{"rule": "initial_processing", "change": "breached", "due": "2026-03-11",
                                            "status": "breached"}]}
    assert verify_all(db.session, AUDIT_KEY.encode())[1] == []


def test_a_breach_reaches_the_nearest_leadership_above_a_unit_without_a_leader(ctx, org, clock):
    clock(date(2026, 3, 2))
    grassroots = db.session.get(Unit, org["units"]["CĐCS-MMQN"])
    city = db.session.get(Unit, org["units"]["LĐLĐ-QN"])
    case = engine.open_case(db.session, "deadline_probe", grassroots, user(org, "kiemtra"), {},
                            title="Đơn tố cáo thử", received_date=date(2026, 3, 2))
    _sweep(date(2026, 3, 12))
    # nobody leads the grassroots union or the city federation in caseflow: the province's leader hears of it
    assert [u for u, kind in _notes() if kind == "breached"] == [org["users"]["lanhdao"]]
    city_leader = User(username="ldqn", full_name="Trương Văn Bình", password_hash="x")
    city_leader.roles.append(RoleAssignment(role="leader", unit=city))
    db.session.add(city_leader)
    second = engine.open_case(db.session, "deadline_probe", grassroots, user(org, "kiemtra"), {},
                              title="Đơn tố cáo thử 2", received_date=date(2026, 3, 2))
    _sweep(date(2026, 3, 12))
    notified = db.session.scalars(select(Notification.user_id).where(Notification.case_id == second.id,
                                                                     Notification.kind == "breached")).all()
    assert notified == [city_leader.id]  # the nearest leadership, not every level above
    assert case.id != second.id


def test_meeting_a_breached_deadline_records_it_late_and_the_chain_holds(ctx, org, clock):
    clock(date(2026, 3, 2))
    case = _assigned_probe(org, date(2026, 3, 2))
    _sweep(date(2026, 3, 12))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    clock(date(2026, 3, 13))
    engine.fire(case, "accept", user(org, "kiemtra"))
    d = db.session.scalar(select(Deadline).where(Deadline.case_id == case.id,
                                                 Deadline.rule_key == "initial_processing"))
    assert d.status == "met_late"
    assert verify_all(db.session, AUDIT_KEY.encode())[1] == []


def test_a_fire_on_a_case_read_before_the_sweep_is_a_conflict_not_a_broken_chain(ctx, org, clock):
    clock(date(2026, 3, 2))
    case = _assigned_probe(org, date(2026, 3, 2))
    version = case.version
    _sweep(date(2026, 3, 12))
    with pytest.raises(Conflict):
        engine.fire(case, "accept", user(org, "kiemtra"), expected_version=version)
    assert verify_all(db.session, AUDIT_KEY.encode())[1] == []


def test_paused_deadlines_are_never_breached(ctx, org, clock):
    clock(date(2026, 3, 2))
    case = _assigned_probe(org, date(2026, 3, 2))
    engine.fire(case, "accept", user(org, "kiemtra"))
    engine.fire(case, "suspend", user(org, "kiemtra"))
    _sweep(date(2026, 6, 1))
    statuses = dict(db.session.execute(select(Deadline.rule_key, Deadline.status)
                                       .where(Deadline.case_id == case.id)).all())
    assert statuses["resolution"] == "paused" and statuses["review"] == "breached"


def _cli_sweep_twice(runner, day: str):
    return [runner.invoke(args=["deadlines", "sweep", "--today", day]) for _ in range(2)]


def test_cli_sweep_twice(app, org, runner, clock):
    with app.app_context():
        clock(date(2026, 3, 2))
        _assigned_probe(org, date(2026, 3, 2))
        db.session.remove()
    first, second = _cli_sweep_twice(runner, "2026-03-12")
    assert first.exit_code == 0 and "1 breached" in first.output, first.output
    assert "0 breached, 0 audit events, 0 notifications" in second.output
    bad = runner.invoke(args=["deadlines", "sweep", "--today", "12/03/2026"])
    assert bad.exit_code == 2 and "not a date" in bad.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))) == 2


def test_two_sweeps_at_once_breach_and_notify_once(app, org, clock):
    """Several hosts may run the sweep at the same moment: each deadline is claimed by one of them."""
    import threading

    from sqlalchemy.orm import Session

    with app.app_context():
        clock(date(2026, 3, 2))
        for _ in range(6):
            _assigned_probe(org, date(2026, 3, 2))
        db.session.remove()
        bind = db.engine
        barrier, results, errors = threading.Barrier(2), [], []

        def run(offset):
            try:
                with Session(bind) as session:
                    calendar = load_calendar(session)
                    session.rollback()
                    barrier.wait()
                    results.append(sweep(session, calendar, AUDIT_KEY.encode(), today=date(2026, 3, 12),
                                         now=use_clock(date(2026, 3, 12)).now.replace(microsecond=offset)))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert sum(r.breached for r in results) == 6 and sum(r.events for r in results) == 6
        assert db.session.scalar(select(func.count(Notification.id))) == 12
        assert verify_all(db.session, AUDIT_KEY.encode())[1] == []


class FakeSMTP:
    sent: ClassVar[list] = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, msg):
        FakeSMTP.sent.append((msg["To"], msg["Subject"]))


def test_email_copies_when_smtp_is_configured_and_never_twice(app, org, runner, monkeypatch, clock):
    import smtplib

    from caseflow.core.models import User

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    app.config["MAIL_SERVER"] = "smtp.example.invalid"
    with app.app_context():
        clock(date(2026, 3, 2))
        _assigned_probe(org, date(2026, 3, 2))
        db.session.get(User, org["users"]["kiemtra"]).email = "kiemtra@example.invalid"
        db.session.commit()
        db.session.remove()
    first, second = _cli_sweep_twice(runner, "2026-03-12")
    assert "e-mails queued: 1" in first.output and "e-mails" not in second.output, (first.output, second.output)
    subject = "[caseflow] DP-2026-0001: đã quá hạn “Xử lý ban đầu thông tin tố cáo” (hạn 11/03/2026)."
    assert FakeSMTP.sent == [("kiemtra@example.invalid", subject)]
