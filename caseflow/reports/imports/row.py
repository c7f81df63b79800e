"""One row of a register, as a pydantic model built from the workflow's import fields: every cell is
typed (labels to keys, dd/mm/yyyy to dates, amounts in VND) and checked alone, and every cell's problem is
reported at once (row, column, reason in Vietnamese). What needs several cells or the database (units,
states, closing dates, duplicate codes) is checked after, in legal_aid.py."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model

from caseflow.core.engine.definition import FieldDef
from caseflow.core.engine.schema import reason_of
from caseflow.core.i18n import _
from caseflow.core.text import nfc

#: register columns that are not workflow fields: key -> required
BASE_REQUIRED = {"code": False, "received_date": True, "unit": True, "worker_name": True, "worker_phone": False,
                 "state": True, "closed_date": False}
CODE_LENGTH = 40


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _field_cell(f: FieldDef, typed: Callable[[FieldDef, Any], Any], default: Any, raw: Any) -> Any:
    value = typed(f, raw)
    if value is None and default is not None:
        value = default
    if f.required and value is None:
        raise ValueError(_("This field is required."))
    if f.type == "text" and value and len(value) > (f.max_length or 255):
        raise ValueError(_("At most %(n)d characters.", n=f.max_length or 255))
    return value


def _base_cell(key: str, parse_date: Callable[[Any], date], raw: Any) -> Any:
    if _blank(raw):
        if BASE_REQUIRED[key]:
            raise ValueError(_("This field is required."))
        return None
    if key.endswith("_date"):
        return parse_date(raw)
    text = nfc(str(raw)).strip() if key != "code" else nfc(str(raw))
    if key == "code" and len(text) > CODE_LENGTH:
        raise ValueError(_("At most %(n)d characters.", n=CODE_LENGTH))
    return text


def row_model(fields: Mapping[str, FieldDef], typed: Callable[[FieldDef, Any], Any],
              parse_date: Callable[[Any], date], defaults: Mapping[str, Any]) -> type[BaseModel]:
    """The model of one register row (built once per import)."""
    cells: dict[str, Any] = {
        name: (Annotated[Any, BeforeValidator(partial(_field_cell, f, typed, defaults.get(name)))], None)
        for name, f in fields.items()}
    cells.update({key: (Annotated[Any, BeforeValidator(partial(_base_cell, key, parse_date))], None)
                  for key in BASE_REQUIRED})
    return create_model("RegisterRow", __config__=ConfigDict(extra="ignore"), **cells)


def validate_row(model: type[BaseModel], cells: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """(the typed cells, [(column key, reason)]) — every cell's problem, not only the first."""
    try:
        return model.model_validate(cells).model_dump(), []
    except ValidationError as exc:
        problems = [(str(e["loc"][0]), reason_of(e)) for e in exc.errors()]
        bad = {key for key, _reason in problems}
        # the other cells, typed (a missing key takes its default unvalidated), so that the checks across
        # cells can still run on them
        typed = model.model_validate({k: v for k, v in cells.items() if k not in bad}).model_dump()
        return {k: v for k, v in typed.items() if k not in bad}, problems
