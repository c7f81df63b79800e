"""The e-mail outbox (caseflow/jobs/outbox.py): written in the causing transaction, delivered by the worker
with retries and backoff, failures on the admin page with a retry button, never sent twice."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseflow.core import clock
from caseflow.extensions import db
from caseflow.jobs import outbox
from caseflow.jobs.models import OutboxMessage
from caseflow.jobs.outbox import claim, deliver_due, queue_message
from tests.conftest import csrf_token, login
from tests.smtp_sink import free_port, running_sink


@pytest.fixture
def sink():
    with running_sink() as s:
        yield s


@pytest.fixture
def app_config(sink):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": sink.port, "MAIL_FROM": "caseflow@ldld.test"}


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_rolled_back_transaction_sends_nothing_a_committed_one_is_delivered(ctx, sink):
    queue_message(db.session, "a@ldld.test", "[caseflow] thử", "nội dung", kind="test")
    db.session.rollback()
    assert _rows() == [] and sink.accepted == []
    queue_message(db.session, "b@ldld.test", "[caseflow] DP-2026-0001: quá hạn", "nội dung", kind="test")
    db.session.commit()  # immediate mode (tests): the kick after commit delivers at once
    (row,) = _rows()
    assert (row.status, row.attempts, row.sent_dt is not None) == ("sent", 1, True)
    assert [(to, subject) for _mid, to, subject in sink.accepted] == [("b@ldld.test", "[caseflow] DP-2026-0001: quá hạn")]
    assert sink.accepted[0][0] == f"<outbox-{row.id}-{row.created_dt:%Y%m%d%H%M%S}@ldld.test>"
    assert deliver_due(db.session, ctx.config).sent == 0 and len(sink.accepted) == 1  # never twice


def test_unreachable_server_retries_with_backoff_then_fails_and_the_admin_retries(app, org, client, sink):
    with app.app_context():
        app.config.update(MAIL_PORT=free_port(), OUTBOX_MAX_ATTEMPTS=3)  # nobody listens there
        queue_message(db.session, "c@ldld.test", "[caseflow] thử lại", "x", kind="test")
        db.session.commit()
        (row,) = _rows()
        assert (row.status, row.attempts) == ("pending", 1) and "ConnectionRefusedError" in row.last_error
        first_wait = row.next_attempt_dt - clock.now()
        assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)
        assert deliver_due(db.session, app.config).retried == 0  # not due yet: nothing claimed
        for attempt, backoff in ((2, 60), (3, None)):
            db.session.execute(OutboxMessage.__table__.update().values(next_attempt_dt=clock.now()))
            db.session.commit()
            deliver_due(db.session, app.config)
            (row,) = _rows()
            assert row.attempts == attempt
            if backoff:  # doubled
                assert row.status == "pending"
                assert timedelta(seconds=backoff - 5) < row.next_attempt_dt - clock.now() <= timedelta(seconds=backoff)
        assert row.status == "failed" and "ConnectionRefusedError" in row.last_error
        message_id = row.id
        db.session.remove()
    login(client, "tuvan1")
    assert client.get("/admin/outbox").status_code == 403
    assert client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf_token(client, "/cases/")}
                       ).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    login(client, "admin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert f'id="retry-{message_id}"' in page and "ConnectionRefusedError" in page and "c@ldld.test" in page
    app.config["MAIL_PORT"] = sink.port  # the server is back
    response = client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf_token(client, "/admin/outbox")})
    assert response.status_code == 302
    with app.app_context():
        (row,) = _rows()
        assert row.status == "sent" and [a[1] for a in sink.accepted] == ["c@ldld.test"]
    again = client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf_token(client, "/admin/outbox")},
                        follow_redirects=True)
    assert again.status_code == 200 and len(sink.accepted) == 1  # a sent message is not retried
    assert client.post("/admin/outbox/999999/retry", data={"csrf_token": csrf_token(client, "/admin/outbox")}
                       ).status_code == 404
    assert client.post(f"/admin/outbox/{message_id}/retry").status_code in (302, 303, 400)  # no CSRF: refused


def test_a_permanent_refusal_fails_at_once(ctx, monkeypatch):
    import smtplib

    class Refusing:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, msg):
            raise smtplib.SMTPDataError(554, b"5.7.1 rejected")

    monkeypatch.setattr(smtplib, "SMTP", Refusing)
    queue_message(db.session, "d@ldld.test", "s", "b", kind="test")
    db.session.commit()
    (row,) = _rows()
    assert (row.status, row.attempts) == ("failed", 1) and "554" in row.last_error


def test_claims_are_exclusive_and_a_dead_workers_lease_runs_out(ctx):
    ctx.config["MAIL_SERVER"] = None  # nothing delivers at commit... and nothing may be lost either
    for i in range(5):
        queue_message(db.session, f"u{i}@ldld.test", f"s{i}", "b", kind="test")
    db.session.commit()
    db.session.execute(OutboxMessage.__table__.update().values(status="pending", attempts=0,
                                                               next_attempt_dt=clock.now()))
    db.session.commit()
    now = clock.now()
    first = claim(db.session, "a" * 32, now, lease_seconds=60, limit=3)
    second = claim(db.session, "b" * 32, now, lease_seconds=60, limit=10)
    assert [r.id for r in first] and not {r.id for r in first} & {r.id for r in second}
    assert len(first) + len(second) == 5
    assert claim(db.session, "c" * 32, now, lease_seconds=60) == []  # all held
    later = claim(db.session, "c" * 32, now + timedelta(seconds=61), lease_seconds=60)
    assert len(later) == 5 and all(r.attempts == 2 for r in later)  # the leases ran out: claimed again
    assert 0 < outbox.next_due_in(db.session) <= 121
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5


@pytest.mark.parametrize("refusal", ["recipients", "data", "unreachable"])
def test_failures_log_the_class_and_the_message_id_never_the_address(ctx, monkeypatch, caplog, refusal):
    """The server's words may name the recipient (a staff member's or a portal sender's address): they stay
    on the row, for the admin page; a log line says only what failed and which message."""
    import logging
    import smtplib

    address = "nguoi-gui.bi-mat@ldld.test"

    class Refusing:
        def __init__(self, *a, **k):
            if refusal == "unreachable":
                raise ConnectionRefusedError(111, f"no route for {address}")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, msg):
            if refusal == "recipients":
                raise smtplib.SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}>: unknown".encode())})
            raise smtplib.SMTPDataError(554, f"5.7.1 <{address}> rejected".encode())

    monkeypatch.setattr(smtplib, "SMTP", Refusing)
    caplog.set_level(logging.INFO)
    queue_message(db.session, address, "s", "b", kind="test")
    db.session.commit()
    (row,) = _rows()
    assert address in row.last_error  # the admin page still says why
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("caseflow")]
    assert any(f"message {row.id} " in line for line in lines), lines
    assert not any("bi-mat" in line for line in lines), lines
    expected = {"recipients": "SMTPRecipientsRefused", "data": "SMTPDataError 554", "unreachable": "ConnectionRefusedError"}
    assert any(expected[refusal] in line for line in lines), lines
