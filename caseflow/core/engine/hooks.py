"""Typed hooks that workflow definitions name: guards, effects, checks, listeners, validators, detail models.

A feature declares its hooks on a `HookSet` in its own hooks module; nothing is registered by being
imported: the feature's `setup(app)` adds the set to the app's engine (`caseflow.core.engine.add_hooks`), and
definitions load against the hooks of the features the app names. A YAML argument is bound to the
function's signature when the definition loads, so a misspelt one is an error naming file and item."""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from caseflow.core.engine.context import FireContext
    from caseflow.core.engine.definition import Definition


class Guard(Protocol):
    """Refuses a step with reasons in the user's language (an empty list, or None, allows it).
    Guards run before anything is written, so their reasons reach the user."""

    def __call__(self, ctx: FireContext, /, **args: Any) -> list[str] | str | None: ...


class Effect(Protocol):
    """Does the step's work inside the firing transaction, before the audit event; returns nothing."""

    def __call__(self, ctx: FireContext, /, **args: Any) -> None: ...


class Listener(Protocol):
    """Runs after every successful step inside the transaction (deadlines, notifications); never refuses."""

    def __call__(self, ctx: FireContext, /) -> None: ...


class Validator(Protocol):
    """Checks a definition's feature-specific sections at load; raises DefinitionError naming the item."""

    def __call__(self, definition: Definition, /) -> None: ...


class SetCheck(Protocol):
    """A rule over all definitions together (`caseflow workflows check`): the problems found, each one line."""

    def __call__(self, definitions: list[Definition], /) -> list[str]: ...


@dataclass
class HookSet:
    """One feature's hooks, declared with the decorators below and added to an app by the feature's setup."""

    feature: str
    guards: dict[str, Guard] = field(default_factory=dict)
    effects: dict[str, Effect] = field(default_factory=dict)
    #: guards every step and intake of every workflow passes (each decides what concerns it)
    checks: list[Guard] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    validators: list[Validator] = field(default_factory=list)
    set_checks: list[SetCheck] = field(default_factory=list)
    #: detail table name (a field's `store`) -> model class with a `case_id` primary key
    detail_models: dict[str, type] = field(default_factory=dict)

    def guard(self, name: str) -> Callable[[Guard], Guard]:
        return self._named(self.guards, name, "guard")

    def effect(self, name: str) -> Callable[[Effect], Effect]:
        return self._named(self.effects, name, "effect")

    def check(self, fn: Guard) -> Guard:
        self.checks.append(fn)
        return fn

    def after_fire(self, fn: Listener) -> Listener:
        self.listeners.append(fn)
        return fn

    def validator(self, fn: Validator) -> Validator:
        self.validators.append(fn)
        return fn

    def set_check(self, fn: SetCheck) -> SetCheck:
        self.set_checks.append(fn)
        return fn

    def detail_model(self, name: str, model: type) -> None:
        self.detail_models[name] = model

    def _named(self, table: dict, name: str, kind: str) -> Callable:
        def register(fn):
            if name in table and table[name] is not fn:
                raise ValueError(f"{self.feature}: {kind} '{name}' declared twice")
            table[name] = fn
            return fn
        return register


class Hooks:
    """The hooks of one app: its features' sets merged; a name two features declare is an error."""

    def __init__(self) -> None:
        self.features: list[str] = []
        self.guards: dict[str, Guard] = {}
        self.effects: dict[str, Effect] = {}
        self.checks: list[Guard] = []
        self.listeners: list[Listener] = []
        self.validators: list[Validator] = []
        self.set_checks: list[SetCheck] = []
        self.detail_models: dict[str, type] = {}

    def add(self, hooks: HookSet) -> None:
        for mine, theirs, kind in ((self.guards, hooks.guards, "guard"), (self.effects, hooks.effects, "effect"),
                                   (self.detail_models, hooks.detail_models, "detail model")):
            for name, fn in theirs.items():
                if name in mine and mine[name] is not fn:
                    raise ValueError(f"{kind} '{name}' of feature '{hooks.feature}' is declared by another feature")
                mine[name] = fn
        for mine_list, their_list in ((self.checks, hooks.checks), (self.listeners, hooks.listeners),
                                      (self.validators, hooks.validators), (self.set_checks, hooks.set_checks)):
            mine_list.extend(fn for fn in their_list if fn not in mine_list)
        self.features.append(hooks.feature)


def bind_arguments(fn: Callable, args: Mapping[str, Any]) -> str | None:
    """None when `fn(ctx, **args)` fits fn's signature, else what is wrong: the arguments it does not take
    (a misspelling, usually) and those it needs that are missing."""
    signature = inspect.signature(fn)
    try:
        signature.bind(None, **args)
    except TypeError as exc:
        params = list(signature.parameters.values())[1:]  # after ctx
        if any(p.kind is p.VAR_KEYWORD for p in params):
            return str(exc)
        names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        unknown = [a for a in args if a not in names]
        missing = [p.name for p in params if p.name in names and p.default is p.empty and p.name not in args]
        problems = [f"takes no argument '{a}'" for a in unknown] + [f"needs argument '{m}'" for m in missing]
        return "; ".join(problems) or str(exc)
    return None


def reasons_of(result: None | str | Iterable[str]) -> list[str]:
    """A guard's answer as a list of reasons (guards may return one reason as a string)."""
    if result is None:
        return []
    if isinstance(result, str):
        return [result]
    return [str(r) for r in result]
