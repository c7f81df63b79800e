"""The definitions of one app, each with its compiled `transitions` machine per (workflow, version)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from transitions import Machine

from caseflow.core.engine.definition import Definition, ImportSpec, TransitionDef, load_file, parse_import_spec
from caseflow.core.engine.errors import DefinitionError
from caseflow.core.engine.hooks import Hooks
from caseflow.core.engine.machine import compile_machine


class Registry:
    def __init__(self, hooks: Hooks) -> None:
        self.hooks = hooks
        self.definitions: dict[tuple[str, int], Definition] = {}
        self.machines: dict[tuple[str, int], Machine] = {}
        self.latest: dict[str, int] = {}
        self.import_specs: dict[tuple[str, int], ImportSpec] = {}

    @classmethod
    def from_directory(cls, directory: str | Path, hooks: Hooks) -> Registry:
        """Every `*.yaml` under `directory` (one folder per feature, or flat)."""
        registry = cls(hooks)
        files = sorted(Path(directory).rglob("*.yaml"))
        if not files:
            raise DefinitionError(str(directory), "<dir>", "no workflow definitions found")
        for path in files:
            registry.add(load_file(path, hooks.guards, hooks.effects))
        return registry

    def add(self, definition: Definition) -> None:
        key = (definition.name, definition.version)
        if key in self.definitions:
            raise DefinitionError(definition.source_file, "version",
                                  f"{definition.name} v{definition.version} is defined twice")
        for check in self.hooks.validators:
            check(definition)
        for t in definition.transitions:
            for field in t.fields:
                if field.store not in ("payload", "case") and field.store not in self.hooks.detail_models:
                    raise DefinitionError(definition.source_file, f"{t.trigger}.fields.{field.name}",
                                          f"unknown store '{field.store}'")
        self.import_specs[key] = parse_import_spec(definition, self.hooks.guards, self.hooks.effects)
        self.definitions[key] = definition
        self.machines[key] = compile_machine(definition, self.hooks.effects)
        self.latest[definition.name] = max(self.latest.get(definition.name, 0), definition.version)

    def get(self, name: str, version: int | None = None) -> Definition:
        version = version if version is not None else self.latest[name]
        return self.definitions[(name, version)]

    def machine(self, name: str, version: int) -> Machine:
        return self.machines[(name, version)]

    def decide(self, name: str, version: int, trigger: str, source: str) -> TransitionDef | None:
        """The transition `trigger` takes from `source`, as the compiled machine knows it."""
        event = self.machines[(name, version)].events.get(trigger)
        if event is None or source not in event.transitions:
            return None
        return self.definitions[(name, version)].transition(trigger, source)

    def by_kind(self, kind: str) -> Definition | None:
        names = [d for d in self.definitions.values() if d.kind == kind and d.version == self.latest[d.name]]
        return names[0] if names else None

    def problems(self) -> list[str]:
        """What the features' rules over all definitions together find (e.g. a catalogue deadline no
        workflow uses); `caseflow workflows check` fails on any."""
        latest = [d for d in self.definitions.values() if d.version == self.latest[d.name]]
        return [problem for check in self.hooks.set_checks for problem in check(latest)]

    def __iter__(self) -> Iterator[Definition]:
        return iter(self.definitions.values())
