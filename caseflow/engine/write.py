"""The write of one fire: the case row (version-checked) and its audit event as two Core statements.

The ORM unit of work costs about a millisecond a flush on this hardware, several times the database's
own cost (bench/engine.py); a fire's two fixed rows don't need it. Rows that guards, effects and
listeners touched (detail rows, deadlines, ...) still go through the ordinary flush first."""
from __future__ import annotations

from sqlalchemy import bindparam, insert, inspect, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from caseflow.models import Case, CaseEvent

_CASES = Case.__table__
_EVENTS = CaseEvent.__table__
_EVENT_COLUMNS = [c.key for c in _EVENTS.columns if c.key != "id"]
#: built once; the SET clause comes from the parameters' keys (the columns this fire changed)
_UPDATE_CASE = update(_CASES).where(_CASES.c.id == bindparam("_id"), _CASES.c.version == bindparam("_version"))
_INSERT_EVENT = insert(_EVENTS)


def write_fire(session: Session, case: Case, event: CaseEvent) -> bool:
    """Write the case's pending column changes and `event`; False (nothing written) when the case has
    relationship changes, so the caller falls back to the unit of work. StaleDataError on a stale version."""
    state = inspect(case)
    mapper = state.mapper
    if state.pending or any(state.attrs[r.key].history.has_changes() for r in mapper.relationships):
        return False
    changes = {}
    for key in list(state.committed_state):  # the attributes set since the last flush
        attr = mapper.attrs[key]
        history = state.attrs[key].history
        if history.added:
            changes[attr.columns[0].key] = (key, history.added[0])
    version = case.version
    # the case's own changes are written below: mark the row clean so that the flush leaves it alone (and,
    # with nothing else pending, costs nothing); a rollback expires it as usual
    state._commit_all(state.dict, session.identity_map)
    session.flush()
    connection = session.connection()
    params = {column: value for column, (_key, value) in changes.items()}
    params.update(version=version + 1, _id=case.id, _version=version)
    if connection.execute(_UPDATE_CASE, params).rowcount != 1:
        raise StaleDataError(f"case {case.id}: version {version} is stale")
    set_committed_value(case, "version", version + 1)
    inserted = connection.execute(_INSERT_EVENT, {k: getattr(event, k) for k in _EVENT_COLUMNS})
    event.id = inserted.inserted_primary_key[0]
    # the event joins the session as the persistent row it now is (its relationships load as usual)
    make_transient_to_detached(event)
    session.add(event)
    return True
