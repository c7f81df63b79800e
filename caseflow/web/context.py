"""Template globals and filters shared by every page."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from flask_login import current_user

from caseflow.core.engine import get_registry
from caseflow.core.i18n import current_language, label
from caseflow.core.memo import kept
from caseflow.core.policy import role_paths
from caseflow.core.signals import LINK_ORDER, MenuGroup, menu_of
from caseflow.extensions import db
from caseflow.web.casepage import case_page
from caseflow.web.labels import choice_label, party_role_label

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

def nav_menus(user) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """The navigation bar for `user`: (menu label or None for plain links, [(endpoint, label)]): the user groups'
    menus in their order, links of their own, administration last; a menu with one entry shows as that entry.
    The features declare their entries and groups (caseflow.core.signals). Computed once per roles held,
    language and definitions (every entry's `visible` is a test of the user's roles), not on every page."""
    if not getattr(user, "is_authenticated", False):
        return _nav_menus(user)
    app = current_app._get_current_object()
    registry = get_registry()
    key = (tuple(sorted(role_paths(db.session, user))), current_language(), id(registry), len(registry.definitions))
    return kept(app.extensions.setdefault("caseflow.nav_menus", {}), key, lambda: _nav_menus(user), 256)


def _nav_menus(user) -> list[tuple[str | None, list[tuple[str, str]]]]:
    menus: dict[str, tuple[MenuGroup | None, list[tuple[str, str]]]] = {}
    for item in menu_of(current_app._get_current_object()):
        if not item.visible(user):
            continue
        key = item.group.key if item.group else item.endpoint
        menus.setdefault(key, (item.group, []))[1].append((item.endpoint, item.label()))
    ordered = sorted(menus.values(), key=lambda m: m[0].order if m[0] else LINK_ORDER)
    return [(str(group.label) if group and len(entries) > 1 else None, entries) for group, entries in ordered]


def local_dt(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def vi_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def vnd(value: int | None) -> str:
    """Money in Vietnamese style: 12.500.000 ₫."""
    return "" if value is None else f"{value:,} ₫".replace(",", ".")


def state_label(case) -> str:
    definition = get_registry().get(case.workflow, case.workflow_version)
    return label(definition.states[case.state].label)


def state_tone(case) -> str:
    """Badge colour of a case's state: open work is blue, a closed case grey, a refusal red."""
    if case.closed_dt is None:
        return "primary"
    return "danger" if case.state in ("declined", "rejected", "not_accepted") else "secondary"


def workflow_label(case) -> str:
    return label(get_registry().get(case.workflow, case.workflow_version).label)


def case_detail_template(case) -> str:
    """The detail section its feature gives the case's kind ("" if none)."""
    return case_page().detail_templates.get(case.kind, "")


def case_panels() -> list[str]:
    return case_page().panels


def register(app: Flask) -> None:
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.filters["vi_date"] = vi_date
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["vnd"] = vnd
    app.jinja_env.globals.update(state_label=state_label, workflow_label=workflow_label, nav_menus=nav_menus,
                                 choice_label=choice_label, party_role_label=party_role_label,
                                 state_tone=state_tone, case_detail_template=case_detail_template,
                                 case_panels=case_panels)

    @app.context_processor
    def inject():
        return {"lang": current_language(), "current_user": current_user}

    @app.teardown_request
    def forget_role_cache(_exc=None):
        g.pop("roles", None)

