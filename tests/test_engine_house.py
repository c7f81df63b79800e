"""The engine's house rules: the shared `transitions` machine executes every state change, Case.state and the
audit table have one writer each, hook arguments are checked at load, and each app keeps its own engine."""
import ast
import shutil
from pathlib import Path

import pytest
from transitions import Machine

from caseflow import PROJECT_ROOT, create_app
from caseflow.core import engine
from caseflow.core.engine.audit import verify_all
from caseflow.core.engine.state import engine_of
from caseflow.core.models.case import StateWriteRefused
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY
from tests.factories import open_legal_aid, user

PACKAGE = PROJECT_ROOT / "caseflow"


def _modules_outside(folder: Path):
    for path in sorted(PACKAGE.rglob("*.py")):
        if folder not in path.parents:
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_shared_machine_executes_the_transition(ctx, org):
    """A callback put on the compiled machine runs on a fire: the library moves the state, not the engine."""
    case = open_legal_aid(org)
    machine = engine.get_registry().machine(case.workflow, case.workflow_version)
    assert isinstance(machine, Machine) and not machine.models  # shared, with no model left bound to it
    seen = []
    transition = machine.events["start_consultation"].transitions["received"][0]
    transition.after.append(lambda fire_ctx: seen.append((fire_ctx.source, fire_ctx.case.state)))
    try:
        engine.fire(case, "start_consultation", user(org, "tuvan1"))
    finally:
        transition.after.pop()
    assert seen == [("received", "consulting")] and not machine.models


def test_entering_a_final_state_closes_the_case_through_the_machine(ctx, org):
    case = open_legal_aid(org, need="general_question")
    definition = engine.get_registry().get("legal_aid")
    final = [t for t in definition.transitions_from("received") if not t.internal and definition.is_final(t.dest)]
    assert final and case.closed_dt is None
    engine.fire(case, final[0].trigger, user(org, "tuvan1"), comment="Đã trả lời.")
    assert case.closed_dt is not None and case.state == final[0].dest


def test_case_state_refuses_a_write_outside_the_engine(ctx, org):
    case = open_legal_aid(org)
    with pytest.raises(StateWriteRefused):
        case.state = "closed"
    assert case.state == "received"


def test_no_module_outside_the_engine_writes_state_or_the_audit_table():
    """Static: no `<x>.state = ...` on a case, no engine_writes_state, no CaseEvent(...) or INSERT into the
    audit table anywhere but caseflow/core/engine/."""
    offences = []
    for path, tree in _modules_outside(PACKAGE / "core" / "engine"):
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for t in ast.walk(target):
                        if isinstance(t, ast.Attribute) and t.attr == "state" and _names_a_case(t.value):
                            offences.append(f"{path.name}:{node.lineno} assigns {ast.unparse(t)}")
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name.endswith(("CaseEvent", "engine_writes_state")):
                    offences.append(f"{path.name}:{node.lineno} calls {name}")
                if name.endswith("insert") and any("CaseEvent" in ast.unparse(a) or "EVENTS" in ast.unparse(a)
                                                   for a in node.args):
                    offences.append(f"{path.name}:{node.lineno} inserts audit rows")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    "into case_events" in node.value.lower():
                offences.append(f"{path.name}:{node.lineno} SQL into case_events")
    assert not offences, offences


def _names_a_case(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return "case" in text.lower() and "inspect" not in text


@pytest.fixture
def broken_argument_dir(tmp_path):
    folder = tmp_path / "workflows"
    shutil.copytree(PROJECT_ROOT / "workflows", folder)
    path = next(folder.rglob("denunciation.yaml"))
    source = path.read_text(encoding="utf-8")
    old = "{requires_acceptance: {basis: denunciation}}"
    assert old in source
    path.write_text(source.replace(old, "{requires_acceptance: {bases: denunciation}}", 1), encoding="utf-8")
    return folder


def test_workflows_check_refuses_a_hook_argument_the_function_does_not_take(runner, broken_argument_dir):
    result = runner.invoke(args=["workflows", "check", "--dir", str(broken_argument_dir)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith("error:"))
    assert line.startswith("error: denunciation.yaml: transitions[") and "guard 'requires_acceptance'" in line
    assert "takes no argument 'bases'" in line and "needs argument 'basis'" in line, line


def test_two_apps_in_one_process_keep_their_own_audit_keys(database_url, tmp_path, translations_dir, org):
    apps = []
    for key in ("first-key", "second-key"):
        instance = tmp_path / key
        apps.append(create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": database_url, "TESTING": True,
                                "AUDIT_HMAC_KEY": key, "TRANSLATIONS_DIR": str(translations_dir),
                                "STORAGE_DIR": str(instance / "storage")}))
    first, second = apps
    assert engine_of(first).registry is not engine_of(second).registry
    with first.app_context():
        case = open_legal_aid(org)
        case_id = case.id
        engine.fire(case, "start_consultation", user(org, "tuvan1"))
        db.session.remove()
    with second.app_context():
        checked, problems = verify_all(db.session, b"second-key")
        assert checked == 1 and problems  # the first app's key signed it
        db.session.remove()
    with first.app_context():
        checked, problems = verify_all(db.session, b"first-key")
        assert (checked, problems) == (1, []) and engine.audit_key() == b"first-key"
        assert db.session.get(type(case), case_id).audit_seq == 2
        db.session.remove()
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    assert AUDIT_KEY not in ("first-key", "second-key")


def test_a_step_that_opens_a_document_draft_bumps_the_case_version_once(ctx, org):
    """Opening the draft flushes the session inside the fire: the case row is still written once, under one
    version check (a client holding version N+1 after the fire must not be told it is stale)."""
    case = open_legal_aid(org)
    engine.fire(case, "start_consultation", user(org, "tuvan1"))
    version = case.version
    engine.fire(case, "give_advice", user(org, "tuvan1"), {"rep_role": "lawyer"}, comment="Đã tư vấn.")
    db.session.expire_all()
    assert case.version == version + 1 and case.audit_seq == 3
