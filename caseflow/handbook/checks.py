"""What `caseflow workflows check` adds for the published procedures: a definition that loads may still not
read as a standard procedure. Each problem names the file and the item, as the loader's errors do."""
from __future__ import annotations

import unicodedata

from caseflow.core.engine.definition import Definition
from caseflow.core.engine.errors import DefinitionError
from caseflow.handbook.procedure import guard_descriptions


def demo_roles() -> set[str]:
    """Roles the demo organisation gives someone (caseflow/demo.py), so every step can be tried in the demo."""
    from caseflow.demo import DEMO_USERS

    return {role for _username, _name, roles in DEMO_USERS for role, _unit in roles}


def _vi(labels) -> str:
    return str((labels or {}).get("vi") or "").strip()


def problems(definition: Definition) -> list[DefinitionError]:
    """A procedure without its Vietnamese purpose, a step without a Vietnamese description (a label that is
    missing, not NFC, or only its trigger's name, or a guard the handbook cannot put in plain words) and a
    role that no demo user holds. (A deadline without a legal basis is refused when the definitions load:
    caseflow/deadlines/rules.py.)"""
    file, found = definition.source_file, []
    if not _vi(definition.extra.get("purpose")):
        found.append(DefinitionError(file, "purpose", "no Vietnamese description of the procedure (purpose.vi)"))
    if not str(definition.extra.get("basis") or "").strip():
        found.append(DefinitionError(file, "basis", "no legal basis of the procedure"))
    items = [(f"states.{s.name}", s.label, s.name) for s in definition.states.values()]
    items += [(f"transitions ({t.trigger})", t.label, t.trigger) for t in definition.transitions]
    for item, labels, key in items:
        text = _vi(labels)
        if not text or text == key or not unicodedata.is_normalized("NFC", text):
            found.append(DefinitionError(file, item, "no Vietnamese description (label.vi missing, not NFC, "
                                                     "or only its key)"))
    described = guard_descriptions()
    for t in definition.transitions:
        for guard in t.guards:
            if guard.name not in described:
                found.append(DefinitionError(file, f"transitions ({t.trigger})",
                                             f"guard '{guard.name}' has no plain-words description "
                                             "(caseflow/handbook/guards.yaml)"))
    held = demo_roles()
    roles = [("intake", r) for r in definition.intake_roles]
    roles += [(f"transitions ({t.trigger})", r) for t in definition.transitions for r in t.roles]
    for item, role in roles:
        if role not in held:
            found.append(DefinitionError(file, item, f"role '{role}' is held by no demo user (caseflow/demo.py)"))
    return found
