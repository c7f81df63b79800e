"""Legal aid's detail tables: the typed facts of a matter (read by the representation-share KPI) and its hearings."""
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.case import Case


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
    #: the member register's row the party was found as at intake (caseflow/union/members.py look_up): the
    #: membership is then verified, not only typed; None when the register does not know the person
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    #: copies of the case's unit and closing facts, kept by the engine's after-fire hook, so that the
    #: KPI reads one table through one covering index (caseflow/reports/kpi.py)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    #: the final state reached (closed | referred | declined); None while open
    end_state: Mapped[str | None] = mapped_column(String(30))
    #: local (Asia/Ho_Chi_Minh) date and year the matter ended
    closed_date: Mapped[date | None] = mapped_column(Date)
    closed_year: Mapped[int | None] = mapped_column(Integer)

    #: `case.legal_aid` on the other side, declared here so that the core case model names no feature
    case: Mapped[Case] = relationship(backref=backref("legal_aid", uselist=False, cascade="all, delete-orphan"))
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
