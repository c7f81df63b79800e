"""The home page, "Việc của tôi": what waits for the signed-in user, one click from each action. The core
gives the cases whose next step is theirs, grouped by procedure; features add their sections."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for
from flask_login import current_user

from caseflow.core.engine import get_registry
from caseflow.core.engine.preview import preview
from caseflow.core.i18n import label
from caseflow.core.worklist import oldest_per_workflow, waiting_query, waiting_workflows
from caseflow.extensions import db
from caseflow.web.casepage import case_page
from caseflow.web.homepage import HomeSection, add_section, home_page
from caseflow.web.nextstep import my_next_step

bp = Blueprint("home", __name__)


def waiting_for(user, *, kinds: set[str] | None = None, exclude_kinds=()):
    """The query of the open cases whose next step is the user's (None: there can be none)."""
    return waiting_query(db.session, user, list(get_registry()), assignee_roles=_assignee_roles(case_page()),
                         kinds=kinds, exclude_kinds=exclude_kinds)


def waiting_groups(user, *, kinds: set[str] | None = None, exclude_kinds=(), refine=None) -> list[dict]:
    """The cases whose next step is the user's, per procedure (oldest first), each with that step;
    `refine(query)` lets a feature narrow them in SQL by what its guards would ask (e.g. a signing power)."""
    registry = get_registry()
    query = waiting_for(user, kinds=kinds, exclude_kinds=exclude_kinds)
    if query is None:
        return []
    if refine is not None:
        query = refine(query)
    workflows = waiting_workflows(db.session, user, list(registry), assignee_roles=_assignee_roles(case_page()),
                                  kinds=kinds, exclude_kinds=exclude_kinds)
    groups = oldest_per_workflow(db.session, query, int(current_app.config.get("HOME_ITEMS_PER_GROUP", 8)),
                                 workflows)
    return [{"workflow": g.workflow, "label": label(registry.get(g.workflow).label), "count": g.count,
             "more": g.more, "count_label": g.count_label,
             "items": [_item(c, user) for c in g.cases]} for g in groups]


def _item(case, user) -> dict:
    """A shown case with the step that is the user's and, when a guard would refuse it now (a draft's empty
    fields, a condition not met yet), why: said on the page instead of a button that would refuse."""
    step = my_next_step(case, user)
    reasons: tuple[str, ...] = ()
    if step is not None:
        transition = get_registry().get(case.workflow, case.workflow_version).transition(step.trigger, case.state)
        reasons = preview(db.session, case, user, [transition])[0].reasons
    return {"case": case, "step": step, "refused": reasons}


def _assignee_roles(parts) -> dict[str, tuple[str, ...]]:
    """Per kind, the roles whose holders a case is assigned to (legal officers unless the kind says)."""
    kinds = {d.kind for d in get_registry()}
    return {k: parts.user_field_roles.get(k, ("legal_officer",)) for k in kinds}


def cases_section(user) -> dict | None:
    groups = waiting_groups(user, exclude_kinds=case_page().listed_apart)
    return {"groups": groups}


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    sections = []
    for section in home_page().sections:
        context = section.context(current_user)
        if context is not None:
            sections.append((section, context))
    return render_template("home/index.html", sections=sections)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    add_section(app, HomeSection("cases", "home/_cases.html", cases_section, order=10))

    @app.context_processor
    def top_bar_badges():
        def badges():
            if not current_user.is_authenticated:
                return []
            shown = []
            for badge in home_page().badges:
                got = badge.count(current_user)
                if got is not None:
                    shown.append({"key": badge.key, "icon": badge.icon, "count": got[0], "href": got[1],
                                  "label": badge.label(got[0])})
            return shown
        return {"top_bar_badges": badges}
