"""The command line: init, seed-demo, create-user, workflows check, audit verify / export-heads.
Bad input is one line on stderr and a non-zero exit."""
import shutil

import pytest
from sqlalchemy import func, select, text

from caseflow import PROJECT_ROOT
from caseflow.core.models import Case, CaseEvent, User
from caseflow.demo import DEMO_USERS
from caseflow.extensions import db
from tests.conftest import append_only_off, case_guards_off


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed-demo", "--cases", "6", "--seed", "7"])
    assert result.exit_code == 0, result.output
    return result


def _one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    return lines[0]


def test_init_migrates_and_is_repeatable(runner):
    for _ in range(2):
        result = runner.invoke(args=["init"])
        assert result.exit_code == 0, result.output
        assert "database ready" in result.output


def test_seed_demo_is_idempotent(app, runner, seeded):
    assert "demo data: " in seeded.output and "login tuvan1" in seeded.output
    with app.app_context():
        counts = (db.session.scalar(select(func.count(Case.id)).where(Case.kind == "legal_aid")),
                  db.session.scalar(select(func.count(User.id))))
    again = runner.invoke(args=["seed-demo", "--cases", "6"])
    assert again.exit_code == 0 and "nothing done" in again.output
    with app.app_context():
        assert (db.session.scalar(select(func.count(Case.id)).where(Case.kind == "legal_aid")),
                db.session.scalar(select(func.count(User.id)))) == counts
    assert counts == (6 + 1, len(DEMO_USERS))  # the paths' 6, and the request left waiting at Quy Nhơn


def test_create_user_with_roles(app, runner, seeded):
    result = runner.invoke(args=["create-user", "tuvan3", "--name", "Đặng Thị Thu Hà", "--password", "mật-khẩu-dài",
                                 "--role", "legal_officer@LĐLĐ-QN", "--role", "clerk@LĐLĐ-QN"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "tuvan3"))
        assert user.full_name == "Đặng Thị Thu Hà" and user.check_password("mật-khẩu-dài")
        assert sorted((r.role, r.unit.code) for r in user.roles) == [("clerk", "LĐLĐ-QN"), ("legal_officer", "LĐLĐ-QN")]


@pytest.mark.parametrize("args, message", [
    (["tuvan1", "--name", "X", "--password", "caseflow2026"], "already exists"),
    (["newbie", "--name", "X", "--password", "short"], "at least 8"),
    (["newbie", "--name", "X", "--password", "caseflow2026", "--role", "wizard@LĐLĐ-BĐ"], "bad role"),
    (["newbie", "--name", "X", "--password", "caseflow2026", "--role", "clerk"], "bad role"),
    (["newbie", "--name", "X", "--password", "caseflow2026", "--role", "clerk@NOWHERE"], "unknown unit"),
    (["   ", "--name", "X", "--password", "caseflow2026"], "1 to 80"),
])
def test_create_user_refuses_bad_input_in_one_line(app, runner, seeded, args, message):
    result = runner.invoke(args=["create-user", *args])
    assert result.exit_code != 0
    assert message in _one_error_line(result)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == len(DEMO_USERS)


def test_workflows_check_ok(runner):
    result = runner.invoke(args=["workflows", "check"])
    assert result.exit_code == 0, result.output
    assert "ok  legal_aid.yaml: legal_aid v1, 14 states" in result.output


@pytest.mark.parametrize("old, new, item, problem", [
    ("    dest: consulting\n", "    dest: consultng\n", "transitions[1] (start_consultation)",
     "unknown state 'consultng'"),
    ("guards: [authorisation_signed]", "guards: [authorisation_signd]", "transitions[7] (sign_authorisation)",
     "unknown guard 'authorisation_signd'"),
    ('  received: {label: {vi: "Đã tiếp nhận", en: "Received"}}', '  received: {label: {en: "Received"}}',
     "states.received", "missing vi label"),
    ("  - trigger: answer_question\n", "  - trigger: start_consultation\n", "transitions[2] (start_consultation)",
     "duplicate trigger 'start_consultation'"),
    ("    source: in_court\n    dest: in_appeal\n", "    source: in_court\n    dest: in_court\n", "states.in_appeal",
     "unreachable state"),
])
def test_workflows_check_names_the_file_and_item_of_a_broken_definition(runner, tmp_path, old, new, item, problem):
    folder = tmp_path / "workflows"
    shutil.copytree(PROJECT_ROOT / "workflows", folder)
    path = folder / "legal_aid" / "legal_aid.yaml"
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(args=["workflows", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    line = _one_error_line(result)
    assert line.startswith(f"error: legal_aid.yaml: {item}: {problem}"), line


def _tamper(backend: str, sql: str, **params) -> None:
    """Write around the engine, as someone holding the database would (who first switches off the
    append-only triggers)."""
    with append_only_off(db.session, backend):
        db.session.execute(text(sql), params)
    db.session.commit()


def test_audit_verify_ok_then_broken_by_an_altered_event(app, runner, seeded, backend):
    with app.app_context():
        n = db.session.scalar(select(func.count(Case.id)))  # legal aid, letters, complaints, denunciations
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and f"audit ok: {n} case chains verified" in result.output
    with app.app_context():
        _tamper(backend, "UPDATE case_events SET comment = 'sửa lịch sử' WHERE seq = 1 AND case_id = "
                         "(SELECT min(id) FROM cases)")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "HMAC mismatch" in result.output and f"error: 1 problem(s) in {n} case chains" in result.output


def test_audit_verify_with_heads_detects_deleted_newest_events(app, runner, seeded, backend, tmp_path):
    heads = tmp_path / "heads.json"
    assert runner.invoke(args=["audit", "export-heads", str(heads)]).exit_code == 0
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.audit_seq > 1).order_by(Case.id))
        newest = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                           CaseEvent.seq == case.audit_seq))
        code, seq, event_id, prev_hash, before = case.code, case.audit_seq, newest.id, newest.prev_hash, newest.from_state
        # delete the newest event and rewind the head and the state on the case row (around the database's
        # own guard of the state): the chain itself looks whole
        _tamper(backend, "DELETE FROM case_events WHERE id = :id", id=event_id)
        with case_guards_off(db.session, backend):
            db.session.execute(text("UPDATE cases SET audit_seq = :seq, audit_head = :head, state = :state, "
                                    "version = version + 1 WHERE code = :code"),
                               {"seq": seq - 1, "head": prev_hash, "state": before, "code": code})
        db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # undetectable from inside the database...
    result = runner.invoke(args=["audit", "verify", "--heads", str(heads)])
    assert result.exit_code == 1  # ...but not against the heads kept outside it
    assert f"{code}: chain shorter than the exported head ({seq - 1} < {seq})" in result.output


def test_audit_verify_detects_a_deleted_newest_event_without_heads(app, runner, seeded, backend):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.audit_seq > 1).order_by(Case.id))
        _tamper(backend, "DELETE FROM case_events WHERE case_id = :id AND seq = :seq", id=case.id, seq=case.audit_seq)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "chain head on the case does not match" in result.output


def test_every_command_is_registered(app):
    # the core's commands (caseflow.cli.COMMANDS) and each feature's setup; Flask-Migrate's own `db` aside
    assert set(app.cli.commands) - {"db"} == {"init", "seed-demo", "create-user", "workflows", "audit",
                                              "deadlines", "import-register", "org", "procedures", "documents",
                                              "serve", "doctor", "backup", "restore", "totp-code", "worker", "outbox",
                                              "import-members"}
