"""Load and validate workflow definitions (workflows/*.yaml) into immutable objects.

A definition is data: states, transitions (trigger, sources, dest, roles, guards, effects, fields),
intake fields, deadline rules and documents, with vi/en labels. Validation names the file and item."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from caseflow.engine.errors import DefinitionError
from caseflow.engine.hooks import bind_arguments

#: libyaml's safe loader when installed (several times faster than the pure-Python one)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FIELD_TYPES = ("text", "textarea", "select", "bool", "date", "int", "money", "user")
LANGS = ("vi", "en")


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: Mapping[str, str]
    required: bool = False
    #: for select: value -> {vi, en}
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: where the value goes: "payload" (audit only), "case", or a detail table name (e.g. "legal_aid")
    store: str = "payload"
    max_length: int | None = None
    #: shown to the user, not stored on a case row ("confidential" data is kept out of the payload)
    confidential: bool = False


@dataclass(frozen=True)
class EffectRef:
    name: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    label: Mapping[str, str]
    guards: tuple[EffectRef, ...] = ()
    effects: tuple[EffectRef, ...] = ()
    fields: tuple[FieldDef, ...] = ()
    #: "required" | "optional" | "none": whether the form asks for a reason
    comment: str = "optional"
    #: documents this step produces (document type keys)
    documents: tuple[str, ...] = ()
    #: the button's colour class, for the UI only
    style: str = "primary"
    #: raw extra keys (deadline actions etc.) for subsystems that read them
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def internal(self) -> bool:
        """dest "=": the case stays where it is (e.g. a hearing recorded)."""
        return self.dest == "="

    def dest_from(self, source: str) -> str:
        return source if self.internal else self.dest


@dataclass(frozen=True)
class StateDef:
    name: str
    label: Mapping[str, str]
    final: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Definition:
    name: str
    version: int
    kind: str
    code_prefix: str
    label: Mapping[str, str]
    initial: str
    states: Mapping[str, StateDef]
    transitions: tuple[TransitionDef, ...]
    intake_roles: tuple[str, ...]
    intake_fields: tuple[FieldDef, ...]
    intake_effects: tuple[EffectRef, ...]
    source_file: str
    #: raw top-level keys not interpreted here (deadlines, dossiers, ...), for their subsystems
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: (trigger, source) -> transition: firing is a lookup
    _index: Mapping[tuple[str, str], TransitionDef] = field(default_factory=dict, repr=False)

    def transition(self, trigger: str, source: str) -> TransitionDef | None:
        return self._index.get((trigger, source))

    def transitions_from(self, source: str) -> list[TransitionDef]:
        return [t for t in self.transitions if source in t.sources]

    @property
    def triggers(self) -> frozenset[str]:
        return frozenset(t.trigger for t in self.transitions)

    def is_final(self, state: str) -> bool:
        return self.states[state].final


def _labels(raw: Any, file: str, item: str) -> Mapping[str, str]:
    if isinstance(raw, str):
        raw = {"vi": raw}
    if not isinstance(raw, dict) or not str(raw.get("vi") or "").strip():
        raise DefinitionError(file, item, "missing vi label")
    return MappingProxyType({k: str(v) for k, v in raw.items() if k in LANGS})


def _refs(raw: Any, known: Mapping[str, Any] | None, file: str, item: str, kind: str) -> tuple[EffectRef, ...]:
    refs = []
    for entry in raw or []:
        if isinstance(entry, str):
            ref = EffectRef(entry)
        elif isinstance(entry, dict) and len(entry) == 1:
            (name, args), = entry.items()
            ref = EffectRef(name, MappingProxyType(dict(args or {})))
        else:
            raise DefinitionError(file, item, f"bad {kind} entry {entry!r}")
        if known is not None:
            if ref.name not in known:
                raise DefinitionError(file, item, f"unknown {kind} '{ref.name}'")
            problem = bind_arguments(known[ref.name], ref.args)
            if problem:  # e.g. a misspelt argument: refused at load, not at the first fire
                raise DefinitionError(file, item, f"{kind} '{ref.name}': {problem}")
        refs.append(ref)
    return tuple(refs)


def _fields(raw: Any, file: str, item: str) -> tuple[FieldDef, ...]:
    fields, seen = [], set()
    for i, spec in enumerate(raw or []):
        where = f"{item}.fields[{i}]"
        if not isinstance(spec, dict) or "name" not in spec:
            raise DefinitionError(file, where, "a field needs a name")
        name = spec["name"]
        if name in seen:
            raise DefinitionError(file, where, f"duplicate field '{name}'")
        seen.add(name)
        ftype = spec.get("type", "text")
        if ftype not in FIELD_TYPES:
            raise DefinitionError(file, where, f"unknown field type '{ftype}'")
        choices = {}
        if ftype == "select":
            if not spec.get("choices"):
                raise DefinitionError(file, where, "a select field needs choices")
            for value, lab in spec["choices"].items():
                choices[str(value)] = _labels(lab, file, f"{where}.choices.{value}")
        fields.append(FieldDef(
            name=name, type=ftype, label=_labels(spec.get("label"), file, where),
            required=bool(spec.get("required", False)), choices=MappingProxyType(choices),
            store=spec.get("store", "payload"), max_length=spec.get("max_length"),
            confidential=bool(spec.get("confidential", False)),
        ))
    return tuple(fields)


def parse_definition(raw: dict, file: str, guards: Mapping | None = None,
                     effects: Mapping | None = None) -> Definition:
    """Build and validate one definition. `guards`/`effects` are the known names (None skips the check)."""
    if not isinstance(raw, dict):
        raise DefinitionError(file, "<root>", "not a mapping")
    for key in ("name", "version", "kind", "code_prefix", "initial", "states", "transitions"):
        if key not in raw:
            raise DefinitionError(file, key, "missing")
    states: dict[str, StateDef] = {}
    for name, spec in (raw["states"] or {}).items():
        spec = spec or {}
        states[name] = StateDef(
            name=name, label=_labels(spec.get("label"), file, f"states.{name}"), final=bool(spec.get("final")),
            extra=MappingProxyType({k: v for k, v in spec.items() if k not in ("label", "final")}),
        )
    initial = raw["initial"]
    if initial not in states:
        raise DefinitionError(file, "initial", f"unknown state '{initial}'")

    transitions, index = [], {}
    for i, spec in enumerate(raw["transitions"] or []):
        trigger = spec.get("trigger") if isinstance(spec, dict) else None
        item = f"transitions[{i}]" + (f" ({trigger})" if trigger else "")
        if not trigger:
            raise DefinitionError(file, item, "missing trigger")
        sources = spec.get("source")
        sources = tuple(states) if sources == "*" else tuple([sources] if isinstance(sources, str) else sources or [])
        if not sources:
            raise DefinitionError(file, item, "missing source")
        dest = spec.get("dest")
        internal = dest == "="  # stays in its state: an audited action that moves nothing
        for s in sources + (() if internal else (dest,)):
            if s not in states:
                raise DefinitionError(file, item, f"unknown state '{s}'")
        if not spec.get("roles"):
            raise DefinitionError(file, item, "no roles may fire it")
        comment = spec.get("comment", "optional")
        if comment not in ("required", "optional", "none"):
            raise DefinitionError(file, item, f"comment must be required|optional|none, not '{comment}'")
        known_keys = {"trigger", "source", "dest", "roles", "label", "guards", "effects", "fields", "comment",
                      "documents", "style"}
        t = TransitionDef(
            trigger=trigger, sources=sources, dest=dest, roles=tuple(spec["roles"]),
            label=_labels(spec.get("label"), file, item),
            guards=_refs(spec.get("guards"), guards, file, item, "guard"),
            effects=_refs(spec.get("effects"), effects, file, item, "effect"),
            fields=_fields(spec.get("fields"), file, item), comment=comment,
            documents=tuple(spec.get("documents") or ()), style=spec.get("style", "primary"),
            extra=MappingProxyType({k: v for k, v in spec.items() if k not in known_keys}),
        )
        for s in sources:
            if (trigger, s) in index:
                raise DefinitionError(file, item, f"duplicate trigger '{trigger}' from state '{s}'")
            if states[s].final:
                raise DefinitionError(file, item, f"source state '{s}' is final")
            index[(trigger, s)] = t
        transitions.append(t)

    # Every state must be reachable from the initial one.
    reachable, frontier = {initial}, [initial]
    while frontier:
        s = frontier.pop()
        for t in transitions:
            if s in t.sources and not t.internal and t.dest not in reachable:
                reachable.add(t.dest)
                frontier.append(t.dest)
    for name in states:
        if name not in reachable:
            raise DefinitionError(file, f"states.{name}", "unreachable state")
        if not states[name].final and not any(name in t.sources and not t.internal for t in transitions):
            raise DefinitionError(file, f"states.{name}", "a non-final state with no way out")

    intake = raw.get("intake") or {}
    known_top = {"name", "version", "kind", "code_prefix", "label", "initial", "states", "transitions", "intake"}
    return Definition(
        name=raw["name"], version=int(raw["version"]), kind=raw["kind"], code_prefix=raw["code_prefix"],
        label=_labels(raw.get("label"), file, "label"), initial=initial, states=MappingProxyType(states),
        transitions=tuple(transitions), intake_roles=tuple(intake.get("roles") or ()),
        intake_fields=_fields(intake.get("fields"), file, "intake"),
        intake_effects=_refs(intake.get("effects"), effects, file, "intake", "effect"),
        source_file=file, extra=MappingProxyType({k: v for k, v in raw.items() if k not in known_top}),
        _index=MappingProxyType(index),
    )


@dataclass(frozen=True)
class ImportSpec:
    """A definition's optional `import:` section: who may import, into which states, the extra fields
    (facts later steps would have recorded) and the guards/effects that check and complete them."""

    roles: tuple[str, ...]
    states: tuple[str, ...]
    fields: tuple[FieldDef, ...]
    guards: tuple[EffectRef, ...]
    effects: tuple[EffectRef, ...]


def parse_import_spec(definition: Definition, guards: Mapping | None = None,
                      effects: Mapping | None = None) -> ImportSpec:
    """Parsed and checked (naming file and item) when the registry loads the definition."""
    raw, file = definition.extra.get("import") or {}, definition.source_file
    for state in raw.get("states") or ():
        if state not in definition.states:
            raise DefinitionError(file, "import.states", f"unknown state '{state}'")
    spec = ImportSpec(
        roles=tuple(raw.get("roles") or definition.intake_roles),
        states=tuple(raw.get("states") or definition.states),
        fields=definition.intake_fields + _fields(raw.get("fields"), file, "import"),
        guards=_refs(raw.get("guards"), guards, file, "import", "guard"),
        effects=_refs(raw.get("effects"), effects, file, "import", "effect"))
    return spec


def load_file(path: Path, guards: Mapping | None = None, effects: Mapping | None = None) -> Definition:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DefinitionError(path.name, "<yaml>", str(exc)) from exc
    return parse_definition(raw, path.name, guards, effects)
