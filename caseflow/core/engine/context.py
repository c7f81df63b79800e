"""What a guard, an effect or a listener sees of one fire."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from caseflow.core.engine.definition import Definition, TransitionDef
from caseflow.core.models import Case, User

if TYPE_CHECKING:
    from caseflow.core.engine.state import Engine


@dataclass
class FireContext:
    session: Session
    #: the app's engine: its hooks (detail models) and audit key
    engine: Engine
    case: Case
    actor: User
    definition: Definition
    #: None for the intake (opening) step and for an import
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
    #: the case row was inserted by this very call (open_case, import_case): it has no stored detail rows,
    #: so looking one up needs no query
    new_case: bool = False
    _details: dict[str, Any] = field(default_factory=dict)

    @property
    def detail_models(self) -> dict[str, type]:
        return self.engine.hooks.detail_models

    @property
    def audit_key(self) -> bytes:
        return self.engine.audit_key

    def detail(self, name: str) -> Any:
        """The case's detail row for table `name`, created on first use (never flushed half-filled)."""
        row = self.loaded_detail(name)
        if row is None:
            row = self.detail_models[name](case=self.case)
            self.session.add(row)
        self._details[name] = row
        return row

    def loaded_detail(self, name: str) -> Any:
        """The detail row if the case has one (this fire's, or the stored one), else None; creates nothing."""
        row = self._details.get(name)
        if row is None and self.case.id and not self.new_case:
            with self.session.no_autoflush:
                row = self.session.get(self.detail_models[name], self.case.id)
        return row
