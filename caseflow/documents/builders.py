"""Context builders: per case kind (workflow), a function (session, case, doc_type, form_data) -> dict that
turns a case into the plain `fields` of a document. Feature packages register theirs (caseflow/union/documents.py
does, at import); the issuance side calls them and passes only the plain result to the renderer."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

Builder = Callable[..., dict[str, Any]]
_BUILDERS: dict[str, Builder] = {}


def context_builder(kind: str) -> Callable[[Builder], Builder]:
    """Decorator registering the builder of a case kind (a workflow name)."""
    def register(fn: Builder) -> Builder:
        _BUILDERS[kind] = fn
        return fn
    return register


def get_context_builder(kind: str) -> Builder | None:
    return _BUILDERS.get(kind)


#: type key -> fn(session, case, detail) -> dict: data a document type adds to its fields when it is rendered,
#: computed by the server (the handbook's appendices), never typed by a user; set by a feature's setup
Extra = Callable[..., dict[str, Any]]
_EXTRAS: dict[str, Extra] = {}


def add_render_extra(type_key: str, fn: Extra) -> None:
    _EXTRAS[type_key] = fn


def render_extra(type_key: str) -> Extra | None:
    return _EXTRAS.get(type_key)
