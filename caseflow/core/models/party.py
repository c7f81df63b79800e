"""People and organisations involved in a case; personal data is marked confidential."""
from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base

#: party roles across procedures
PARTY_ROLES = ("worker", "employer", "union_org", "complainant", "denouncer", "accused", "respondent", "other")


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    #: person | organisation
    kind: Mapped[str] = mapped_column(String(20), default="person")
    full_name: Mapped[str] = mapped_column(String(255))
    id_number: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    is_union_member: Mapped[bool | None] = mapped_column(Boolean)
    #: personal data shown only to users with the permission on the case
    confidential: Mapped[bool] = mapped_column(Boolean, default=True)

    case: Mapped["Case"] = relationship(back_populates="parties")  # noqa: F821
