"""The guard check of a fire, run ahead of the click and writing nothing: which of the steps a user's role
allows would a guard (a missing signing power, an unmet condition) refuse now, and why.

A guard that reads the form's input (`ctx.data`) cannot be judged before the form is filled: its answer is
left out of the preview (the fire still checks it). Nothing a guard touches is flushed or kept: the preview
runs without autoflush and drops any row a guard made (FireContext.detail creates one on first use)."""
from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from caseflow.core import clock
from caseflow.core.engine.context import FireContext
from caseflow.core.engine.definition import TransitionDef
from caseflow.core.engine.hooks import reasons_of
from caseflow.core.engine.state import current_engine, get_registry
from caseflow.core.models import Case, User
from caseflow.core.policy import roles_on


class _Unread(Mapping):
    """Form input not given yet: reading it marks the guard's answer as not knowable in a preview."""

    def __init__(self) -> None:
        self.read = False

    def __getitem__(self, key: str) -> Any:
        self.read = True
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read = True
        return default

    def __contains__(self, key: object) -> bool:
        self.read = True
        return False

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(())

    def __len__(self) -> int:
        self.read = True
        return 0


@dataclass(frozen=True)
class Preview:
    transition: TransitionDef
    #: why the fire would be refused now ([] when nothing known refuses it)
    reasons: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        return not self.reasons


def _answer(guard, ctx: FireContext, args: Mapping[str, Any]) -> list[str]:
    """The guard's reasons, or [] when its answer depends on input not given yet."""
    data = _Unread()
    ctx.data = data  # type: ignore[assignment]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            reasons = reasons_of(guard(ctx, **args))
        except (LookupError, TypeError, ValueError, AttributeError):
            if data.read:  # e.g. a guard indexing a field the form would give
                return []
            raise
    if data.read:  # its answer, and what it warned about a field left empty, belong to the fire
        return []
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return reasons


def preview(session: Session, case: Case, actor: User, transitions: list[TransitionDef]) -> list[Preview]:
    """Each of `transitions` (steps the actor's role allows from the case's state) with what refuses it."""
    engine = current_engine()
    definition = get_registry().get(case.workflow, case.workflow_version)
    roles = roles_on(session, actor, case.unit)
    now, today = clock.now_and_today()
    before = set(session.new)
    out = []
    with session.no_autoflush:
        try:
            for t in transitions:
                if not roles.intersection(t.roles):
                    continue
                ctx = FireContext(session=session, engine=engine, case=case, actor=actor, definition=definition,
                                  transition=t, trigger=t.trigger, source=case.state, dest=t.dest_from(case.state),
                                  data={}, comment="", now=now, today=today)
                reasons: list[str] = []
                for check in engine.hooks.checks:
                    reasons += _answer(check, ctx, {})
                for ref in t.guards:
                    reasons += _answer(engine.hooks.guards[ref.name], ctx, ref.args)
                out.append(Preview(t, tuple(dict.fromkeys(reasons))))
        finally:
            for row in set(session.new) - before:  # a detail row a guard asked for: never written by a preview
                session.expunge(row)
    return out
