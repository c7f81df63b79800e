"""What changed between two versions of a workflow: states, transitions, roles and deadlines added, removed
or changed. Compared by key (state name, trigger, deadline key), so a renamed label is a change, not a
removal and an addition."""
from __future__ import annotations

from dataclasses import dataclass

from caseflow.core.engine.definition import Definition, TransitionDef
from caseflow.core.i18n import label
from caseflow.deadlines.service import rules_of

KINDS = ("state", "transition", "role", "deadline")
OPS = ("added", "removed", "changed")


@dataclass(frozen=True, order=True)
class Change:
    kind: str
    op: str
    #: the state name, trigger, "trigger:role" or deadline key
    key: str
    #: what changed, in words: "label: A → B", "days: 10 → 15"
    detail: str = ""


def _states(old: Definition, new: Definition, lang: str) -> list[Change]:
    out = [Change("state", "added", n, label(new.states[n].label, lang)) for n in new.states if n not in old.states]
    out += [Change("state", "removed", n, label(old.states[n].label, lang)) for n in old.states if n not in new.states]
    for name in old.states.keys() & new.states.keys():
        a, b = old.states[name], new.states[name]
        parts = []
        if label(a.label, lang) != label(b.label, lang):
            parts.append(f"label: {label(a.label, lang)} → {label(b.label, lang)}")
        if a.final != b.final:
            parts.append(f"final: {a.final} → {b.final}")
        if parts:
            out.append(Change("state", "changed", name, "; ".join(parts)))
    return out


def _by_trigger(definition: Definition) -> dict[str, list[TransitionDef]]:
    found: dict[str, list[TransitionDef]] = {}
    for t in definition.transitions:
        found.setdefault(t.trigger, []).append(t)
    return found


def _shape(ts: list[TransitionDef], definition: Definition | None = None, lang: str = "vi") -> dict[str, str]:
    """What a trigger does, as comparable words (one trigger may have several transitions); given the
    definition, states, guards and fields in the words officers read (the handbook shows no engine key)."""
    from caseflow.handbook.procedure import describe_guard

    def state(name: str) -> str:
        return label(definition.states[name].label, lang) if definition and name in definition.states else name

    def guard(ref) -> str:
        return (describe_guard(ref, lang, definition) or ref.name) if definition else ref.name

    return {
        "from": ", ".join(sorted({state(s) for t in ts for s in t.sources})),
        "to": ", ".join(sorted({state(t.dest) for t in ts})),
        "guards": ", ".join(sorted({guard(g) for t in ts for g in t.guards})),
        "effects": ", ".join(sorted({e.name for t in ts for e in t.effects})),
        "documents": ", ".join(sorted({d for t in ts for d in t.documents})),
        "fields": ", ".join(sorted({label(f.label, lang) if definition else f.name for t in ts for f in t.fields})),
    }


#: the parts of a step, as a change names them
PART_WORDS = {"vi": {"from": "từ trạng thái", "to": "đến trạng thái", "guards": "điều kiện", "effects": "tác động",
                     "documents": "văn bản", "fields": "thông tin nhập"},
              "en": {"from": "from", "to": "to", "guards": "conditions", "effects": "effects",
                     "documents": "documents", "fields": "fields"}}


def _transitions(old: Definition, new: Definition, lang: str) -> list[Change]:
    a, b = _by_trigger(old), _by_trigger(new)
    out = [Change("transition", "added", k, label(b[k][0].label, lang)) for k in b if k not in a]
    out += [Change("transition", "removed", k, label(a[k][0].label, lang)) for k in a if k not in b]
    for trigger in sorted(a.keys() & b.keys()):
        # compared by key (a relabelled state is a change of that state, not of this step), shown in words
        raw_before, raw_after = _shape(a[trigger]), _shape(b[trigger])
        before, after = _shape(a[trigger], old, lang), _shape(b[trigger], new, lang)
        words = PART_WORDS.get(lang, PART_WORDS["vi"])
        parts = [f"{words[what]}: {before[what] or '—'} → {after[what] or '—'}" for what in before
                 if raw_before[what] != raw_after[what]]
        if label(a[trigger][0].label, lang) != label(b[trigger][0].label, lang):
            parts.insert(0, f"label: {label(a[trigger][0].label, lang)} → {label(b[trigger][0].label, lang)}")
        if parts:
            out.append(Change("transition", "changed", trigger, "; ".join(parts)))
        roles_a = {r for t in a[trigger] for r in t.roles}
        roles_b = {r for t in b[trigger] for r in t.roles}
        out += [Change("role", "added", f"{trigger}:{r}") for r in sorted(roles_b - roles_a)]
        out += [Change("role", "removed", f"{trigger}:{r}") for r in sorted(roles_a - roles_b)]
    intake_a, intake_b = set(old.intake_roles), set(new.intake_roles)
    out += [Change("role", "added", f"open:{r}") for r in sorted(intake_b - intake_a)]
    out += [Change("role", "removed", f"open:{r}") for r in sorted(intake_a - intake_b)]
    return out


def _deadlines(old: Definition, new: Definition, lang: str) -> list[Change]:
    a, b = rules_of(old), rules_of(new)
    out = [Change("deadline", "added", k, f"{b[k].days} {b[k].unit}, {b[k].basis}") for k in b if k not in a]
    out += [Change("deadline", "removed", k, f"{a[k].days} {a[k].unit}, {a[k].basis}") for k in a if k not in b]
    for key in a.keys() & b.keys():
        x, y = a[key], b[key]
        parts = [f"{what}: {getattr(x, what)} → {getattr(y, what)}"
                 for what in ("days", "unit", "basis", "start_on", "met_on", "certainty")
                 if getattr(x, what) != getattr(y, what)]
        if parts:
            out.append(Change("deadline", "changed", key, "; ".join(parts)))
    return out


def diff(old: Definition, new: Definition, lang: str = "vi") -> list[Change]:
    """Every change from `old` to `new`, ordered by kind (states, transitions, roles, deadlines) then key."""
    changes = _states(old, new, lang) + _transitions(old, new, lang) + _deadlines(old, new, lang)
    return sorted(changes, key=lambda c: (KINDS.index(c.kind), c.key, OPS.index(c.op)))
