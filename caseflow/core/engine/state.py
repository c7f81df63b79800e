"""The engine of one app: its audit key, its features' hooks and its registry of definitions.

Kept in `app.extensions`, never in module globals, so two apps in one process (tests, a CLI beside a
server) each fire and verify with their own key and their own definitions."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app

from caseflow.core.engine.hooks import Hooks, HookSet

if TYPE_CHECKING:
    from caseflow.core.engine.registry import Registry

EXTENSION = "caseflow.core.engine"


@dataclass
class Engine:
    #: HMAC key of the audit chains (instance config, never in the database)
    audit_key: bytes
    hooks: Hooks = field(default_factory=Hooks)
    registry: Registry | None = None


def init_app(app: Flask, audit_key: str | bytes) -> Engine:
    state = Engine(audit_key=audit_key.encode() if isinstance(audit_key, str) else audit_key)
    app.extensions[EXTENSION] = state
    return state


def add_hooks(app: Flask, hooks: HookSet) -> None:
    """A feature's setup adds its hooks before the definitions load."""
    engine_of(app).hooks.add(hooks)


def load_definitions(app: Flask, directory: str | Path, registry: Registry | None = None) -> Registry:
    """Build the registry from `directory` against the app's hooks (or adopt one built with the same hooks)."""
    from caseflow.core.engine.registry import Registry

    state = engine_of(app)
    if registry is None or registry.hooks.features != state.hooks.features:  # built for other features: rebuild
        registry = Registry.from_directory(directory, state.hooks)
    state.registry = registry
    return registry


def engine_of(app: Flask) -> Engine:
    return app.extensions[EXTENSION]


def current_engine() -> Engine:
    """The engine of the app in context."""
    return current_app.extensions[EXTENSION]


def get_registry() -> Registry:
    registry = current_engine().registry
    if registry is None:
        raise RuntimeError("workflow definitions not loaded: create_app loads them after the features' setup")
    return registry


def audit_key() -> bytes:
    return current_engine().audit_key
