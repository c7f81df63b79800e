"""Generic case pages: the list with filters, the detail with its timeline, and firing a trigger."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from caseflow.core import engine
from caseflow.core.engine import get_registry
from caseflow.core.engine.errors import Conflict, GuardFailed, InvalidInput, InvalidTrigger
from caseflow.core.engine.preview import preview
from caseflow.core.i18n import _, current_language, label
from caseflow.core.models import Case, CaseEvent, RoleAssignment, Unit, User
from caseflow.core.policy import narrow_scope, units_in_scope, visible_cases
from caseflow.core.search import search_cases
from caseflow.extensions import db
from caseflow.web.access import load_case, mask, sees_personal_data
from caseflow.web.casepage import case_page, keep_events
from caseflow.web.context import vi_date, vnd
from caseflow.web.forms import form_data, transition_form
from caseflow.web.labels import choice_label
from caseflow.web.nextstep import next_steps, step_bar
from caseflow.web.pager import capped_page

bp = Blueprint("cases", __name__, url_prefix="/cases")


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.route("/")
@login_required
def list_cases():
    query = visible_cases(db.session, current_user)
    parts = case_page()
    filters = {k: request.args.get(k, "").strip() for k in ("q", "state", "kind", *parts.list_filters)}
    unit_id, assignee_id = _int_arg("unit"), _int_arg("assignee")
    few_matches = False
    if filters["q"]:
        query, few_matches = search_cases(db.session, query, filters["q"])
    if filters["state"]:
        query = query.where(Case.state == filters["state"])
    if filters["kind"]:
        query = query.where(Case.kind == filters["kind"])
    elif not filters["q"] and parts.listed_apart:
        # e.g. documents being issued have their own register; the list shows them when asked or searched for
        query = query.where(Case.kind.not_in(parts.listed_apart))
    if unit_id:
        unit = db.session.get(Unit, unit_id)
        if unit is not None:
            query = query.where(Case.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))
    if assignee_id:
        query = query.where(Case.assignee_id == assignee_id)
    elif request.args.get("assignee") == "me":
        query = query.where(Case.assignee_id == current_user.id)
    for arg, apply_filter in parts.list_filters.items():  # the features' filters (e.g. overdue)
        if filters.get(arg):
            query = apply_filter(query, filters[arg])
    latest_first = Case.updated_dt
    if few_matches and db.session.get_bind().dialect.name == "sqlite":
        # SQLite's planner would walk ix_cases_updated testing every row against a search that few rows pass;
        # sorting the rows the search index found is cheaper there (PostgreSQL's planner weighs both itself).
        # The assignee and state filters need no such hint: their indexes read their rows in the list's order.
        latest_first = func.ifnull(Case.updated_dt, Case.updated_dt)
    query = query.options(selectinload(Case.unit), selectinload(Case.assignee)).order_by(latest_first.desc(),
                                                                                         Case.id.desc())
    # a user who reads few cases (an inspector, a clerk) finds a page's rows soon enough walking the list's
    # order, but counting 1,000 of them that way would walk most of the table: the count reads them through
    # the workflow index instead (policy.narrow_scope: a condition the scope implies), in no order
    narrow = narrow_scope(db.session, current_user) if not (few_matches or filters["state"] or assignee_id) else None
    count_query = None
    if narrow is not None:
        # SQLite's statistics hold the average rows per workflow (18,000 at 200,000 cases), not the skew
        # (legal aid 95 %): it would scan the table rather than read ten small workflows by index
        # (likelihood() tells its planner how rare the rows are)
        if db.session.get_bind().dialect.name == "sqlite":
            narrow = func.likelihood(narrow, literal_column("0.05"))
        count_query = query.where(narrow).order_by(None)
    page = capped_page(db.session, query, _int_arg("page") or 1, current_app_per_page(), count_query=count_query)
    units = units_in_scope(db.session, current_user)
    states, kinds = _filter_choices()
    assignees = db.session.scalars(
        select(User).where(User.id.in_(select(RoleAssignment.user_id).where(
            RoleAssignment.unit_id.in_([u.id for u in units] or [0])))).order_by(User.full_name)).all()
    filtered = any(filters.values()) or bool(unit_id or request.args.get("assignee"))
    return render_template("cases/list.html", page=page, filters=filters, unit_id=unit_id, assignee_id=assignee_id,
                           units=units, states=states, kinds=kinds, assignees=assignees, filtered=filtered)


def _filter_choices() -> tuple[list, list]:
    """The state and procedure choices of the filters: from the definitions, computed once per registry and
    language (not on every list view)."""
    registry = get_registry()
    key = (len(registry.definitions), current_language())
    cache = registry.__dict__.setdefault("_list_filter_choices", {})
    if key not in cache:
        states = sorted({(d.kind, s.name, label(s.label)) for d in registry for s in d.states.values()},
                        key=lambda x: (x[0], x[2]))
        kinds = sorted({(d.kind, label(d.label)) for d in registry})
        cache[key] = (states, kinds)
    return cache[key]


def current_app_per_page() -> int:
    from flask import current_app

    return current_app.config["CASES_PER_PAGE"]


def _user_choices(case: Case):
    """Users holding the kind's roles on the case's unit scope, for `user` fields."""
    ancestors = [int(x) for x in case.unit.path.strip("/").split("/") if x]
    roles = case_page().user_field_roles.get(case.kind, ("legal_officer",))
    rows = db.session.execute(
        select(User.id, User.full_name).join(RoleAssignment).where(
            RoleAssignment.unit_id.in_(ancestors), RoleAssignment.role.in_(roles), User.active
        ).distinct().order_by(User.full_name)).all()
    return [(str(i), n) for i, n in rows]


def _forms_for(case: Case, failed_trigger: str | None = None, formdata=None) -> dict:
    forms = {}
    transitions = engine.available_transitions(db.session, case, current_user)
    # one query for the user choices of the page, not one per transition
    user_choices = _user_choices(case) if any(f.type == "user" for t in transitions for f in t.fields) else []
    for t in transitions:
        submitted = formdata if t.trigger == failed_trigger else None
        form = transition_form(t, user_choices, formdata=submitted, prefix=t.trigger)
        if submitted is None:
            form.expected_version.data = case.version
            _prefill(form, t, case)
        forms[t.trigger] = (t, form)
    return forms


def _prefill(form, transition, case: Case) -> None:
    """A correction step (`prefill_from: <detail table>`) opens on the values as recorded, to be changed."""
    store = transition.extra.get("prefill_from")
    model = engine.current_engine().hooks.detail_models.get(store) if store else None
    row = db.session.get(model, case.id) if model is not None else None
    if row is None:
        return
    for f in transition.fields:
        value = getattr(row, f.name, None)
        if value is not None:
            form[f.name].data = value


def render_case(case: Case, forms: dict | None = None, status: int = 200, open_trigger: str | None = None,
                errors: list[str] | None = None):
    definition = get_registry().get(case.workflow, case.workflow_version)
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                .options(selectinload(CaseEvent.actor)).order_by(CaseEvent.seq.desc())).all()
    keep_events(case.id, events)
    parts = case_page()
    trigger_labels = {t.trigger: label(t.label) for t in definition.transitions}
    trigger_labels["open"] = _("Case opened")
    trigger_labels.update({k: str(v) for k, v in parts.event_labels.items()})  # events features append
    extra = {k: v for context in parts.page_context for k, v in context(case).items()}
    forms = forms if forms is not None else _forms_for(case)
    # what a guard or a missing power would refuse now, said before the click (nothing written)
    refusals = {p.transition.trigger: p.reasons for p in
                preview(db.session, case, current_user, [t for t, _form in forms.values()]) if p.reasons}
    if open_trigger in refusals and not errors:
        open_trigger = None
    return render_template(
        "cases/detail.html", case=case, definition=definition, events=events, **extra, refusals=refusals,
        next_steps=next_steps(case, current_user),
        step_bar=step_bar(case, {ev.to_state for ev in events}),
        event_facts={ev.id: _event_facts(definition, ev) for ev in events},
        forms=forms, open_trigger=open_trigger, errors=errors or [],
        trigger_labels=trigger_labels, personal=sees_personal_data(case), mask=mask,
        state_labels={s: label(d.label) for s, d in definition.states.items()},
    ), status


def _event_facts(definition, event: CaseEvent) -> list[tuple[str, str]]:
    """(label, shown value) of the fields an event recorded, choice codes as their labels; a correction shows
    each change as "old → new"."""
    by_name = {f.name: f for t in definition.transitions if t.trigger == event.trigger for f in t.fields}
    payload = event.payload or {}
    if isinstance(payload.get("corrections"), list):
        changes = [(by_name[c["field"]], c) for c in payload["corrections"] if c.get("field") in by_name]
        return [(label(f.label), _shown(definition, f, c.get("from")) + " → " + _shown(definition, f, c.get("to")))
                for f, c in changes]
    facts = []
    for name, value in payload.items():
        field = by_name.get(name)
        if field is None or value in (None, "") or field.type == "user" or (field.shown_when_set and not value):
            continue
        facts.append((label(field.label), _shown(definition, field, value)))
    return facts


def _shown(definition, field, value) -> str:
    if value in (None, ""):
        return _("(empty)")
    if field.type == "bool":
        return _("yes") if value else _("no")
    if field.type == "date":
        return vi_date(date.fromisoformat(value)) if isinstance(value, str) else str(value)
    if field.type == "money":
        return vnd(value)
    return choice_label(definition, field.name, value)


@bp.route("/<int:case_id>")
@login_required
def show_case(case_id: int):
    """The case; `?act=<trigger>` (the home page's links) opens that action's form."""
    act = request.args.get("act", "")
    return render_case(load_case(case_id), open_trigger=act if act.isidentifier() else None)


@bp.route("/<int:case_id>/fire/<trigger>", methods=["POST"])
@login_required
def fire_trigger(case_id: int, trigger: str):
    """Load -> check -> validate -> fire -> redirect; on a refusal re-render with the input kept."""
    case = load_case(case_id)
    formdata = MultiDict(request.form)
    forms = _forms_for(case, trigger, formdata)
    if trigger not in forms:
        definition = get_registry().get(case.workflow, case.workflow_version)
        message = (_("Unknown action.") if trigger not in definition.triggers
                   else _("This action is not available to you in the current state."))
        flash(message, "danger")
        return render_case(case, status=422)
    transition, form = forms[trigger]
    if not form.validate_and_localise():
        return render_case(case, forms, 422, open_trigger=trigger)
    expected = form.expected_version.data
    try:
        engine.fire(case, trigger, current_user, form_data(form, transition.fields),
                    comment=form.comment.data or "",
                    expected_version=int(expected) if str(expected or "").isdigit() else None)
    except InvalidInput as exc:
        for name, message in exc.errors.items():
            if name in form:
                form[name].errors = list(form[name].errors or []) + [message]
        return render_case(load_case(case_id), _forms_for_kept(case_id, trigger, formdata, form), 422,
                           open_trigger=trigger, errors=[exc.message])
    except GuardFailed as exc:
        return render_case(load_case(case_id), _forms_for_kept(case_id, trigger, formdata, form), 422,
                           open_trigger=trigger, errors=exc.reasons)
    except (Conflict, InvalidTrigger) as exc:
        flash(exc.message, "danger")
        return render_case(load_case(case_id), status=exc.status)
    flash(_("Done: %(action)s.", action=label(transition.label)), "success")
    return redirect(url_for("cases.show_case", case_id=case_id))


def _forms_for_kept(case_id: int, trigger: str, formdata, failed_form) -> dict:
    """After a refused fire (the session was rolled back), rebuild the forms keeping the user's input."""
    case = load_case(case_id)
    forms = _forms_for(case, trigger, formdata)
    if trigger in forms:
        _t, form = forms[trigger]
        # by the fields' short names: a field's .name carries the form's prefix ("reject-comment")
        for key, f in form._fields.items():
            failed = failed_form._fields.get(key)
            if failed is not None and failed.errors:
                f.errors = list(failed.errors)
    return forms
