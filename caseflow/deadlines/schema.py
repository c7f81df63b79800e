"""The shape of a deadline rule (a workflow's `deadlines:` entry or a catalogue entry), as pydantic models.

What a rule says about itself is checked here (whole non-negative days, known units, a cited basis, a vi
label, variants that change only what a variant may); what needs the workflow (its triggers and states)
is checked in rules.py. Errors name the file and the item, e.g. `deadlines.review.variants.complex.days`."""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from caseflow.core.engine.errors import DefinitionError
from caseflow.core.engine.schema import CERTAINTIES, reason_of

UNITS = ("calendar", "working", "months")
KINDS = ("limit", "warning")
VARIANT_KEYS = ("days", "unit", "basis", "extendable", "label")


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number of days, not {value!r}")  # noqa: TRY004 (pydantic wants ValueError)
    if value < 0:
        raise ValueError(f"must not be negative ({value})")
    return value


def _unit(value: Any) -> str:
    if value not in UNITS:
        raise ValueError(f"unknown unit '{value}' (calendar | working | months)")
    return value


def _one_of(allowed: tuple[str, ...], words: str):
    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"must be {words}, not '{value}'")
        return value
    return check


def names_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of names")
    return value


def _non_blank(message: str):
    def check(value: Any) -> str:
        if not str(value or "").strip():
            raise ValueError(message)
        return str(value)
    return check


_basis = _non_blank("a rule must cite its legal basis")


def _label(value: Any) -> Any:
    if not (isinstance(value, str) and value.strip()) and not (isinstance(value, dict) and str(value.get("vi") or "")):
        raise ValueError("missing vi label")
    return value


def norm_extendable(value: Any) -> Any:
    """YAML 1.1 reads the contract's `on:` key as the boolean True: take it back as "on"."""
    if isinstance(value, dict) and True in value:
        value = {("on" if k is True else k): v for k, v in value.items()}
    return value


Days = Annotated[int, BeforeValidator(_days)]
Unit = Annotated[str, BeforeValidator(_unit)]
Names = Annotated[list[str], BeforeValidator(names_list)]


class ExtendableSpec(BaseModel):
    """How often and by how much the law lets the period be extended, and the trigger that extends it."""

    times: Days = 0
    days: Days = 0
    on: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, raw: Any) -> Any:
        raw = norm_extendable(raw)
        if not isinstance(raw, dict):
            raise ValueError("must be a mapping {times, days, on}")  # noqa: TRY004
        return raw


class VariantSpec(BaseModel):
    """What a case flag (e.g. `complex`) changes in the rule."""

    model_config = ConfigDict(extra="forbid")

    days: Days | None = None
    unit: Unit | None = None
    basis: Annotated[str, BeforeValidator(_basis)] | None = None
    extendable: ExtendableSpec | None = None
    label: Annotated[Any, BeforeValidator(_label)] = None


class RuleSpec(BaseModel):
    """A rule as written; every key optional here (a workflow's rule may take the rest from `ref:`)."""

    model_config = ConfigDict(extra="allow")  # keys far from the contract belong to other subsystems

    ref: str | None = None
    label: Annotated[Any, BeforeValidator(_label)] = None
    days: Days | None = None
    unit: Unit | None = None
    basis: Annotated[str, BeforeValidator(_basis)] | None = None
    start_on: Names = []
    met_on: Names = []
    cancel_on: Names = []
    pause_in: Names = []
    extendable: ExtendableSpec | None = None
    variants: dict[str, VariantSpec] = {}
    certainty: Annotated[str, BeforeValidator(_one_of(CERTAINTIES, "V, R or U"))] = "V"
    kind: Annotated[str, BeforeValidator(_one_of(KINDS, "limit or warning"))] = "limit"
    start_field: str | None = None
    note: str | None = None
    #: a catalogue entry no workflow opens on purpose: why (checked by `caseflow workflows check`)
    unused: Annotated[str, BeforeValidator(_non_blank("an unused entry must say why"))] | None = None

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            raise ValueError("a deadline rule must be a mapping")  # noqa: TRY004
        if raw.get("variants") is None:
            raw = {k: v for k, v in raw.items() if k != "variants"}
        elif not isinstance(raw["variants"], dict):
            raise ValueError("variants must be a mapping of flag -> overrides")
        return raw


def validate_rule(spec: Any, file: str, item: str) -> RuleSpec:
    try:
        return RuleSpec.model_validate(spec)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join([item, *(str(k) for k in error["loc"])])
        if error["type"] == "extra_forbidden":  # only inside a variant
            problem = f"a variant may change only {', '.join(VARIANT_KEYS)}"
        elif error["type"] == "model_type" and "variants" in error["loc"]:
            problem = "must be a mapping of overrides"
        else:
            problem = reason_of(error)
        raise DefinitionError(file, where, problem) from None
