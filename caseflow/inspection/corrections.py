"""Correcting intake data: a letter registered without "Ngày ghi trên đơn", a complaint whose act was typed
wrong, is put right by a transition of its own (correct_intake), audited like every step: who, which field
from what to what, and why (the comment is required). Until the case is accepted only: after acceptance the
intake data is what the acceptance decided on, and a change goes through the procedure's own steps."""
from __future__ import annotations

from datetime import date
from typing import Any

from caseflow.core.engine.errors import InvalidInput
from caseflow.core.i18n import _
from caseflow.inspection.duplicates import content_fold
from caseflow.inspection.hooks import hooks


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@hooks.effect("correct_intake")
def correct_intake(ctx, store: str) -> None:
    """Write the step's fields onto the `store` detail row and record every change (from -> to) in the event's
    payload. The fields are declared `store: payload` so that the engine leaves them to this effect, which
    must read the old value before writing the new one. An optional field left blank keeps its value; a step
    that changes nothing is refused (an empty correction would only blur the history)."""
    row = ctx.detail(store)
    changes = []
    for field in ctx.transition.fields:
        new = ctx.data.get(field.name)
        if new is None and not field.required:
            continue
        old = getattr(row, field.name)
        if old == new or (field.type == "bool" and bool(old) == bool(new)):
            continue
        changes.append({"field": field.name, "from": _json(old), "to": _json(new)})
        setattr(row, field.name, new)
    if not changes:
        raise InvalidInput(_("Nothing was changed: correct at least one field."), {})
    changed = {c["field"] for c in changes}
    if store == "letter" and "content" in changed:
        row.content_fold = content_fold(row.content)  # duplicates are found on the corrected text
    if store == "denunciation" and "violation" in changed:
        row.content_fold = content_fold(row.violation)
    ctx.payload["corrections"] = changes
