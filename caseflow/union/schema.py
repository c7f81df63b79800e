"""The shape of a union workflow's configuration (`settings:` and `dossier:`), as pydantic models: every
value carries its legal basis and certainty, every dossier item its vi and en labels."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from caseflow.core.engine.errors import DefinitionError
from caseflow.core.engine.schema import CERTAINTIES, reason_of

SETTING_TYPES = ("int", "ratio", "date", "text")


class SettingSpec(BaseModel):
    """A value the law (or the federation's rules) fixes: the admin may change it unless certainty is V."""

    model_config = ConfigDict(extra="forbid")

    value: Any
    type: Literal[SETTING_TYPES] = "int"  # type: ignore[valid-type]
    label: dict[str, str] | None = None
    basis: str = Field(min_length=1)
    certainty: Literal[CERTAINTIES]  # type: ignore[valid-type]


class DossierItemSpec(BaseModel):
    """A document the dossier must hold (a checklist line), with its basis."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1)
    label: dict[str, str]
    basis: str = Field(min_length=1)
    certainty: Literal[CERTAINTIES]  # type: ignore[valid-type]
    required: bool = True

    @field_validator("label")
    @classmethod
    def _both_languages(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("vi") or not value.get("en"):
            raise ValueError("a dossier item needs vi and en labels")
        return value


_MESSAGES = {
    "value": "a setting needs a value",
    "type": "unknown type",
    "basis": "needs its legal basis",
    "certainty": "needs a certainty V|R|U",
    "key": "a dossier item needs a key",
}


def _problem(exc: ValidationError, what: str) -> str:
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    if error["type"] == "extra_forbidden":
        return f"unknown key '{field}' in a {what}"
    if error["type"] in ("value_error",):
        return reason_of(error)
    message = _MESSAGES.get(field, str(error["msg"]))
    return f"a {what} {message}" if not message.startswith("a ") else message


def validate_settings(raw: Any, file: str) -> dict[str, SettingSpec]:
    if not isinstance(raw, dict):
        raise DefinitionError(file, "settings", "must be a mapping of key -> setting")
    specs = {}
    for key, spec in raw.items():
        try:
            specs[key] = SettingSpec.model_validate(spec)
        except ValidationError as exc:
            raise DefinitionError(file, f"settings.{key}", _problem(exc, "setting")) from None
    return specs


def validate_dossier(raw: Any, file: str) -> list[DossierItemSpec]:
    if not isinstance(raw, list):
        raise DefinitionError(file, "dossier", "must be a list of items")
    items, seen = [], set()
    for i, spec in enumerate(raw):
        try:
            item = DossierItemSpec.model_validate(spec)
        except ValidationError as exc:
            raise DefinitionError(file, f"dossier[{i}]", _problem(exc, "dossier item")) from None
        if item.key in seen:
            raise DefinitionError(file, f"dossier[{i}]", f"duplicate dossier item '{item.key}'")
        seen.add(item.key)
        items.append(item)
    return items
