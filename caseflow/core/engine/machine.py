"""The shared `transitions` machine of one (workflow, version), and the case it moves during one fire.

The machine is compiled once at load with the definition's effects as its callbacks: a transition's
`before` stores the step's fields and runs its effects, the state change is the machine's own
(`set_state` on the bound case), and entering a final state closes the case (`on_enter`). Guards are
not machine conditions: the engine checks them first so that their reasons reach the user."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from transitions import Machine, State

from caseflow.core.engine.definition import Definition, EffectRef, FieldDef
from caseflow.core.engine.hooks import Effect
from caseflow.core.models.case import engine_writes_state

if TYPE_CHECKING:
    from caseflow.core.engine.context import FireContext


class BoundCase:
    """The model the shared machine moves: one case for one fire (no trigger methods are attached to
    the ORM object, and nothing is left on the machine afterwards)."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: FireContext) -> None:
        self.ctx = ctx

    @property
    def state(self) -> str:
        return self.ctx.case.state

    @state.setter
    def state(self, value: str) -> None:
        with engine_writes_state():
            self.ctx.case.state = value


def store_fields(ctx: FireContext, fields: Iterable[FieldDef]) -> None:
    """The step's typed fields onto the case or its detail rows ("payload" fields go to the audit event only)."""
    for field in fields:
        # an optional field left blank never erases what an earlier step recorded
        if field.store == "payload" or (ctx.data.get(field.name) is None and not field.required):
            continue
        target = ctx.case if field.store == "case" else ctx.detail(field.store)
        setattr(target, field.name, ctx.data.get(field.name))


def perform(ctx: FireContext, fields: tuple[FieldDef, ...], effects: tuple[tuple[Effect, Mapping[str, Any]], ...]):
    """Store the fields and run the effects; rows are complete only once every one has run (no autoflush)."""
    with ctx.session.no_autoflush:
        store_fields(ctx, fields)
        for effect, args in effects:
            effect(ctx, **args)


def close_case(ctx: FireContext) -> None:
    """Entering a final state closes the case."""
    ctx.case.closed_dt = ctx.now


def bind_effects(refs: Iterable[EffectRef], effects: Mapping[str, Effect]) -> tuple[tuple[Effect, Mapping], ...]:
    return tuple((effects[ref.name], ref.args) for ref in refs)


def compile_machine(definition: Definition, effects: Mapping[str, Effect]) -> Machine:
    """One machine per (workflow, version), shared by every case: no Machine is built per case or request."""
    states = [State(s.name, on_enter=[close_case] if s.final else None) for s in definition.states.values()]
    machine = Machine(model=None, states=states, initial=definition.initial, auto_transitions=False,
                      ignore_invalid_triggers=False, send_event=False)
    for t in definition.transitions:
        machine.add_transition(t.trigger, list(t.sources), None if t.internal else t.dest,
                               before=[partial(perform, fields=t.fields, effects=bind_effects(t.effects, effects))])
    return machine


def run_transition(machine: Machine, ctx: FireContext) -> None:
    """Let the machine execute `ctx.trigger` on the bound case (its callbacks do the step's work)."""
    machine.events[ctx.trigger].trigger(BoundCase(ctx), ctx)
