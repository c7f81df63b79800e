"""The write of one fire's case row: one version-checked Core UPDATE of the columns the fire changed.

The ORM unit of work costs about a millisecond a flush on this hardware, several times the database's
own cost (bench/engine.py); the case row doesn't need it. Rows that guards, effects and listeners
touched (detail rows, deadlines, ...) still go through the ordinary flush first."""
from __future__ import annotations

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from caseflow.core.models import Case

_CASES = Case.__table__
#: built once; the SET clause comes from the parameters' keys (the columns this fire changed)
_UPDATE_CASE = update(_CASES).where(_CASES.c.id == bindparam("_id"), _CASES.c.version == bindparam("_version"))


def write_case(session: Session, case: Case, version_before: int | None = None) -> bool:
    """Write the case's pending column changes, checking and bumping its version; False (nothing written)
    when the case has relationship changes, so the caller lets the unit of work do it. StaleDataError when
    someone else wrote the case meanwhile. `version_before`: the version the fire started from; when a flush
    inside the fire (an effect that opens another case) already wrote the row and bumped it, the version is
    checked again but not bumped twice."""
    state = inspect(case)
    mapper = state.mapper
    if state.pending or any(state.attrs[r.key].history.has_changes() for r in mapper.relationships):
        return False
    changes = {}
    for key in list(state.committed_state):  # the attributes set since the last flush
        history = state.attrs[key].history
        if history.added:
            changes[key] = history.added[0]
    version = case.version
    # the case's own changes are written below: mark them committed (public API) so that the flush leaves
    # the row alone and, with nothing else pending, costs nothing; a rollback expires it as usual
    for key, value in changes.items():
        set_committed_value(case, key, value)
    session.flush()
    params = {mapper.attrs[key].columns[0].key: value for key, value in changes.items()}
    bumped = version_before is not None and version != version_before
    params.update(version=version if bumped else version + 1, _id=case.id, _version=version)
    if session.connection().execute(_UPDATE_CASE, params).rowcount != 1:
        raise StaleDataError(f"case {case.id}: version {version} is stale")
    set_committed_value(case, "version", params["version"])
    return True
