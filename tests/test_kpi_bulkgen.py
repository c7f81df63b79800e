"""The bulk generator writes only what the workflow produces: each demo path walked through the engine
leaves the same facts as bulkgen.PATH_FACTS says; and the engine's import path is audited and checked."""
import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bench.bulkgen import PATH_FACTS
from caseflow.core import engine
from caseflow.core.clock import local_today
from caseflow.core.engine.audit import verify_case
from caseflow.core.engine.errors import GuardFailed, InvalidInput, NotPermitted
from caseflow.core.models import CaseEvent
from caseflow.demo import PATHS, step_data
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY
from tests.factories import open_legal_aid, unit, user

ACTORS = {"legal_officer": "tuvan1", "leader": "lanhdao"}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_bulk_facts_match_the_engine(ctx, org, path):
    intake = {"need": "general_question", "dispute_type": "other"} if path == "question" else {}
    if path == "collective":
        intake = {"is_collective": True, "party_status": "union_org", "dispute_type": "collective"}
    case = open_legal_aid(org, **intake)
    for trigger, role in PATHS[path]:
        data, comment = step_data(trigger, random.Random(1), case.received_date, local_today())
        engine.fire(case, trigger, user(org, ACTORS[role]), data, comment=comment or "lý do")
    facts, d = PATH_FACTS[path], case.legal_aid
    assert case.state == facts["state"] == d.end_state
    assert (d.union_rep_took_part, d.rep_stage, d.forum) == (facts["union_rep_took_part"], facts["rep_stage"],
                                                             facts["forum"])
    assert d.rep_role in facts["rep_roles"]
    assert bool(d.outcome) == bool(facts["outcome"])
    assert bool(d.no_rep_reason) == bool(facts.get("no_rep_reason"))
    assert bool(d.authorisation_signed_date) == bool(facts.get("authorised"))
    assert d.closed_year == case.closed_dt.year and d.unit_id == case.unit_id


IMPORT = {"channel": "letter", "party_status": "member", "need": "litigation", "dispute_type": "wages",
          "facts": "Nợ lương", "union_rep_took_part": True, "rep_role": "defender", "rep_stage": "court_first_instance",
          "forum": "court_first_instance", "authorisation_signed_date": date(2024, 2, 1)}


def test_import_case_enters_the_state_with_one_audited_event(ctx, org):
    closed = datetime(2024, 12, 30, 20, 0, tzinfo=UTC)  # 31/12 in Vietnam: counts for 2024
    case = engine.import_case(db.session, "legal_aid", unit(org), user(org, "tuvan1"), {**IMPORT, "outcome": "won"},
                              state="closed", title="Nguyễn Văn A – Tiền lương", received_date=date(2024, 1, 5),
                              code="TV-2024-0042", closed_dt=closed, source="so.xlsx#2",
                              parties=[{"role": "worker", "full_name": "Nguyễn Văn A", "confidential": False}])
    assert (case.state, case.code, case.legal_aid.closed_year) == ("closed", "TV-2024-0042", 2024)
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert [(e.trigger, e.to_state) for e in events] == [("imported", "closed")]
    assert events[0].payload["imported"] == {"source": "so.xlsx#2", "code": "TV-2024-0042"}
    assert verify_case(db.session, AUDIT_KEY.encode(), case) == []
    assert open_legal_aid(org, received=date(2024, 3, 1)).code == "TV-2024-0043"


def test_import_case_refuses_inconsistent_facts_roles_and_states(ctx, org):
    args = {"title": "X", "received_date": date(2024, 1, 5)}
    with pytest.raises(GuardFailed):  # represented in court without an authorisation
        engine.import_case(db.session, "legal_aid", unit(org), user(org, "tuvan1"),
                           {**IMPORT, "authorisation_signed_date": None}, state="in_court", **args)
    with pytest.raises(NotPermitted):
        engine.import_case(db.session, "legal_aid", unit(org), user(org, "vanthu"), IMPORT, state="in_court", **args)
    with pytest.raises(InvalidInput):
        engine.import_case(db.session, "legal_aid", unit(org), user(org, "tuvan1"), IMPORT, state="nowhere", **args)
    case = engine.import_case(db.session, "legal_aid", unit(org), user(org, "tuvan1"), IMPORT, state="in_court",
                              **args)
    engine.fire(case, "record_outcome", user(org, "tuvan1"), {"outcome": "won"})  # goes on through the engine
    assert case.state == "outcome_recorded"


def test_bulk_cases_of_every_kind_are_states_of_real_workflows_and_show_and_search(app, org, client):
    from bench.bulkgen import generate
    from caseflow.core.models import Case
    from tests.conftest import login

    with app.app_context():
        generate(db.session, 300, [org["units"]["province"]], other_share=0.3)
        rows = db.session.execute(select(Case.workflow, Case.workflow_version, Case.state, Case.code)).all()
        kinds = {w for w, _v, _s, _c in rows}
        for workflow, version, state, _code in rows:
            assert state in engine.get_registry().get(workflow, version).states
        other = next(code for w, _v, _s, code in rows if w != "legal_aid")
        db.session.remove()
    assert {"legal_aid", "letter_intake", "complaint", "denunciation"} <= kinds
    login(client, "lanhdao")
    assert client.get("/cases/?kind=letter").status_code == 200
    page = client.get(f"/cases/?q={other.lower()}").get_data(as_text=True)
    assert other in page
