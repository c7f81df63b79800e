"""Report configuration kept as data: representation-share targets and officers' declared links."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.org import User


class RepresentationTarget(Base):
    """Target share of members' matters with a union representative, per year (seed, section II.2).
    Editable: the federation's next programme will change them."""

    __tablename__ = "representation_targets"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: per cent, e.g. 65.0
    target_pct: Mapped[float] = mapped_column(Numeric(5, 2))
    basis: Mapped[str] = mapped_column(Text, default="")
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConflictLink(Base):
    """A union officer's declared link to an organisation or person (relative, former employer,
    shareholding): a legal-aid matter against it is flagged at intake (conflict check)."""

    __tablename__ = "conflict_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    #: caseflow.core.text.fold(name): matching ignores case and diacritics
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    relation: Mapped[str] = mapped_column(String(255), default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
