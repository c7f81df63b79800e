"""Official documents (văn bản đi): the detail row of a document_issuance case, and who may sign what.

A document is a case of workflow `document_issuance`, so every change of its state goes through the
engine; this row holds what the register and the PDF need (Nghị định 30/2020/NĐ-CP, DOMAIN.md section 8)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.case import Case
from caseflow.core.models.org import Unit, User
from caseflow.core.models.types import JSONType

#: signature authorities (NĐ 30/2020 Phụ lục I): for a collective, for the head, acting, by order, delegated
AUTHORITIES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
#: states in which a document is issued: its number, date, PDF and hash never change again
ISSUED_STATES = ("registered", "sealed", "dispatched", "filed")


class DocumentDetail(Base):
    __tablename__ = "document_details"
    __table_args__ = (
        # one register per issuing body and year, secret documents apart: a number is never given twice
        UniqueConstraint("issuing_unit_id", "issuer_code", "year", "secret", "number", name="uq_document_number"),
        # a step of another case produces each of its documents once
        UniqueConstraint("source_case_id", "source_event", "type_key", name="uq_document_source_event"),
        Index("ix_document_register", "year", "issuing_unit_id", "number"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: the case the document belongs to (None for a document drafted on its own)
    source_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: "<trigger>#<audit seq>" of the source case's step that produced it (idempotency)
    source_event: Mapped[str | None] = mapped_column(String(100))
    #: key in templates/documents/pdf/types.yaml
    type_key: Mapped[str] = mapped_column(String(60), index=True)
    #: type code of the symbol (QĐ, TB, BB, ...; NĐ 30/2020 Phụ lục III)
    type_code: Mapped[str] = mapped_column(String(10), default="")
    issuing_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: the issuing body's abbreviation in the symbol ("LĐLĐ", "UBKT"): also splits the registers
    issuer_code: Mapped[str] = mapped_column(String(40), default="")
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    #: normal | urgent | very_urgent | flash
    urgency: Mapped[str | None] = mapped_column(String(20))
    #: trích yếu
    summary: Mapped[str] = mapped_column(Text, default="")
    #: the render data's editable part: {"fields": {...}, "recipients": [...], "archive": str}
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    number: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    #: "05/QĐ-LĐLĐ"
    symbol: Mapped[str | None] = mapped_column(String(80), index=True)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: TM. | KT. | Q. | TL. | TUQ., with the title and body as printed
    sign_authority: Mapped[str | None] = mapped_column(String(10))
    signature: Mapped[dict | None] = mapped_column(JSONType)
    signed_date: Mapped[date | None] = mapped_column(Date)
    #: the document's date (the day it was numbered); issued_dt the moment
    issued_date: Mapped[date | None] = mapped_column(Date)
    issued_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: relative to the storage folder (app.config STORAGE_DIR)
    pdf_path: Mapped[str | None] = mapped_column(String(255))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    #: the earlier document this one replaces or corrects
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: replaces | corrects
    relation: Mapped[str | None] = mapped_column(String(10))
    #: folded symbol, summary and type title, for the register's search
    search_text: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    source_case: Mapped[Case | None] = relationship(foreign_keys=[source_case_id])
    replaces: Mapped[Case | None] = relationship(foreign_keys=[replaces_id])
    issuing_unit: Mapped[Unit | None] = relationship()
    signed_by: Mapped[User | None] = relationship()

    @property
    def issued(self) -> bool:
        return self.pdf_sha256 is not None


#: columns an issued document may never change (NĐ 30/2020: an error is corrected by a new document)
FROZEN_COLUMNS = ("type_key", "type_code", "issuing_unit_id", "issuer_code", "secret", "urgency", "summary", "data",
                  "number", "year", "symbol", "signed_by_id", "sign_authority", "signature", "signed_date",
                  "issued_date", "issued_dt", "pdf_path", "pdf_sha256", "replaces_id", "relation", "source_case_id")


class IssuedDocumentChanged(RuntimeError):
    """Something tried to change an issued document's row: a bug, refused whatever the route."""


@event.listens_for(DocumentDetail, "before_update")
def _refuse_changes_once_issued(_mapper, _connection, row: DocumentDetail) -> None:
    from sqlalchemy import inspect

    state = inspect(row)
    before = state.attrs.pdf_sha256.history
    was_issued = (before.deleted and before.deleted[0]) or (not before.added and row.pdf_sha256)
    if not was_issued:
        return
    changed = [c for c in FROZEN_COLUMNS if state.attrs[c].history.has_changes()]
    if changed:
        raise IssuedDocumentChanged(f"document {row.case_id} is issued; refused change of {changed}")


class SigningPower(Base):
    """Who may sign which documents of which unit, and how (NĐ 30/2020 Phụ lục I: TM./KT./Q./TL./TUQ.)."""

    __tablename__ = "signing_powers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the issuing unit (exactly that unit: a power on the province does not sign for a grassroots union)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: None: the unit's own documents; "UBKT": its inspection committee's
    issuer_code: Mapped[str | None] = mapped_column(String(40))
    #: None: every type
    type_key: Mapped[str | None] = mapped_column(String(60))
    authority: Mapped[str] = mapped_column(String(10))
    #: printed under the authority: "BAN THƯỜNG VỤ" (TM.), "CHỦ TỊCH" (KT.) ...
    on_behalf_of: Mapped[str] = mapped_column(String(200), default="")
    #: the signer's title printed above the name: "CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    title: Mapped[str] = mapped_column(String(200))
    valid_from_date: Mapped[date] = mapped_column(Date)
    valid_to_date: Mapped[date | None] = mapped_column(Date)
    #: the decision that gave the power (a delegation, an assignment of duties)
    basis: Mapped[str] = mapped_column(String(255), default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    unit: Mapped[Unit] = relationship()

    def valid_on(self, day: date) -> bool:
        return self.valid_from_date <= day and (self.valid_to_date is None or day <= self.valid_to_date)
