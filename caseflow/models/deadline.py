"""Deadlines opened, met, paused, extended and breached by the engine."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.models.base import Base, UTCDateTime, utcnow

DEADLINE_STATUSES = ("open", "paused", "met", "breached", "cancelled")


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_status_due", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the rule's key in the workflow definition
    rule_key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(255))
    #: the legal basis, e.g. "Luật Tố cáo 2018, Điều 30"
    basis: Mapped[str] = mapped_column(Text, default="")
    #: working | calendar
    day_unit: Mapped[str] = mapped_column(String(10))
    days: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    opened_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
