"""Typed facts of the union's internal procedures (DOMAIN.md sections 5-7) and their configuration:
founding details, commendation rounds, admin overrides of [R]/[U] values, the enterprise register
and the membership targets of the action programme (seed, CTr 17/CTr-LĐLĐ 2021).

The organisation tree through time: unit versions (name, place, parent from a date), officers with
terms, and the link from a recognised grassroots union to the case that founded it.
DOMAIN.md section 0: organisation is data with effective dates (e.g. Bình Định merged into Gia Lai from
12/6/2025); the name printed on a document is the name in force on the document's date."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.case import Case
from caseflow.core.models.org import Unit
from caseflow.core.models.types import JSONType


class CdcsFoundingDetail(Base):
    """What the founding of one grassroots union reports on: the targets page reads only these columns."""

    __tablename__ = "cdcs_founding_details"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    enterprise_name: Mapped[str] = mapped_column(String(255))
    enterprise_tax_code: Mapped[str | None] = mapped_column(String(20), index=True)
    workers_count: Mapped[int | None] = mapped_column(Integer)
    proposed_name: Mapped[str] = mapped_column(String(255))
    organiser_name: Mapped[str | None] = mapped_column(String(200))
    applications_count: Mapped[int | None] = mapped_column(Integer)
    members_admitted: Mapped[int | None] = mapped_column(Integer)
    #: the superior union's admission decision; members count towards this date's year
    admission_date: Mapped[date | None] = mapped_column(Date, index=True)
    congress_date: Mapped[date | None] = mapped_column(Date)
    attendees: Mapped[int | None] = mapped_column(Integer)
    #: one officer per line: "Họ tên | chức danh [| quản lý]"
    officers_text: Mapped[str | None] = mapped_column(Text)
    term: Mapped[str | None] = mapped_column(String(20))
    unit_code: Mapped[str | None] = mapped_column(String(40))
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[date | None] = mapped_column(Date)
    transferred_to: Mapped[str | None] = mapped_column(String(40))

    case: Mapped[Case] = relationship()


class CommendationRound(Base):
    """An annual emulation round: a dossier received after its cut-off goes to the next round."""

    __tablename__ = "commendation_rounds"
    __table_args__ = (UniqueConstraint("year", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    #: the last day a dossier is accepted into this round
    cut_off_date: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    basis: Mapped[str] = mapped_column(Text, default="")


class ProcedureSetting(Base):
    """An admin's override of a value a workflow declares as configuration ([R]/[U] in DOMAIN.md)."""

    __tablename__ = "procedure_settings"
    __table_args__ = (UniqueConstraint("workflow", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow: Mapped[str] = mapped_column(String(60))
    #: a setting key, or "dossier:<item>" for a dossier item's required flag
    key: Mapped[str] = mapped_column(String(80))
    value: Mapped[dict] = mapped_column(JSONType)
    basis: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Enterprise(Base):
    """The enterprise register (imported from XLSX): who should have a grassroots union."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    tax_code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    workers_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    #: the directly superior union competent for it (by area or industrial zone)
    superior_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: its grassroots union, once there is one
    cdcs_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    imported_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MembershipTarget(Base):
    """One target of the action programme, editable: e.g. 19,000 new members 2021-2023."""

    __tablename__ = "membership_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: new_members | new_members_per_year | total_members | coverage_pct
    metric: Mapped[str] = mapped_column(String(40))
    #: the period the target covers (inclusive years)
    from_year: Mapped[int] = mapped_column(Integer)
    to_year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer)
    #: None: the whole province
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    basis: Mapped[str] = mapped_column(Text, default="")


# the organisation tree through time

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


# the member register (đoàn viên)

#: a member's standing in the register: active; transferred to another union (chuyển sinh hoạt);
#: ceased (thôi sinh hoạt, ra khỏi tổ chức); expelled (khai trừ) — Điều lệ Công đoàn Việt Nam khóa XIII (2023)
MEMBER_STATUSES = ("active", "transferred", "ceased", "expelled")


class Member(Base):
    """One union member (đoàn viên) of a grassroots union: the register legal aid and the portal look people up
    in, so that "is the party a member" is verified rather than typed."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: NFC, as written in the register
    full_name: Mapped[str] = mapped_column(String(200))
    #: the name folded (lower case, no diacritics, single spaces): the look-up key
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    birth_date: Mapped[date] = mapped_column(Date)
    #: căn cước công dân: exactly 12 digits (Luật Căn cước 2023), one member per person
    citizen_id: Mapped[str] = mapped_column(String(12), unique=True)
    grassroots_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    admitted_date: Mapped[date] = mapped_column(Date, index=True)
    card_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    #: one of MEMBER_STATUSES
    status: Mapped[str] = mapped_column(String(20), default="active")
    #: the admission case that admitted or re-admitted the member (None: imported from the union's list)
    admission_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)
    #: where the row came from: "<file>#<row>" for an import, the case code for an admission
    source: Mapped[str] = mapped_column(String(255), default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grassroots_unit: Mapped[Unit] = relationship()


class MemberEvent(Base):
    """The register's history: who imported, admitted or re-activated a member, when, from what. Written by
    caseflow.union.members.record only; never updated."""

    __tablename__ = "member_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    #: imported | admitted | reactivated
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MemberAdmissionDetail(Base):
    """The applicant and the decision of one admission case (workflows/union/member_admission.yaml); the
    birth date and citizen ID are kept here and out of the audit payload (personal data)."""

    __tablename__ = "member_admission_details"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    citizen_id: Mapped[str] = mapped_column(String(12), index=True)
    workplace: Mapped[str | None] = mapped_column(String(255))
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[date | None] = mapped_column(Date)
    card_number: Mapped[str | None] = mapped_column(String(30))
    #: the register's row the admission created or re-activated
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))

    case: Mapped[Case] = relationship()
