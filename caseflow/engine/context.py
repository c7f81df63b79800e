"""What a guard or an effect sees of one fire."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from caseflow.engine.definition import Definition, TransitionDef
from caseflow.models import Case, User


@dataclass
class FireContext:
    session: Session
    case: Case
    actor: User
    definition: Definition
    #: None for the intake (opening) step
    transition: TransitionDef | None
    trigger: str
    source: str | None
    dest: str
    #: validated, typed form data
    data: dict[str, Any]
    comment: str
    now: datetime
    today: date
    #: extra facts effects add to the audit event's payload
    payload: dict[str, Any] = field(default_factory=dict)
    _details: dict[str, Any] = field(default_factory=dict)

    def detail(self, name: str):
        """The case's detail row for table `name`, created on first use (never flushed half-filled)."""
        from caseflow.engine.hooks import DETAIL_MODELS

        row = self._details.get(name)
        if row is None:
            model = DETAIL_MODELS[name]
            with self.session.no_autoflush:
                row = self.session.get(model, self.case.id) if self.case.id else None
            if row is None:
                row = model(case=self.case)
                self.session.add(row)
            self._details[name] = row
        return row
