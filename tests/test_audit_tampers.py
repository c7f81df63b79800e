"""`caseflow audit verify` sees every tamper of the probe (issue 17, defect 5): the 8 rewrites of someone
holding the database (but not the audit key), each caught, with an export of the chain heads where only
that can see it; and the database itself refuses a case's state changed without its event."""
from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from caseflow.core import engine
from caseflow.core.models import Case, CaseEvent
from caseflow.demo import PATHS, step_data
from caseflow.extensions import db
from tests.conftest import append_only_off, case_guards_off
from tests.factories import open_legal_aid, user

ACTOR = {"legal_officer": "tuvan1", "leader": "lanhdao"}


@pytest.fixture
def walked(app, org):
    """Two legal-aid cases walked to their end (advice: open + 3 events), as (id, code)."""
    rng = random.Random(17)
    out = []
    with app.app_context():
        for worker in ("Nguyễn Văn Ánh", "Trần Thị Bích"):
            case = open_legal_aid(org, worker=worker, received=date(2026, 11, 2))
            for trigger, role in PATHS["advice"]:
                data, comment = step_data(trigger, rng, date(2026, 11, 2), date(2026, 11, 20))
                engine.fire(case, trigger, user(org, ACTOR[role]), data, comment=comment or "Ghi nhận.")
            out.append((case.id, case.code))
        db.session.remove()
    return out


def _raw(app, backend, *statements: tuple[str, dict]) -> None:
    """Write around the engine as whoever holds the database would (append-only and state triggers off)."""
    with app.app_context():
        with append_only_off(db.session, backend), case_guards_off(db.session, backend):
            for sql, params in statements:
                db.session.execute(text(sql), params)
        db.session.commit()


def _events(app, case_id):
    with app.app_context():
        rows = db.session.execute(select(CaseEvent.id, CaseEvent.seq, CaseEvent.hash, CaseEvent.prev_hash,
                                         CaseEvent.to_state).where(CaseEvent.case_id == case_id)
                                  .order_by(CaseEvent.seq)).all()
        return [r._asdict() for r in rows]


def _verify(runner, heads=None):
    args = ["audit", "verify"] + (["--heads", str(heads)] if heads else [])
    result = runner.invoke(args=args)
    return result.exit_code, result.output


def _tamper(app, backend, case_id, kind):
    ev = _events(app, case_id)
    newest, middle = ev[-1], ev[len(ev) // 2]
    rewind = ("UPDATE cases SET audit_seq = :seq, audit_head = :head, state = :state WHERE id = :id",
              {"seq": ev[-2]["seq"], "head": ev[-2]["hash"], "state": ev[-2]["to_state"], "id": case_id})
    statements = {
        "edit_payload": [("UPDATE case_events SET payload = :p WHERE id = :id",
                          {"p": '{"outcome": "sửa"}', "id": middle["id"]})],
        "reorder": [("UPDATE case_events SET seq = -1 WHERE id = :a", {"a": ev[1]["id"]}),
                    ("UPDATE case_events SET seq = :s WHERE id = :b", {"s": ev[1]["seq"], "b": ev[2]["id"]}),
                    ("UPDATE case_events SET seq = :s WHERE id = :a", {"s": ev[2]["seq"], "a": ev[1]["id"]})],
        "delete_newest": [("DELETE FROM case_events WHERE id = :id", {"id": newest["id"]})],
        "delete_middle": [("DELETE FROM case_events WHERE id = :id", {"id": middle["id"]})],
        "change_actor": [("UPDATE case_events SET actor_id = (SELECT min(id) FROM users) WHERE id = :id",
                          {"id": middle["id"]})],
        "change_state": [("UPDATE cases SET state = 'cancelled' WHERE id = :id", {"id": case_id})],
        # the careful rewrite: the newest event gone and the case row rewound to the one before, version too
        "rewind_head": [("DELETE FROM case_events WHERE id = :id", {"id": newest["id"]}), rewind,
                        ("UPDATE cases SET version = version - 1 WHERE id = :id", {"id": case_id})],
        "delete_chain": [("DELETE FROM case_events WHERE case_id = :id", {"id": case_id}),
                         ("UPDATE cases SET audit_seq = 0, audit_head = '' WHERE id = :id", {"id": case_id})],
    }[kind]
    _raw(app, backend, *statements)


#: tamper -> (caught without the heads export, what the report says)
TAMPERS = {
    "edit_payload": (True, "HMAC mismatch"),
    "reorder": (True, "previous hash does not match"),
    "delete_newest": (True, "chain head on the case does not match"),
    "delete_middle": (True, "sequence gap"),
    "change_actor": (True, "HMAC mismatch"),
    "change_state": (True, "changed without an event"),
    "rewind_head": (False, "chain shorter than the exported head"),
    "delete_chain": (True, "case without any audit event"),
}


@pytest.mark.parametrize("kind", sorted(TAMPERS))
def test_each_tamper_is_caught(app, runner, walked, backend, tmp_path, kind):
    heads = tmp_path / "heads.json"
    assert runner.invoke(args=["audit", "export-heads", str(heads)]).exit_code == 0
    status, output = _verify(runner)
    assert status == 0 and "audit ok" in output, output  # the two cases and the drafts their steps opened
    (case_id, code), (_other_id, other_code) = walked
    _tamper(app, backend, case_id, kind)
    without_heads, message = TAMPERS[kind]
    status, output = _verify(runner)
    assert (status == 1) is without_heads, output
    status, output = _verify(runner, heads)
    assert status == 1 and message in output and code in output, output
    assert other_code not in output  # the untouched case stays verified


def test_a_state_changed_without_its_event_is_refused_by_the_database(app, walked, backend):
    (case_id, _code), _ = walked
    with app.app_context():
        for sql in ("UPDATE cases SET state = 'cancelled' WHERE id = :id",
                    "UPDATE cases SET state = 'cancelled', audit_seq = audit_seq + 1 WHERE id = :id"):
            with pytest.raises(DatabaseError, match="cases.state changes only with its audit event"):
                db.session.execute(text(sql), {"id": case_id})
                db.session.commit()  # PostgreSQL checks when the transaction commits
            db.session.rollback()
        assert db.session.get(Case, case_id).state == "closed"


def test_heads_export_carries_state_and_version(app, runner, walked, tmp_path):
    import json

    heads = tmp_path / "heads.json"
    assert runner.invoke(args=["audit", "export-heads", str(heads)]).exit_code == 0
    saved = json.loads(heads.read_text(encoding="utf-8"))
    (_case_id, code), _ = walked
    assert saved[code]["state"] == "closed" and saved[code]["seq"] == 4 and saved[code]["version"] >= 4
