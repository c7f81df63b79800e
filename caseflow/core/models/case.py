"""Cases: the generic case row every workflow drives (each feature keeps its detail tables in its own models)."""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.org import Unit, User
from caseflow.core.models.types import JSONType

#: set only while the engine moves a case (caseflow.core.engine); any other write of Case.state is refused
_ENGINE_WRITES_STATE: ContextVar[bool] = ContextVar("caseflow_engine_writes_state", default=False)


class StateWriteRefused(RuntimeError):
    """Case.state was assigned outside the engine: every state change must be a fire (audited, guarded)."""


@contextmanager
def engine_writes_state() -> Iterator[None]:
    """For caseflow.core.engine only: the block may set Case.state (the machine's move, a case's creation)."""
    token = _ENGINE_WRITES_STATE.set(True)
    try:
        yield
    finally:
        _ENGINE_WRITES_STATE.reset(token)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_unit_state", "unit_id", "state"),
        Index("ix_cases_kind_closed", "kind", "closed_dt"),
        # the case list's order (latest change first): read from the index, no sort of the whole table
        Index("ix_cases_updated", "updated_dt", "id"),
        # cases received per period and unit (the centre's figures): counted from the index alone
        Index("ix_cases_kind_received", "kind", "received_date", "unit_id"),
        # the list's filters, each read in the list's order (migration 1202); they replace single-column ones
        Index("ix_cases_state_updated", "state", "updated_dt", "id"),
        Index("ix_cases_kind_updated", "kind", "updated_dt", "id"),
        Index("ix_cases_assignee_updated", "assignee_id", "updated_dt", "id"),
        # the need-to-know clause narrows by workflow (an inspector's files are a few per cent of the table)
        Index("ix_cases_workflow_updated", "workflow", "updated_dt", "id"),
        # the home page's groups: a workflow's open cases, the oldest first (migration 1204)
        Index("ix_cases_workflow_open", "workflow", "closed_dt", "received_date", "id"),
        # search_text's trigram index is outside the models (caseflow.core.search: GIN on PostgreSQL, FTS5 on
        # SQLite)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: human code, "<prefix>-<year>-<seq>", e.g. TV-2026-0001
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: procedure kind, the workflow's `kind` (legal_aid, complaint, denunciation, ...)
    kind: Mapped[str] = mapped_column(String(40))
    workflow: Mapped[str] = mapped_column(String(60))
    #: the workflow version the case started under; a new version never changes a case in flight
    workflow_version: Mapped[int] = mapped_column(Integer)
    #: written only by caseflow.core.engine.fire
    state: Mapped[str] = mapped_column(String(60))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(500))
    #: lower-case, diacritic-free text of code, title and non-confidential names, for search
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: the date the request/letter was received (legal periods run from dates, not datetimes)
    received_date: Mapped[date] = mapped_column(Date)
    opened_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: optimistic lock: every UPDATE checks and bumps it
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    #: audit chain head kept on the row, so a fire needs no read of the event table
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    #: free-form workflow data not worth a column (never used for reporting)
    data: Mapped[dict] = mapped_column(JSONType, default=dict)

    unit: Mapped[Unit] = relationship()
    assignee: Mapped[User | None] = relationship()
    parties: Mapped[list["Party"]] = relationship(  # noqa: F821
        back_populates="case", cascade="all, delete-orphan", order_by="Party.id"
    )

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    @validates("state")
    def _state_only_through_the_engine(self, _key: str, value: str) -> str:
        if not _ENGINE_WRITES_STATE.get():
            raise StateWriteRefused(f"Case.state may be written only by caseflow.core.engine (tried {value!r})")
        return value

    def __repr__(self) -> str:
        return f"<Case {self.code} {self.state}>"
