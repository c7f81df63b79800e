"""Cases: the generic case row every workflow drives, and the legal-aid detail table."""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from caseflow.models.base import Base, UTCDateTime, utcnow
from caseflow.models.org import Unit, User
from caseflow.models.types import JSONType

#: set only while the engine moves a case (caseflow.engine); any other write of Case.state is refused
_ENGINE_WRITES_STATE: ContextVar[bool] = ContextVar("caseflow_engine_writes_state", default=False)


class StateWriteRefused(RuntimeError):
    """Case.state was assigned outside the engine: every state change must be a fire (audited, guarded)."""


@contextmanager
def engine_writes_state() -> Iterator[None]:
    """For caseflow.engine only: the block may set Case.state (the machine's move, a case's creation)."""
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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: human code, "<prefix>-<year>-<seq>", e.g. TV-2026-0001
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: procedure kind, the workflow's `kind` (legal_aid, complaint, denunciation, ...)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    workflow: Mapped[str] = mapped_column(String(60))
    #: the workflow version the case started under; a new version never changes a case in flight
    workflow_version: Mapped[int] = mapped_column(Integer)
    #: written only by caseflow.engine.fire
    state: Mapped[str] = mapped_column(String(60), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
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
    legal_aid: Mapped["LegalAidDetail | None"] = relationship(back_populates="case", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @validates("state")
    def _state_only_through_the_engine(self, _key: str, value: str) -> str:
        if not _ENGINE_WRITES_STATE.get():
            raise StateWriteRefused(f"Case.state may be written only by caseflow.engine (tried {value!r})")
        return value

    def __repr__(self) -> str:
        return f"<Case {self.code} {self.state}>"


class LegalAidDetail(Base):
    """Typed facts of a legal-aid matter; the representation-share KPI reads only these columns
    (DOMAIN.md section 1), never free text."""

    __tablename__ = "legal_aid_details"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: walk_in | hotline | letter | referral
    channel: Mapped[str] = mapped_column(String(20))
    #: member | union_org | non_member: whose matter it is
    party_status: Mapped[str] = mapped_column(String(20), index=True)
    #: consultation | litigation | general_question (a general question is not a matter)
    need: Mapped[str] = mapped_column(String(20))
    dispute_type: Mapped[str] = mapped_column(String(40))
    is_collective: Mapped[bool] = mapped_column(Boolean, default=False)
    employer_name: Mapped[str | None] = mapped_column(String(255))
    facts: Mapped[str] = mapped_column(Text, default="")
    #: the day the worker learned of the breach: limitation periods run from it (BLLĐ 2019, Art. 190)
    breach_known_date: Mapped[date | None] = mapped_column(Date)
    #: did a union representative take part, in which role, at which stage
    union_rep_took_part: Mapped[bool] = mapped_column(Boolean, default=False)
    rep_role: Mapped[str | None] = mapped_column(String(40))
    rep_stage: Mapped[str | None] = mapped_column(String(40))
    #: conciliation | arbitration | court_first_instance | court_appeal
    forum: Mapped[str | None] = mapped_column(String(40))
    authorisation_signed_date: Mapped[date | None] = mapped_column(Date)
    #: why a matter that needed representation had none (recorded when closed)
    no_rep_reason: Mapped[str | None] = mapped_column(Text)
    #: won | partly_won | lost | settled | withdrawn
    outcome: Mapped[str | None] = mapped_column(String(20))
    amount_recovered_vnd: Mapped[int | None] = mapped_column(BigInteger)
    referred_to: Mapped[str | None] = mapped_column(String(255))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    #: the other side when it is not the employer (a labour-hire company, an insurer, ...)
    opposing_party: Mapped[str | None] = mapped_column(String(255))
    #: folded name of the client (worker or union organisation), for the conflict check at intake
    client_key: Mapped[str | None] = mapped_column(String(255), index=True)
    #: what the conflict check found at intake and the officer acknowledged (shown on the case)
    conflict_note: Mapped[str | None] = mapped_column(Text)
    #: copies of the case's unit and closing facts, kept by the engine's after-fire hook, so that the
    #: KPI reads one table through one covering index (caseflow/reports/kpi.py)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    #: the final state reached (closed | referred | declined); None while open
    end_state: Mapped[str | None] = mapped_column(String(30))
    #: local (Asia/Ho_Chi_Minh) date and year the matter ended
    closed_date: Mapped[date | None] = mapped_column(Date)
    closed_year: Mapped[int | None] = mapped_column(Integer)

    case: Mapped[Case] = relationship(back_populates="legal_aid")
    hearings: Mapped[list["LegalAidHearing"]] = relationship(
        primaryjoin="LegalAidDetail.case_id == foreign(LegalAidHearing.case_id)", viewonly=True,
        order_by="LegalAidHearing.hearing_date")

    __table_args__ = (
        # the representation-share KPI: filter and group columns, covering (bench/kpi.py)
        Index("ix_legal_aid_kpi", "closed_year", "end_state", "need", "party_status", "union_rep_took_part",
              "unit_id", "forum", "dispute_type", "is_collective"),
    )


class LegalAidHearing(Base):
    """One conciliation session, arbitration hearing or court session, with its result."""

    __tablename__ = "legal_aid_hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    hearing_date: Mapped[date] = mapped_column(Date)
    #: the forum the case was in: conciliation | arbitration | court_first_instance | court_appeal
    forum: Mapped[str | None] = mapped_column(String(40))
    #: held | adjourned | settled | no_settlement | decided
    result: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
