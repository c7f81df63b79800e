"""A case's place on its procedure's map: the cached diagram of its (workflow, version) with the states its
audit events passed through, its current state and the steps it took marked, and the steps open next."""
from __future__ import annotations

from sqlalchemy import select

from caseflow.core.engine import get_registry
from caseflow.core.i18n import current_language
from caseflow.core.models import Case, CaseEvent
from caseflow.extensions import db
from caseflow.handbook.diagram import diagram_cache, mark_path
from caseflow.handbook.procedure import procedure_of
from caseflow.web.casepage import kept_events


def path_of(case: Case) -> tuple[set[str], set[tuple[str, str]]]:
    """(states passed through, (trigger, from state) of each step taken), read from the audit events."""
    events = kept_events(case.id)  # the case page's timeline has them already: no second query
    rows = [(e.trigger, e.from_state, e.to_state) for e in events] if events is not None else db.session.execute(
        select(CaseEvent.trigger, CaseEvent.from_state, CaseEvent.to_state).where(CaseEvent.case_id == case.id)).all()
    passed = {to for _t, _f, to in rows} | {f for _t, f, _to in rows if f}
    taken = {(t, f) for t, f, to in rows if f and f != to}
    return passed, taken


def case_map_context(case: Case) -> dict:
    definition = get_registry().get(case.workflow, case.workflow_version)
    proc = procedure_of(definition, current_language())
    passed, taken = path_of(case)
    svg = mark_path(diagram_cache().inline(proc), passed, case.state, taken)
    upcoming = [s for s in proc.steps if case.state in s.sources]
    return {"case_map": {"svg": svg, "proc": proc, "next": upcoming, "passed": passed}}
