"""Deadline rules: parsed and validated from a workflow's `deadlines:` section (HELPERS.md contract),
completed from the catalogue of DOMAIN.md's deadlines (`ref:`), and resolved for one case into the
snapshot stored on its deadline row (variant chosen, admin-set [R]/[U] value in force when received)."""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from caseflow.core.engine.errors import DefinitionError
from caseflow.core.yamlfile import load_yaml
from caseflow.deadlines.schema import names_list, validate_rule
from caseflow.deadlines.schema import norm_extendable as _norm_ext

#: "open" is the intake: it has no transition of its own
INTAKE_TRIGGER = "open"
RULE_KEYS = ("ref", "label", "days", "unit", "basis", "start_on", "met_on", "cancel_on", "pause_in", "extendable",
             "variants", "certainty", "kind", "start_field", "note", "unused")
CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")


@dataclass(frozen=True)
class Extendable:
    times: int
    days: int
    on: str | None = None


@dataclass(frozen=True)
class Rule:
    key: str
    label: Mapping[str, str]
    days: int
    unit: str
    basis: str
    start_on: tuple[str, ...]
    met_on: tuple[str, ...] = ()
    cancel_on: tuple[str, ...] = ()
    pause_in: tuple[str, ...] = ()
    extendable: Extendable | None = None
    variants: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    certainty: str = "V"
    kind: str = "limit"
    #: a date field (intake/transition data or detail row) the period runs from instead of the event's day
    start_field: str | None = None
    #: the catalogue key, if it reuses one
    ref: str | None = None

    @property
    def setting_key(self) -> str:
        """Where an admin-set value of this rule is kept."""
        return self.ref or self.key

    def setting_key_for(self, variant: str | None) -> str:
        """A variant's admin-set value is kept apart from the rule's (`legal_aid.limitation_court:is_collective`)."""
        return f"{self.setting_key}:{variant}" if variant and variant in self.variants else self.setting_key

    @property
    def configurable(self) -> bool:
        return self.certainty in ("R", "U")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    """DOMAIN.md's deadlines, keyed `<procedure>.<step>`; validated like a workflow's rules."""
    raw = load_yaml(CATALOGUE_PATH) or {}
    for key, spec in raw.items():
        _check_spec(spec, CATALOGUE_PATH.name, f"catalogue.{key}", triggers=None, states=None, need_start=False)
    return raw


def _fail(file: str, item: str, problem: str):
    raise DefinitionError(file, item, problem)


def _str_list(value: Any, file: str, item: str) -> tuple[str, ...]:
    try:
        return tuple(names_list(value))
    except ValueError as exc:
        raise DefinitionError(file, item, str(exc)) from None


def _known_triggers(names: list[str], triggers, file: str, item: str) -> None:
    for trig in names:
        if triggers is not None and trig != INTAKE_TRIGGER and trig not in triggers:
            _fail(file, item, f"unknown trigger '{trig}'")


def _check_spec(spec: Any, file: str, item: str, *, triggers, states, need_start: bool) -> None:
    """A rule (or catalogue entry): its shape by the schema, then the names it gives against the workflow's
    triggers and states (None: not checked); an unknown key close to a known one is a misspelling."""
    for key in spec if isinstance(spec, dict) else ():
        close = difflib.get_close_matches(str(key), RULE_KEYS, n=1, cutoff=0.75) if key not in RULE_KEYS else []
        if close:
            _fail(file, f"{item}.{key}", f"unknown key (did you mean '{close[0]}'?)")
    rule = validate_rule(spec, file, item)
    for name in ("start_on", "met_on", "cancel_on"):
        _known_triggers(getattr(rule, name), triggers, file, f"{item}.{name}")
    for state in rule.pause_in:
        if states is not None and state not in states:
            _fail(file, f"{item}.pause_in", f"unknown pause state '{state}'")
    extensions = [(f"{item}.extendable", rule.extendable)] + \
        [(f"{item}.variants.{name}.extendable", v.extendable) for name, v in rule.variants.items()]
    for where, ext in extensions:
        if ext is not None and ext.on is not None:
            _known_triggers([ext.on], triggers, file, f"{where}.on")
    if need_start and not rule.start_on:
        _fail(file, f"{item}.start_on", "a rule needs at least one trigger that opens it")


def _extendable(raw: Any) -> Extendable | None:
    if not raw:
        return None
    return Extendable(times=int(raw.get("times", 0)), days=int(raw.get("days", 0)), on=raw.get("on"))


def parse_rules(raw: Any, file: str, triggers: frozenset[str] | set[str] | None,
                states: Mapping[str, Any] | None) -> dict[str, Rule]:
    """A workflow's `deadlines:` section -> {key: Rule}; a DefinitionError names the file and the item."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        _fail(file, "deadlines", "must be a mapping of rule key -> rule")
    rules = {}
    for key, spec in raw.items():
        item = f"deadlines.{key}"
        if not isinstance(spec, dict):
            _fail(file, item, "a deadline rule must be a mapping")
        ref = spec.get("ref")
        base: dict = {}
        if ref is not None:
            if ref not in catalogue():
                _fail(file, f"{item}.ref", f"unknown catalogue deadline '{ref}'")
            base = dict(catalogue()[ref])
        merged = {**base, **spec}
        if isinstance(base.get("extendable"), dict) and isinstance(spec.get("extendable"), dict):
            # e.g. only `on:` added to the catalogue's limits
            merged["extendable"] = {**_norm_ext(base["extendable"]), **_norm_ext(spec["extendable"])}
        for required in ("days", "unit", "basis", "label"):
            if required not in merged:
                _fail(file, f"{item}.{required}", "missing")
        _check_spec(spec, file, item, triggers=triggers, states=states, need_start=True)
        _check_spec(merged, file, item, triggers=None, states=states, need_start=True)
        ext = _norm_ext(merged.get("extendable"))
        variants = merged.get("variants") or {}
        label = merged["label"]
        extensions_possible = (ext and ext.get("times")) or any((_norm_ext(v.get("extendable")) or {}).get("times")
                                                                 for v in variants.values())
        if extensions_possible and not (ext or {}).get("on"):
            _fail(file, f"{item}.extendable.on", "an extendable rule needs the trigger that extends it")
        rules[key] = Rule(
            key=key, label={"vi": label} if isinstance(label, str) else dict(label), days=merged["days"],
            unit=merged["unit"], basis=str(merged["basis"]), start_on=_str_list(merged.get("start_on"), file, item),
            met_on=_str_list(merged.get("met_on"), file, item), cancel_on=_str_list(merged.get("cancel_on"), file, item),
            pause_in=_str_list(merged.get("pause_in"), file, item), extendable=_extendable(ext),
            variants={k: dict(v) for k, v in variants.items()}, certainty=merged.get("certainty", "V"),
            kind=merged.get("kind", "limit"), start_field=merged.get("start_field"), ref=ref,
        )
    return rules


def snapshot(rule: Rule, workflow: str, version: int, variant: str | None,
             setting: tuple[int, str, date] | None) -> dict:
    """The rule as it applies to one case: the variant's values, then the admin-set value in force when
    the case was received ([R]/[U] only). Stored on the deadline row; later edits never change it."""
    over = dict(rule.variants.get(variant, {})) if variant else {}
    days, basis = over.get("days", rule.days), over.get("basis", rule.basis)
    ext = _norm_ext(over.get("extendable"))
    extendable = ({"times": int(ext.get("times", 0)), "days": int(ext.get("days", rule.extendable.days
                                                                        if rule.extendable else 0)),
                   "on": rule.extendable.on if rule.extendable else None} if ext else
                  ({"times": rule.extendable.times, "days": rule.extendable.days, "on": rule.extendable.on}
                   if rule.extendable else None))
    configured = None
    if setting is not None and rule.configurable:
        days, basis = setting[0], setting[1]
        configured = {"days": setting[0], "basis": setting[1], "effective_from": setting[2].isoformat()}
    return {
        "key": rule.key, "ref": rule.ref, "workflow": workflow, "version": version,
        "label": dict(over.get("label") or rule.label), "days": days, "unit": over.get("unit", rule.unit),
        "basis": basis, "pause_in": list(rule.pause_in), "extendable": extendable, "variant": variant,
        "certainty": rule.certainty, "kind": rule.kind, "configured": configured,
    }
