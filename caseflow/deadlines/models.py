"""Deadlines opened, met, paused, extended and breached by the engine; calendar overrides, admin-set
rule values ([R]/[U] in DOMAIN.md) and the in-app notifications the sweep writes."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.types import JSONType

#: open -> met | met_late (met after a breach) | breached | cancelled; paused while the clock stops
DEADLINE_STATUSES = ("open", "paused", "met", "met_late", "breached", "cancelled")
#: statuses whose clock still runs or may run again
ACTIVE_STATUSES = ("open", "paused")


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_status_due", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the rule's key in the workflow definition
    rule_key: Mapped[str] = mapped_column(String(60))
    #: Vietnamese label at opening (the snapshot keeps every language)
    label: Mapped[str] = mapped_column(String(255))
    #: the legal basis, e.g. "Luật Tố cáo 2018, Điều 30"
    basis: Mapped[str] = mapped_column(Text, default="")
    #: working | calendar | months
    day_unit: Mapped[str] = mapped_column(String(10))
    #: the period in force (the variant's, or the admin-set value), without extensions
    days: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    opened_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the rule as it was in force when the case was received: later edits never change this deadline
    rule: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: limit (the union must act) | warning (a period the party must keep, e.g. limitation)
    kind: Mapped[str] = mapped_column(String(10), default="limit")
    #: the variant applied (complex, remote_area, ...), if any
    variant: Mapped[str | None] = mapped_column(String(40))
    #: extensions granted so far and the days they added
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    #: clock stops: [[from ISO date, to ISO date or null], ...]; days in (from, to] are not counted
    pauses: Mapped[list] = mapped_column(JSONType, default=list)
    met_date: Mapped[date | None] = mapped_column(Date)
    #: indexed: a sweep finds the rows it has just breached by this stamp, whatever the history's size
    breached_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class CalendarOverride(Base):
    """An official notice entered before a `holidays` release knows it (a day off or a worked Saturday)."""

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day_date: Mapped[date] = mapped_column(Date, unique=True)
    #: day_off | working_day
    kind: Mapped[str] = mapped_column(String(12))
    #: the notice that decided it, e.g. "Thông báo 6150/TB-BLĐTBXH"
    notice: Mapped[str] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeadlineSetting(Base):
    """An admin-set value of an [R]/[U] rule, in force for cases received from `effective_from_date`."""

    __tablename__ = "deadline_settings"
    __table_args__ = (UniqueConstraint("key", "effective_from_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the catalogue key (complaint.acceptance) or "<workflow>.<rule key>"
    key: Mapped[str] = mapped_column(String(120), index=True)
    days: Mapped[int] = mapped_column(Integer)
    #: the basis the admin relies on for this value
    basis: Mapped[str] = mapped_column(Text)
    effective_from_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(Base):
    """An in-app notice to one user; the unique key makes a repeated sweep send nothing twice."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("deadline_id", "user_id", "kind"),
                      Index("ix_notifications_user_read", "user_id", "read_dt"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"))
    #: due_in_<n> (n working days left) | breached
    kind: Mapped[str] = mapped_column(String(20))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when the e-mail copy was claimed for sending (only when SMTP is configured)
    emailed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    deadline: Mapped[Deadline | None] = relationship()
