"""One compiled `transitions` machine per (workflow, version), built once at start-up."""
from __future__ import annotations

from pathlib import Path

from transitions import Machine

from caseflow.engine import hooks
from caseflow.engine.definition import Definition, TransitionDef, load_file
from caseflow.engine.errors import DefinitionError


def compile_machine(definition: Definition) -> Machine:
    """The definition as a transitions Machine with no model: it is shared by every case and only
    consulted (machine.events[trigger].transitions[source]); no Machine is built per case or request."""
    machine = Machine(
        model=None, states=list(definition.states), initial=definition.initial,
        auto_transitions=False, ignore_invalid_triggers=False,
    )
    for t in definition.transitions:
        machine.add_transition(t.trigger, list(t.sources), None if t.internal else t.dest)
    return machine


class Registry:
    def __init__(self) -> None:
        self.definitions: dict[tuple[str, int], Definition] = {}
        self.machines: dict[tuple[str, int], Machine] = {}
        self.latest: dict[str, int] = {}

    @classmethod
    def from_directory(cls, directory: str | Path) -> "Registry":
        hooks.load_all()
        registry = cls()
        files = sorted(Path(directory).glob("*.yaml"))
        if not files:
            raise DefinitionError(str(directory), "<dir>", "no workflow definitions found")
        for path in files:
            registry.add(load_file(path, hooks.GUARDS, hooks.EFFECTS))
        return registry

    def add(self, definition: Definition) -> None:
        key = (definition.name, definition.version)
        if key in self.definitions:
            raise DefinitionError(definition.source_file, "version",
                                  f"{definition.name} v{definition.version} is defined twice")
        for check in hooks.VALIDATORS:
            check(definition)
        for t in definition.transitions:
            for field in t.fields:
                if field.store not in ("payload", "case") and field.store not in hooks.DETAIL_MODELS:
                    raise DefinitionError(definition.source_file, f"{t.trigger}.fields.{field.name}",
                                          f"unknown store '{field.store}'")
        self.definitions[key] = definition
        self.machines[key] = compile_machine(definition)
        self.latest[definition.name] = max(self.latest.get(definition.name, 0), definition.version)

    def get(self, name: str, version: int | None = None) -> Definition:
        version = version if version is not None else self.latest[name]
        return self.definitions[(name, version)]

    def decide(self, name: str, version: int, trigger: str, source: str) -> TransitionDef | None:
        """The transition `trigger` takes from `source`, looked up in the compiled machine."""
        event = self.machines[(name, version)].events.get(trigger)
        if event is None or source not in event.transitions:
            return None
        return self.definitions[(name, version)].transition(trigger, source)

    def by_kind(self, kind: str) -> Definition | None:
        names = [d for d in self.definitions.values() if d.kind == kind and d.version == self.latest[d.name]]
        return names[0] if names else None

    def __iter__(self):
        return iter(self.definitions.values())


_registry: Registry | None = None


def get_registry() -> Registry:
    if _registry is None:
        raise RuntimeError("workflow registry not loaded: call load_registry() (create_app does)")
    return _registry


def load_registry(directory: str | Path) -> Registry:
    global _registry
    _registry = Registry.from_directory(directory)
    return _registry
