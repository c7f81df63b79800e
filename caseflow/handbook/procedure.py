"""A workflow definition read as a standard procedure: its purpose and basis, its states, and one step per
transition (who acts, what is required, which deadlines it starts or must meet, which documents it produces),
all in one language. Plain data, built from the definition alone, so the page, the diagram and the handbook
say the same thing as the engine that runs the cases."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask_babel import force_locale

from caseflow.core.engine.definition import Definition, EffectRef
from caseflow.core.i18n import label
from caseflow.core.yamlfile import load_yaml
from caseflow.deadlines.rules import Rule
from caseflow.deadlines.service import rules_of
from caseflow.web.labels import code_words, role_label

GUARDS_FILE = Path(__file__).with_name("guards.yaml")
#: deadline units as the law says them (DOMAIN.md section 0: "ngày" or "ngày làm việc")
UNIT_WORDS = {"vi": {"working": "ngày làm việc", "calendar": "ngày", "months": "tháng"},
              "en": {"working": "working days", "calendar": "days", "months": "months"}}


@lru_cache(maxsize=1)
def guard_descriptions() -> dict[str, dict[str, str]]:
    """What each guard checks, in plain words ({vi, en}; `{argument}` filled from the step's arguments)."""
    return {name: dict(text) for name, text in (load_yaml(GUARDS_FILE) or {}).items()}


def describe_guard(ref: EffectRef, lang: str, definition: Definition | None = None) -> str | None:
    text = guard_descriptions().get(ref.name)
    if text is None:
        return None
    words = label(text, lang)
    try:
        return words.format(**{k: _plain(v, lang, definition) for k, v in ref.args.items()})
    except (KeyError, IndexError):
        return words


def _plain(value: Any, lang: str = "vi", definition: Definition | None = None) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v, lang, definition) for v in value)
    return _words_for_code(str(value), lang, definition)


def _words_for_code(code: str, lang: str, definition: Definition | None) -> str:
    """A guard argument that is a code (a choice value, a workflow) in words: the handbook is read by officers."""
    return code_words(code, definition, lang)


@dataclass(frozen=True)
class Clock:
    """A deadline as the procedure states it."""

    key: str
    label: str
    days: int
    unit: str
    basis: str
    certainty: str
    starts: tuple[str, ...]
    met: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.label}: {self.days} {self.unit}"


@dataclass(frozen=True)
class StateView:
    name: str
    label: str
    final: bool
    #: deadlines whose clock runs in this state (it is entered by a step that starts them)
    clocks: tuple[Clock, ...] = ()


@dataclass(frozen=True)
class Step:
    trigger: str
    label: str
    sources: tuple[str, ...]
    source_labels: tuple[str, ...]
    dest: str
    dest_label: str
    internal: bool
    #: who may take it: role labels, and the role keys they stand for
    roles: tuple[str, ...]
    role_keys: tuple[str, ...]
    #: what must be true or supplied first: dossier items, required fields, guards in plain words
    required: tuple[str, ...]
    documents: tuple[str, ...]
    #: deadlines this step must meet, and those it starts
    due: tuple[Clock, ...]
    starts: tuple[Clock, ...]


@dataclass(frozen=True)
class Procedure:
    name: str
    version: int
    lang: str
    label: str
    purpose: str
    basis: str
    initial: str
    intake_roles: tuple[str, ...]
    intake_role_keys: tuple[str, ...]
    states: tuple[StateView, ...]
    steps: tuple[Step, ...]
    clocks: tuple[Clock, ...]
    role_keys: tuple[str, ...] = field(default=())

    def state(self, name: str) -> StateView:
        return next(s for s in self.states if s.name == name)


def _clock(rule: Rule, lang: str) -> Clock:
    return Clock(key=rule.key, label=label(rule.label, lang), days=rule.days,
                 unit=UNIT_WORDS.get(lang, UNIT_WORDS["vi"]).get(rule.unit, rule.unit), basis=rule.basis,
                 certainty=rule.certainty, starts=rule.start_on, met=rule.met_on)


def _document_label(key: str, lang: str) -> str:
    from caseflow.documents import UnknownDocumentType, get_type

    try:
        return label(get_type(key).label, lang)
    except UnknownDocumentType:
        return key


def _required(definition: Definition, t, lang: str) -> tuple[str, ...]:
    dossier = {item["key"]: item for item in definition.extra.get("dossier") or []}
    out = [label(dossier[key]["label"], lang) for key in t.extra.get("dossier_required") or () if key in dossier]
    out += [label(f.label, lang) for f in t.fields if f.required]
    out += [text for text in (describe_guard(g, lang, definition) for g in t.guards) if text]
    return tuple(out)


def _roles(roles, lang: str) -> tuple[str, ...]:
    with force_locale(lang):
        return tuple(role_label(r) for r in roles)


def build(definition: Definition, lang: str = "vi") -> Procedure:
    clocks = [_clock(r, lang) for r in rules_of(definition).values()]
    running: dict[str, list[Clock]] = {}
    for clock in clocks:
        for trigger in clock.starts:
            entered = [definition.initial] if trigger == "open" else \
                sorted({t.dest_from(s) for t in definition.transitions if t.trigger == trigger for s in t.sources})
            for state in entered:
                running.setdefault(state, []).append(clock)
    states = tuple(StateView(s.name, label(s.label, lang), s.final, tuple(running.get(s.name, ())))
                   for s in definition.states.values())
    names = {s.name: s.label for s in states}
    steps = tuple(Step(
        trigger=t.trigger, label=label(t.label, lang), sources=t.sources,
        source_labels=tuple(names[s] for s in t.sources), dest=t.dest,
        dest_label="" if t.internal else names[t.dest], internal=t.internal, roles=_roles(t.roles, lang), role_keys=t.roles,
        required=_required(definition, t, lang), documents=tuple(_document_label(d, lang) for d in t.documents),
        due=tuple(c for c in clocks if t.trigger in c.met), starts=tuple(c for c in clocks if t.trigger in c.starts))
        for t in definition.transitions)
    purpose = definition.extra.get("purpose") or {}
    roles = sorted({r for t in definition.transitions for r in t.roles} | set(definition.intake_roles))
    return Procedure(
        name=definition.name, version=definition.version, lang=lang, label=label(definition.label, lang),
        purpose=label(purpose, lang) if purpose else "", basis=str(definition.extra.get("basis") or ""),
        initial=definition.initial, intake_roles=_roles(definition.intake_roles, lang),
        intake_role_keys=definition.intake_roles, states=states,
        steps=steps, clocks=tuple(clocks), role_keys=tuple(roles))


_BUILT: dict[tuple[str, int, int, str], Procedure] = {}


def procedure_of(definition: Definition, lang: str = "vi") -> Procedure:
    """Built once per definition and language (definitions are immutable)."""
    key = (definition.name, definition.version, id(definition), lang)
    found = _BUILT.get(key)
    if found is None:
        found = _BUILT[key] = build(definition, lang)
    return found
