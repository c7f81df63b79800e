"""Human labels for stored codes (party roles, field choices), so pages never show raw values.

Choice labels come from the workflow definition: every field with `choices` (intake and transitions),
then the definition's `value_labels:` for values that effects record without a form (forum, stage)."""
from __future__ import annotations

from caseflow.core.engine.definition import Definition
from caseflow.core.i18n import _l, label

#: Party.role values (caseflow.core.models.party.PARTY_ROLES)
PARTY_ROLE_LABELS = {
    "worker": _l("Worker"),
    "employer": _l("Employer"),
    "union_org": _l("Union organisation"),
    "complainant": _l("Complainant"),
    "denouncer": _l("Denouncer"),
    "accused": _l("Person denounced"),
    "respondent": _l("Respondent"),
    "other": _l("Other"),
    # the protected identities' roles (caseflow.inspection.identity)
    "sender": _l("Sender"),
    "signatory": _l("Co-signatory"),
}


def party_role_label(role: str | None) -> str:
    return str(PARTY_ROLE_LABELS.get(role or "", role or ""))


_INDEX: dict[tuple[str, int, int], dict[str, dict[str, dict]]] = {}


def _choice_index(definition: Definition) -> dict[str, dict[str, dict]]:
    key = (definition.name, definition.version, id(definition))  # definitions are immutable, built once
    if key in _INDEX:
        return _INDEX[key]
    index: dict[str, dict[str, dict]] = {}
    for name, values in (definition.extra.get("value_labels") or {}).items():
        index.setdefault(name, {}).update(values or {})
    fields = list(definition.intake_fields) + [f for t in definition.transitions for f in t.fields]
    for f in fields:
        if f.choices:
            index.setdefault(f.name, {}).update(f.choices)
    _INDEX[key] = index
    return index


def choice_label(definition: Definition, name: str, value) -> str:
    """The label of `value` for field `name` in the current language; the raw value if none is known."""
    if value is None or value == "":
        return ""
    labels = _choice_index(definition).get(name, {}).get(str(value))
    return label(labels) if labels else str(value)


#: User roles (caseflow.core.models.org.ROLES)
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "leader": _l("Leader"),
    "legal_officer": _l("Legal officer"),
    "inspector": _l("Inspector"),
    "clerk": _l("Clerk"),
    "organiser": _l("Organiser"),
}


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


def code_words(value, definition: Definition | None = None, lang: str | None = None) -> str:
    """Codes (a state, a choice value such as "general_question", a workflow such as "complaint"; one, a list,
    or "a,b" as settings store them) in the words their definition gives them, for pages officers read."""
    if isinstance(value, (list, tuple)):
        return ", ".join(code_words(v, definition, lang) for v in value)
    code = str(value)
    if "," in code:
        return ", ".join(code_words(part.strip(), definition, lang) for part in code.split(","))
    if definition is not None:
        if code in definition.states:
            return label(definition.states[code].label, lang)
        labels = next((f.choices[code] for f in list(definition.intake_fields) +
                       [f for t in definition.transitions for f in t.fields] if code in f.choices), None)
        if labels:
            return label(labels, lang)
        extra = next((v[code] for v in (definition.extra.get("value_labels") or {}).values() if code in (v or {})),
                     None)
        if extra:
            return label(extra, lang)
    from caseflow.core.engine import get_registry

    if code in get_registry().latest:
        return label(get_registry().get(code).label, lang)
    return code
