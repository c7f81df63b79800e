"""JSON API over the same engine and access rules as the pages: read a case, fire a trigger.

Session auth (the login cookie); out-of-scope cases are 404; personal data masked as on the HTML page;
every refusal is a 4xx with a JSON reason (caseflow/web/errors.py), never a 500."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import inspect

from caseflow.core import engine
from caseflow.core.engine import get_registry
from caseflow.core.engine.preview import preview
from caseflow.core.i18n import label
from caseflow.core.models import Case, CaseEvent
from caseflow.extensions import csrf, db
from caseflow.web import apibody
from caseflow.web.access import load_case, mask, sees_personal_data
from caseflow.web.labels import party_role_label
from caseflow.web.nextstep import next_steps

bp = Blueprint("api", __name__, url_prefix="/api")

#: party fields that are personal data: masked for a user without the permission on the case
PERSONAL_FIELDS = ("id_number", "phone", "email", "address")


def _json_value(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _details(case: Case) -> dict:
    """Every detail row of the case (legal_aid, ...), column by column."""
    out = {}
    for name, model in engine.current_engine().hooks.detail_models.items():
        row = db.session.get(model, case.id)
        if row is not None:
            out[name] = {c.key: _json_value(getattr(row, c.key)) for c in inspect(model).column_attrs
                         if c.key != "case_id"}
    return out


def case_json(case: Case) -> dict:
    definition = get_registry().get(case.workflow, case.workflow_version)
    personal = sees_personal_data(case)
    parties = []
    for p in case.parties:
        if p.confidential:  # as on the page: a confidential identity is not shown at all
            continue
        item = {"role": p.role, "role_label": party_role_label(p.role), "kind": p.kind, "full_name": p.full_name,
                "is_union_member": p.is_union_member}
        for key in PERSONAL_FIELDS:
            value = getattr(p, key)
            item[key] = value if personal else (mask(value) or None)
        parties.append(item)
    return {
        "id": case.id, "code": case.code, "kind": case.kind, "workflow": case.workflow,
        "workflow_version": case.workflow_version, "state": case.state,
        "state_label": label(definition.states[case.state].label), "title": case.title,
        "unit": {"id": case.unit.id, "code": case.unit.code, "name": case.unit.name},
        "assignee": {"id": case.assignee.id, "full_name": case.assignee.full_name} if case.assignee else None,
        "received_date": case.received_date.isoformat(), "opened_dt": _json_value(case.opened_dt),
        "updated_dt": _json_value(case.updated_dt), "closed_dt": _json_value(case.closed_dt),
        "version": case.version, "personal_data_masked": not personal, "details": _details(case),
        "parties": parties,
        "available_triggers": [{"trigger": p.transition.trigger, "label": label(p.transition.label),
                                "comment": p.transition.comment,
                                "fields": [{"name": f.name, "type": f.type, "required": f.required,
                                            "label": label(f.label), "choices": list(f.choices)}
                                           for f in p.transition.fields],
                                # what would refuse it now, as the page says before the click
                                "refused": list(p.reasons)}
                               for p in preview(db.session, case, current_user,
                                                engine.available_transitions(db.session, case, current_user))],
        "next_steps": [{"trigger": s.trigger, "label": s.label, "who": s.who, "yours": s.mine}
                       for s in next_steps(case, current_user)],
    }


def event_json(event: CaseEvent) -> dict:
    return {"seq": event.seq, "trigger": event.trigger, "from_state": event.from_state, "to_state": event.to_state,
            "created_dt": _json_value(event.created_dt), "actor_id": event.actor_id, "comment": event.comment,
            "payload": event.payload, "hash": event.hash}


@bp.route("/cases/<int:case_id>")
@login_required
def get_case(case_id: int):
    return jsonify(case_json(load_case(case_id)))


# CSRF: the view is exempt from Flask-WTF's automatic check and calls it itself unless the request is
# `application/json`. A cross-site page can only POST the "simple" types (form-encoded, multipart,
# text/plain) without a CORS preflight; a JSON POST from another origin needs a preflight that this app
# never grants (it sends no CORS headers), and the SameSite=Lax session cookie is not sent on cross-site
# POSTs anyway. So a JSON body proves a same-origin script; anything else must carry the token.
@csrf.exempt
@bp.route("/cases/<int:case_id>/fire", methods=["POST"])
@login_required
def fire(case_id: int):
    if request.mimetype != "application/json":
        csrf.protect()
    case = load_case(case_id)
    try:
        body = apibody.parse(apibody.FireBody)
    except apibody.BodyRefused as refused:
        return refused.response
    event = engine.fire(case, body.trigger, current_user, body.data, comment=body.comment or "",
                        expected_version=body.expected_version)
    return jsonify({"event": event_json(event), "case": {"id": case.id, "state": case.state,
                                                         "version": case.version}})
