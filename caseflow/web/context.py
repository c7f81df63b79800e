"""Template globals and filters shared by every page."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, g
from flask_login import current_user

from caseflow.engine import get_registry
from caseflow.i18n import current_language, label
from caseflow.web.labels import choice_label, party_role_label

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: navigation entries other features add: (endpoint, label callable, visible(user) callable)
NAV_ITEMS: list = []


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


def register(app: Flask) -> None:
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.filters["vi_date"] = vi_date
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["vnd"] = vnd
    app.jinja_env.globals.update(state_label=state_label, workflow_label=workflow_label, NAV_ITEMS=NAV_ITEMS,
                                 choice_label=choice_label, party_role_label=party_role_label,
                                 state_tone=state_tone)

    @app.context_processor
    def inject():
        return {"lang": current_language(), "current_user": current_user}

    @app.teardown_request
    def forget_role_cache(_exc=None):
        g.pop("roles", None)
        return None

