"""What features add to the generic case page, per app: a detail template per case kind, panels shown on
every case, and the roles a `user` field offers for a kind. Filled by the features' `setup(app)`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g, has_request_context

EXTENSION = "caseflow.case_page"


@dataclass
class CasePage:
    #: case kind -> template of its detail section (e.g. "inspection/_detail_letter.html")
    detail_templates: dict[str, str] = field(default_factory=dict)
    #: templates included on every case page, in order (deadlines, documents ...)
    panels: list[str] = field(default_factory=list)
    #: case kind -> roles whose holders a `user` field offers (legal officers when not said)
    user_field_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: kinds the case list leaves out unless asked for or searched (documents have their own register)
    listed_apart: set[str] = field(default_factory=set)
    #: case-list filters a feature offers: request argument -> (query, value) -> query
    list_filters: dict[str, Callable[[Any, str], Any]] = field(default_factory=dict)
    #: extra variables of the case page: case -> {name: value} (e.g. its deadlines, for their panel)
    page_context: list[Callable[[Any], dict]] = field(default_factory=list)
    #: labels of audit events that features append outside the workflow's own triggers
    event_labels: dict[str, Any] = field(default_factory=dict)


def case_page(app: Flask | None = None) -> CasePage:
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, CasePage())


def add_case_kind(app: Flask, kind: str, *, detail_template: str | None = None,
                  user_field_roles: tuple[str, ...] | None = None) -> None:
    page = case_page(app)
    if detail_template:
        page.detail_templates[kind] = detail_template
    if user_field_roles:
        page.user_field_roles[kind] = user_field_roles


def add_panel(app: Flask, template: str, context: Callable[[Any], dict] | None = None) -> None:
    """A panel on every case page, with the variables it needs (computed per case)."""
    page = case_page(app)
    page.panels.append(template)
    if context is not None:
        page.page_context.append(context)


def keep_events(case_id: int, events: list) -> None:
    """The case page loaded this case's audit events (for its timeline): panels may read them again."""
    g.caseflow_case_events = (case_id, events)


def kept_events(case_id: int) -> list | None:
    """The events the case page loaded for `case_id` in this request, or None (then query them)."""
    kept = g.get("caseflow_case_events") if has_request_context() else None
    return kept[1] if kept is not None and kept[0] == case_id else None
