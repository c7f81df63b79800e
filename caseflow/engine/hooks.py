"""Named guards, effects and validators that workflow definitions refer to by name.

Feature code registers them with the decorators below in a module of `caseflow.hooks`; every module
of that package is imported before definitions are loaded, so a name is known or the load fails."""
from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from caseflow.engine.context import FireContext
    from caseflow.engine.definition import Definition

#: guard(ctx, **args) -> None | str | list[str]: the reasons it refuses, in the user's language
GUARDS: dict[str, Callable[..., Any]] = {}
#: effect(ctx, **args) -> None: runs inside the firing transaction, before the audit event
EFFECTS: dict[str, Callable[..., Any]] = {}
#: validator(definition) -> None, raising DefinitionError naming the item (e.g. deadline rules)
VALIDATORS: list[Callable[["Definition"], None]] = []
#: detail table name (a field's `store`) -> model class with a `case_id` primary key
DETAIL_MODELS: dict[str, type] = {}
#: listeners(ctx) run after every successful fire, inside the transaction (deadlines, notifications)
AFTER_FIRE: list[Callable[["FireContext"], None]] = []


def guard(name: str):
    def register(fn):
        if name in GUARDS and GUARDS[name] is not fn:
            raise ValueError(f"guard '{name}' registered twice")
        GUARDS[name] = fn
        return fn
    return register


def effect(name: str):
    def register(fn):
        if name in EFFECTS and EFFECTS[name] is not fn:
            raise ValueError(f"effect '{name}' registered twice")
        EFFECTS[name] = fn
        return fn
    return register


def validator(fn):
    if fn not in VALIDATORS:
        VALIDATORS.append(fn)
    return fn


def after_fire(fn):
    if fn not in AFTER_FIRE:
        AFTER_FIRE.append(fn)
    return fn


def detail_model(name: str):
    def register(cls):
        DETAIL_MODELS[name] = cls
        return cls
    return register


def reasons_of(result: None | str | Iterable[str]) -> list[str]:
    if result is None:
        return []
    if isinstance(result, str):
        return [result]
    return [str(r) for r in result]


_loaded = False


def load_all() -> None:
    """Import every module of caseflow.hooks once, so their registrations run."""
    global _loaded
    if _loaded:
        return
    import caseflow.hooks as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    _loaded = True
