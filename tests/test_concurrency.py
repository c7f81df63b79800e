"""Two sessions on their own connections fire conflicting triggers on the same case: exactly one wins, the
other gets a Conflict, and the chain gains exactly one event (PostgreSQL row locks, SQLite's write lock)."""
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.engine.audit import verify_all
from caseflow.core.engine.errors import Conflict
from caseflow.core.models import Case, CaseEvent, User
from caseflow.core.policy import roles_on
from caseflow.db_setup import install_connection_pragmas
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY
from tests.factories import open_legal_aid

REFER = ("refer", "tuvan1", {"referred_to": "Sở Lao động – Thương binh và Xã hội"}, "Ngoài phạm vi.")
DECLINE = ("decline", "lanhdao", {"decline_reason": "Không thuộc phạm vi tư vấn."}, "")
CONSULT = ("start_consultation", "tuvan2", {}, "")


@pytest.fixture
def bind(app):
    """A second engine: its own pool, its own connections."""
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    install_connection_pragmas(other)
    yield other
    other.dispose()


def _load(session: Session, case_id: int, username: str):
    """Everything a fire reads, loaded before the race starts."""
    case = session.get(Case, case_id)
    actor = session.scalar(select(User).where(User.username == username))
    roles_on(session, actor, case.unit)
    _ = (case.version, case.legal_aid.need, actor.active)
    return case, actor


class Contender(threading.Thread):
    """Loads the case in its own session, waits for `go`, fires, records "won" / "conflict" / an error."""

    def __init__(self, app, bind, case_id, step, go: threading.Event):
        super().__init__(daemon=True)
        self.app, self.bind, self.case_id, self.step, self.go = app, bind, case_id, step, go
        self.loaded = threading.Event()
        self.outcome = None

    def run(self):
        trigger, username, data, comment = self.step
        with self.app.app_context(), Session(self.bind) as session:
            try:
                case, actor = _load(session, self.case_id, username)
                self.loaded.set()
                self.go.wait(10)
                engine.fire(case, trigger, actor, data, comment=comment, session=session)
                self.outcome = "won"
            except Conflict:
                self.outcome = "conflict"
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                self.outcome = repr(exc)
            finally:
                self.loaded.set()


def _events(case_id):
    return db.session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case_id))


def test_a_fire_waiting_on_an_open_transaction_gets_a_conflict(ctx, org, bind):
    """A holds its transaction open after writing; B, who read the same version, blocks on the row
    (or SQLite's write lock) and, once A commits, is refused with a Conflict instead of overwriting."""
    case_id = open_legal_aid(org).id
    db.session.remove()
    go = threading.Event()
    b = Contender(ctx, bind, case_id, DECLINE, go)
    b.start()
    assert b.loaded.wait(10)
    with Session(bind) as session_a:
        case, actor = _load(session_a, case_id, REFER[1])
        engine.fire(case, REFER[0], actor, REFER[2], comment=REFER[3], session=session_a, commit=False)
        go.set()
        time.sleep(0.4)
        assert b.is_alive(), f"B did not wait for A's open transaction: {b.outcome}"
        session_a.commit()
    b.join(15)
    assert b.outcome == "conflict"
    case = db.session.get(Case, case_id)
    assert case.state == "referred" and case.legal_aid.decline_reason is None
    assert _events(case_id) == 2  # open + refer
    assert verify_all(db.session, AUDIT_KEY.encode()) == (1, [])


@pytest.mark.parametrize("first, second", [(REFER, DECLINE), (CONSULT, REFER)])
def test_two_racing_fires_exactly_one_wins(ctx, org, bind, first, second):
    case_id = open_legal_aid(org).id
    db.session.remove()
    go = threading.Event()
    contenders = [Contender(ctx, bind, case_id, first, go), Contender(ctx, bind, case_id, second, go)]
    for c in contenders:
        c.start()
    assert all(c.loaded.wait(10) for c in contenders)
    go.set()
    for c in contenders:
        c.join(15)
    outcomes = sorted(c.outcome for c in contenders)
    assert outcomes == ["conflict", "won"], outcomes
    assert _events(case_id) == 2
    winner = next(c for c in contenders if c.outcome == "won").step[0]
    db.session.remove()
    case = db.session.get(Case, case_id)
    assert case.state == {"refer": "referred", "decline": "declined", "start_consultation": "consulting"}[winner]
    assert verify_all(db.session, AUDIT_KEY.encode()) == (1, [])
