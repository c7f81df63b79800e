"""The organisation tree through time: unit versions (name, place, parent from a date), officers with
terms, and the link from a recognised grassroots union to the case that founded it.

DOMAIN.md section 0: organisation is data with effective dates (e.g. Bình Định merged into Gia Lai from
12/6/2025); the name printed on a document is the name in force on the document's date."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.org import Unit

#: officer positions (Điều lệ Công đoàn Việt Nam; HD 38/HD-TLĐ 2024 §10.4 [R])
OFFICER_POSITIONS = ("chair", "vice_chair", "btv_member", "bch_member", "ubkt_chair", "ubkt_member")
#: positions that make a person a member of the executive committee (BCH)
BCH_POSITIONS = ("chair", "vice_chair", "btv_member", "bch_member")


class UnitVersion(Base):
    """What a unit was called, where it sat and under whom, from `valid_from_date` on
    (None: since the unit's beginning). The `units` row mirrors the version in force today."""

    __tablename__ = "unit_versions"
    __table_args__ = (UniqueConstraint("unit_id", "valid_from_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    valid_from_date: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    place: Mapped[str | None] = mapped_column(String(100))
    #: the decision that made the change, e.g. "Nghị quyết 202/2025/QH15"
    basis: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UnitOfficer(Base):
    """One person in one position of a unit for a term, from the recognition decision's date."""

    __tablename__ = "unit_officers"
    __table_args__ = (UniqueConstraint("unit_id", "source_case_id", "full_name", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(20))
    #: e.g. "2023–2028"
    term: Mapped[str] = mapped_column(String(20), default="")
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str] = mapped_column(String(60), default="")
    #: the recognition case that created this row (None: entered by an admin)
    source_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)

    unit: Mapped[Unit] = relationship()

    def active_on(self, day: date) -> bool:
        return self.from_date <= day and (self.to_date is None or day <= self.to_date)


class UnitFounding(Base):
    """The grassroots union a founding case created: the unique case_id makes recognition create the
    unit exactly once, however often the effect runs or the transition is retried."""

    __tablename__ = "unit_foundings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    #: the directly superior union that recognised it
    superior_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    decision_date: Mapped[date] = mapped_column(Date, index=True)
    members_count: Mapped[int] = mapped_column(Integer, default=0)

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
