"""The inspection committee (UBKT): letters, complaints, denunciations, and the denouncer's identity kept apart.

DOMAIN.md sections 2-4. The identity of whoever sent a letter or denounced lives only in
`protected_identities` (Luật Tố cáo 2018, Arts. 9(1)(b), 47(2), 56): never in `parties`, never in a case's
title or search text, never in an audit payload. Reading it takes an `identity_grants` row on that case;
every grant, revocation and view is a row of the append-only `identity_access_log`."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.case import Case
from caseflow.core.models.org import User
from caseflow.core.models.types import JSONType


class LetterDetail(Base):
    """A letter received by the UBKT (Thông tư 05/2021/TT-TTCP): what it is and what became of it."""

    __tablename__ = "letter_details"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: post | in_person | email | transferred
    channel: Mapped[str] = mapped_column(String(20))
    #: the date written on the letter; None = undated (not eligible, TT 05/2021 Art. 7)
    letter_date: Mapped[date | None] = mapped_column(Date)
    #: signed or fingerprinted by the sender(s)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    foreign_language: Mapped[bool] = mapped_column(Boolean, default=False)
    #: how many people signed it (several signatories are allowed)
    signatory_count: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[str] = mapped_column(Text, default="")
    #: diacritic-free content for duplicate detection (the content never names the sender, see intake)
    content_fold: Mapped[str] = mapped_column(Text, default="")
    #: keyed hash of the sender's folded name: "same sender" without storing the name here
    sender_key: Mapped[str | None] = mapped_column(String(64), index=True)
    #: complaint | denunciation | petition | multiple
    content_type: Mapped[str | None] = mapped_column(String(20), index=True)
    #: own | lower | higher | other_body: which level is competent
    competence: Mapped[str | None] = mapped_column(String(20))
    names_act_and_request: Mapped[bool] = mapped_column(Boolean, default=False)
    names_person_and_violation: Mapped[bool] = mapped_column(Boolean, default=False)
    already_handled: Mapped[bool] = mapped_column(Boolean, default=False)
    transferred_to: Mapped[str | None] = mapped_column(String(255))
    guidance: Mapped[str | None] = mapped_column(Text)
    #: the complaint / denunciation / child letter cases opened from this letter
    linked_case_ids: Mapped[list] = mapped_column(JSONType, default=list)
    #: the letter this one was split from
    parent_letter_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)

    case: Mapped[Case] = relationship(foreign_keys=[case_id])


class ComplaintDetail(Base):
    """A complaint under Luật Khiếu nại 2011: first and second resolution in one case."""

    __tablename__ = "complaint_details"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    letter_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    act_complained: Mapped[str] = mapped_column(Text, default="")
    request: Mapped[str] = mapped_column(Text, default="")
    #: the day the complainant learned of the act: the 90-day limitation runs from it (Art. 9)
    known_date: Mapped[date | None] = mapped_column(Date)
    #: complex matter / remote area: longer periods (Arts. 28, 33, 37)
    complex: Mapped[bool] = mapped_column(Boolean, default=False)
    remote_area: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ground of Art. 11 when refused
    refusal_ground: Mapped[str | None] = mapped_column(String(40))
    accepted_date: Mapped[date | None] = mapped_column(Date)
    #: 1 or 2: which resolution the case is in
    round: Mapped[int] = mapped_column(Integer, default=1)
    verification_differs: Mapped[bool] = mapped_column(Boolean, default=False)
    dialogue_date: Mapped[date | None] = mapped_column(Date)
    #: upheld | partly_upheld | rejected
    first_outcome: Mapped[str | None] = mapped_column(String(20))
    first_decision_date: Mapped[date | None] = mapped_column(Date)
    first_decision_sent_date: Mapped[date | None] = mapped_column(Date)
    second_complaint_date: Mapped[date | None] = mapped_column(Date)
    second_outcome: Mapped[str | None] = mapped_column(String(20))
    second_decision_date: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(foreign_keys=[case_id])


class DenunciationDetail(Base):
    """A denunciation under Luật Tố cáo 2018 and NĐ 31/2019. No field here identifies the denouncer."""

    __tablename__ = "denunciation_details"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    letter_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: the person denounced and the violation (the accused is not protected like the denouncer)
    accused: Mapped[str] = mapped_column(String(255), default="")
    violation: Mapped[str] = mapped_column(Text, default="")
    content_fold: Mapped[str] = mapped_column(Text, default="")
    #: verification at several sites: 10 working days of initial processing instead of 7 (Art. 24(1))
    several_sites: Mapped[bool] = mapped_column(Boolean, default=False)
    transferred_to: Mapped[str | None] = mapped_column(String(255))
    #: why it is not processed (Arts. 24, 25)
    not_processed_ground: Mapped[str | None] = mapped_column(String(40))
    open_inspection: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_date: Mapped[date | None] = mapped_column(Date)
    #: NĐ 31/2019 Art. 3 criteria ticked; 1 = complex, 2+ = especially complex
    complexity_criteria: Mapped[list] = mapped_column(JSONType, default=list)
    #: 0 | 1 | 2 extensions allowed by that checklist (Luật Tố cáo 2018, Art. 30)
    extensions_allowed: Mapped[int] = mapped_column(Integer, default=0)
    extension_count: Mapped[int] = mapped_column(Integer, default=0)
    extension_days_total: Mapped[int] = mapped_column(Integer, default=0)
    #: user ids of the verification team (NĐ 31 Art. 10: at least 2, none conflicted)
    team_member_ids: Mapped[list] = mapped_column(JSONType, default=list)
    team_leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    suspended_date: Mapped[date | None] = mapped_column(Date)
    #: withdrawn in writing but processing continued (Art. 33(2))
    withdrawal_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    termination_ground: Mapped[str | None] = mapped_column(String(40))
    #: founded | partly_founded | unfounded
    conclusion_outcome: Mapped[str | None] = mapped_column(String(20))
    conclusion_summary: Mapped[str | None] = mapped_column(Text)
    concluded_date: Mapped[date | None] = mapped_column(Date)
    published_date: Mapped[date | None] = mapped_column(Date)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[Case] = relationship(foreign_keys=[case_id])


class ProtectedIdentity(Base):
    """A sender / denouncer / signatory: kept apart from the case file (Luật Tố cáo 2018, Art. 56)."""

    __tablename__ = "protected_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: sender | denouncer | signatory
    role: Mapped[str] = mapped_column(String(20), default="sender")
    full_name: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(40))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProtectedScan(Base):
    """A scan of the handwritten letter: it shows the handwriting, so it is protected like the name."""

    __tablename__ = "protected_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdentityGrant(Base):
    """An explicit, revocable permission for one user to see the protected identity of one case."""

    __tablename__ = "identity_grants"
    __table_args__ = (Index("ix_identity_grants_case_user", "case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    granted_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])


class IdentityAccessLog(Base):
    """Append-only: who granted, revoked or viewed a protected identity, when and why."""

    __tablename__ = "identity_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: grant | revoke | view | view_scan
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the user a grant / revocation concerns
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])


class ConflictDeclaration(Base):
    """A user declared conflicted on a case (related to the accused or the denouncer, NĐ 31/2019 Art. 10):
    from then on the user can neither see nor act on it."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (Index("ix_conflict_declarations_user_case", "user_id", "case_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
