"""Template globals and filters shared by every page."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from flask_login import current_user

from caseflow.core.engine import get_registry
from caseflow.core.i18n import _l, current_language, label
from caseflow.core.signals import menu_of
from caseflow.web.casepage import case_page
from caseflow.web.labels import choice_label, party_role_label

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: which menu of the navigation bar an endpoint sits in, by the user group it serves (blueprint name);
#: an endpoint of another blueprint is a link of its own
NAV_GROUPS = {
    "legal_aid": "legal_aid", "reports": "legal_aid",
    "inspection": "inspection",
    "procedures": "procedures", "documents": "documents",
    "admin": "admin", "org": "admin", "deadlines.calendar_admin": "admin",
}
NAV_GROUP_LABELS = {
    "legal_aid": _l("Legal aid"), "inspection": _l("Inspection committee"), "procedures": _l("Union procedures"),
    "documents": _l("Documents"), "admin": _l("Administration"),
}


def nav_menus(user) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """The navigation bar for `user`: (menu label or None for plain links, [(endpoint, label)]): the user groups'
    menus first, then other links, administration last; a menu with one entry shows as that entry."""
    menus: dict[str, list[tuple[str, str]]] = {}
    for item in menu_of(current_app._get_current_object()):
        endpoint, item_label = item.endpoint, item.label
        if not item.visible(user):
            continue
        group = NAV_GROUPS.get(endpoint) or NAV_GROUPS.get(endpoint.split(".", 1)[0]) or endpoint
        menus.setdefault(group, []).append((endpoint, item_label()))
    order = list(NAV_GROUP_LABELS)
    keys = sorted(menus, key=lambda k: (k == "admin", order.index(k) if k in order else len(order)))
    return [(str(NAV_GROUP_LABELS[key]) if key in NAV_GROUP_LABELS and len(menus[key]) > 1 else None, menus[key])
            for key in keys]


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

