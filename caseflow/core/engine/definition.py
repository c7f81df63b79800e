"""Load and validate workflow definitions (workflows/**/*.yaml) into immutable objects.

A definition is data: states, transitions (trigger, sources, dest, roles, guards, effects, fields),
intake fields, deadline rules and documents, with vi/en labels. Validation names the file and item."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from caseflow.core.engine.errors import DefinitionError
from caseflow.core.engine.hooks import bind_arguments
from caseflow.core.engine.schema import (
    FieldSchema,
    TransitionSchema,
    WorkflowSchema,
    hook_ref,
    reason_of,
    validate_workflow,
)


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
    #: the timeline shows it only when set: e.g. a denunciation-only box on a letter that is a complaint
    shown_when_set: bool = False


@dataclass(frozen=True)
class EffectRef:
    name: str
    args: Mapping[str, Any] = field(default_factory=dict)


#: button styles of the steps that take a case along its procedure (TransitionDef.forward)
FORWARD_STYLES = ("primary", "success")


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

    @property
    def forward(self) -> bool:
        """A step along the procedure (it moves the case, drawn as a main button: primary or success), as
        opposed to a record kept in place, a return, a refusal or a withdrawal (secondary, warning, danger)."""
        return not self.internal and self.style in FORWARD_STYLES


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

    def next_steps(self, source: str) -> list[TransitionDef]:
        """What comes next from `source`: its forward steps, else its plain (secondary) ones that move the
        case (e.g. filing a dispatched document), else (a state whose one way on is drawn as a warning, e.g. a
        disciplinary decision) whatever moves it, unless the file says `next_step: false` (a revocation may
        happen; nothing waits for it). A step back to the same state is never "next"."""
        moving = [t for t in self.transitions_from(source) if t.dest_from(source) != source]
        return ([t for t in moving if t.forward] or [t for t in moving if t.style == "secondary"] or
                [t for t in moving if t.extra.get("next_step", True)])

    @property
    def step_bar(self) -> tuple[str, ...]:
        """The procedure's states in the order the file gives them, its final states after the others."""
        return tuple([s for s, d in self.states.items() if not d.final] +
                     [s for s, d in self.states.items() if d.final])

    @property
    def triggers(self) -> frozenset[str]:
        return frozenset(t.trigger for t in self.transitions)

    def is_final(self, state: str) -> bool:
        return self.states[state].final


def _refs(raw: Any, known: Mapping[str, Any] | None, file: str, item: str, kind: str) -> tuple[EffectRef, ...]:
    """Hook references (`name` or `{name: {argument: value}}`), each known and bound to its function's
    signature when `known` is given."""
    refs = []
    for entry in raw or []:
        try:
            name, args = entry if isinstance(entry, tuple) else hook_ref(entry)
        except ValueError as exc:
            raise DefinitionError(file, item, str(exc)) from None
        ref = EffectRef(name, MappingProxyType(dict(args)))
        if known is not None:
            if ref.name not in known:
                raise DefinitionError(file, item, f"unknown {kind} '{ref.name}'")
            problem = bind_arguments(known[ref.name], ref.args)
            if problem:  # e.g. a misspelt argument: refused at load, not at the first fire
                raise DefinitionError(file, item, f"{kind} '{ref.name}': {problem}")
        refs.append(ref)
    return tuple(refs)


def _field_defs(specs: list[FieldSchema], file: str, item: str) -> tuple[FieldDef, ...]:
    seen: set[str] = set()
    for i, spec in enumerate(specs):
        if spec.name in seen:
            raise DefinitionError(file, f"{item}.fields[{i}]", f"duplicate field '{spec.name}'")
        seen.add(spec.name)
    return tuple(FieldDef(
        name=f.name, type=f.type, label=MappingProxyType(f.label), required=f.required,
        choices=MappingProxyType({k: MappingProxyType(v) for k, v in f.choices.items()}), store=f.store,
        max_length=f.max_length, confidential=f.confidential, shown_when_set=f.shown_when_set) for f in specs)


def _fields(raw: Any, file: str, item: str) -> tuple[FieldDef, ...]:
    """Fields given as raw YAML (a feature's own section, e.g. `import:`), checked by the same schema."""
    try:
        specs = TypeAdapter(list[FieldSchema]).validate_python(raw or [])
    except ValidationError as exc:
        error = exc.errors()[0]
        index = next((k for k in error["loc"] if isinstance(k, int)), 0)
        raise DefinitionError(file, f"{item}.fields[{index}]",
                              reason_of(error)) from None
    return _field_defs(specs, file, item)


def _state_defs(doc: WorkflowSchema) -> dict[str, StateDef]:
    return {name: StateDef(name=name, label=MappingProxyType(spec.label), final=spec.final,
                           extra=MappingProxyType(dict(spec.model_extra or {})))
            for name, spec in doc.states.items()}


def _transition_def(spec: TransitionSchema, states: Mapping[str, StateDef], file: str, item: str,
                    guards: Mapping | None, effects: Mapping | None) -> TransitionDef:
    sources = tuple(states) if spec.source == ["*"] else tuple(spec.source)
    internal = spec.dest == "="  # stays in its state: an audited action that moves nothing
    for s in sources + (() if internal else (spec.dest,)):
        if s not in states:
            raise DefinitionError(file, item, f"unknown state '{s}'")
    return TransitionDef(
        trigger=spec.trigger, sources=sources, dest=spec.dest, roles=tuple(spec.roles),
        label=MappingProxyType(spec.label), guards=_refs(spec.guards, guards, file, item, "guard"),
        effects=_refs(spec.effects, effects, file, item, "effect"), fields=_field_defs(spec.fields, file, item),
        comment=spec.comment, documents=tuple(spec.documents), style=spec.style,
        extra=MappingProxyType(dict(spec.model_extra or {})))


def _check_reachable(states: Mapping[str, StateDef], initial: str, transitions: list[TransitionDef],
                     file: str) -> None:
    """Every state is reachable from the initial one, and a non-final state has a way out."""
    reachable, frontier = {initial}, [initial]
    while frontier:
        s = frontier.pop()
        for t in transitions:
            if s in t.sources and not t.internal and t.dest not in reachable:
                reachable.add(t.dest)
                frontier.append(t.dest)
    for name, state in states.items():
        if name not in reachable:
            raise DefinitionError(file, f"states.{name}", "unreachable state")
        if not state.final and not any(name in t.sources and not t.internal for t in transitions):
            raise DefinitionError(file, f"states.{name}", "a non-final state with no way out")


def parse_definition(raw: Any, file: str, guards: Mapping | None = None,
                     effects: Mapping | None = None) -> Definition:
    """Build and validate one definition. `guards`/`effects` are the known names (None skips the check)."""
    doc = validate_workflow(raw, file)
    states = _state_defs(doc)
    if doc.initial not in states:
        raise DefinitionError(file, "initial", f"unknown state '{doc.initial}'")
    transitions, index = [], {}
    for i, spec in enumerate(doc.transitions):
        item = f"transitions[{i}] ({spec.trigger})"
        t = _transition_def(spec, states, file, item, guards, effects)
        for s in t.sources:
            if (t.trigger, s) in index:
                raise DefinitionError(file, item, f"duplicate trigger '{t.trigger}' from state '{s}'")
            if states[s].final:
                raise DefinitionError(file, item, f"source state '{s}' is final")
            index[(t.trigger, s)] = t
        transitions.append(t)
    _check_reachable(states, doc.initial, transitions, file)
    return Definition(
        name=doc.name, version=doc.version, kind=doc.kind, code_prefix=doc.code_prefix,
        label=MappingProxyType(doc.label), initial=doc.initial, states=MappingProxyType(states),
        transitions=tuple(transitions), intake_roles=tuple(doc.intake.roles),
        intake_fields=_field_defs(doc.intake.fields, file, "intake"),
        intake_effects=_refs(doc.intake.effects, effects, file, "intake", "effect"),
        source_file=file, extra=MappingProxyType(dict(doc.model_extra or {})), _index=MappingProxyType(index),
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
    from caseflow.core.yamlfile import load_yaml

    return parse_definition(load_yaml(path), path.name, guards, effects)
