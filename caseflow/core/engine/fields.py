"""Validate and type the data a transition's fields declare (the engine's own check, under any form)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from caseflow.core.engine.definition import FieldDef
from caseflow.core.engine.errors import InvalidInput
from caseflow.core.i18n import _, label
from caseflow.core.text import nfc

_TRUE = {"1", "true", "on", "yes", "y", "có"}
_FALSE = {"0", "false", "off", "no", "n", "không", ""}
_INT_MAX = 2**31 - 1
_BIGINT_MAX = 2**63 - 1


def coerce(field: FieldDef, raw: Any) -> Any:
    """One value to its type; raises ValueError with a user-facing message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if field.type == "bool":
            return False
        if field.required:
            raise ValueError(_("This field is required."))
        return None
    if field.type in ("text", "textarea"):
        value = nfc(str(raw))
        limit = field.max_length or (255 if field.type == "text" else 20000)
        if len(value) > limit:
            raise ValueError(_("At most %(n)d characters.", n=limit))
        return value
    if field.type == "select":
        value = str(raw)
        if value not in field.choices:
            raise ValueError(_("Not a valid choice."))
        return value
    if field.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("Not a valid yes/no value."))
    if field.type == "date":
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError(_("Not a valid date (YYYY-MM-DD).")) from None
    if field.type in ("int", "money", "user"):
        try:
            value = int(str(raw).replace(".", "").replace(",", "").strip()) if field.type == "money" else int(raw)
        except (TypeError, ValueError):
            raise ValueError(_("Not a valid number.")) from None
        if field.type == "money" and value < 0:
            raise ValueError(_("Must not be negative."))
        # the column's range (INTEGER ids, BIGINT money): beyond it PostgreSQL fails the whole statement
        if abs(value) > (_BIGINT_MAX if field.type == "money" else _INT_MAX):
            raise ValueError(_("The number is too large."))
        return value
    raise ValueError(f"unknown field type {field.type}")


def validate(fields: Iterable[FieldDef], data: dict[str, Any] | None) -> dict[str, Any]:
    """All fields typed, or InvalidInput naming each bad field. Unknown keys are ignored."""
    data = data or {}
    clean, errors = {}, {}
    for field in fields:
        try:
            clean[field.name] = coerce(field, data.get(field.name))
        except ValueError as exc:
            errors[field.name] = f"{label(field.label)}: {exc}"
    if errors:
        raise InvalidInput(_("Some fields are not valid."), errors)
    return clean


def to_payload(fields: Iterable[FieldDef], clean: dict[str, Any]) -> dict[str, Any]:
    """The audit payload of the data: JSON-safe, without fields marked confidential."""
    payload = {}
    for field in fields:
        value = clean.get(field.name)
        if field.confidential:
            continue
        payload[field.name] = value.isoformat() if isinstance(value, date) else value
    return payload
