"""What the public portal keeps: one row per matter sent through it (the tracking code's look-up part and
the slow hash of the rest, never the code itself) and the messages between the sender and the handler.

The sender's identity is not here: a letter's sender goes into protected_identities through the letter
intake's own effect, a legal-aid requester is the case's party, exactly as at the desk."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.case import Case
from caseflow.core.models.org import User


class PortalSubmission(Base):
    """A matter sent through the portal: the case it opened and the tracking code that reopens it."""

    __tablename__ = "portal_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the case opened by the submission (a legal-aid intake, or a letter at the inspection desk)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: legal_aid | letter
    kind: Mapped[str] = mapped_column(String(20))
    #: the letter type the sender chose (complaint | denunciation | petition); the desk still classifies
    letter_type: Mapped[str | None] = mapped_column(String(20))
    #: sent without name or address (a denunciation so sent is examined as information, Luật Tố cáo 2018 Art. 25)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the first digits of the tracking code: not secret, unique, so that a look-up hashes one row only
    lookup: Mapped[str] = mapped_column(String(8), unique=True)
    #: slow hash (scrypt) of the code's remaining digits, peppered with the instance's secret key
    secret_hash: Mapped[str] = mapped_column(String(255))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last time the sender opened the matter with the code
    last_seen_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()
    messages: Mapped[list["PortalMessage"]] = relationship(back_populates="submission", order_by="PortalMessage.id",
                                                           cascade="all, delete-orphan")


class PortalMessage(Base):
    """One message of the thread: from the sender (`incoming`) or from a handler (an audited event)."""

    __tablename__ = "portal_messages"
    __table_args__ = (Index("ix_portal_messages_unread", "case_id", "incoming", "read_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("portal_submissions.id", ondelete="CASCADE"), index=True)
    #: the case the message was written on (the letter, or the complaint / denunciation opened from it)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: True: from the sender; False: a handler's answer
    incoming: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text, default="")
    #: the handler who answered (None for the sender's messages)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: a file the sender added (an attachment, or a protected scan for a letter: see caseflow/portal/files.py)
    file_name: Mapped[str | None] = mapped_column(String(255))
    attachment_id: Mapped[int | None] = mapped_column(Integer)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when a handler first opened the case page after the message came in
    read_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    submission: Mapped[PortalSubmission] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
