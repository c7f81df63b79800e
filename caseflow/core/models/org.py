"""The union's organisation tree, users and their roles per unit."""
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from caseflow.core.models.base import Base, UTCDateTime, utcnow
from caseflow.core.models.types import JSONType

#: Unit levels, top down (DOMAIN.md section 0).
UNIT_KINDS = ("tld", "provincial", "superior", "grassroots")
#: Roles a user can hold on a unit; a role covers the unit and every unit below it.
ROLES = ("admin", "leader", "legal_officer", "inspector", "clerk", "organiser")
#: werkzeug's hashing method; tests lower the cost (scrypt by default takes ~100 ms a hash)
PASSWORD_METHOD = {"method": "scrypt"}


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short code used in case codes and document symbols, e.g. "LĐLĐ", "CĐCS-ABC"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: materialised path of ids, "/1/4/17/": ancestry checks are string prefix tests
    path: Mapped[str] = mapped_column(String(255), index=True, default="/")
    #: place name printed on documents ("Bình Định, ngày ...")
    place: Mapped[str | None] = mapped_column(String(100))
    effective_from_date: Mapped[date | None] = mapped_column(Date)
    effective_to_date: Mapped[date | None] = mapped_column(Date)
    #: the unit that took over this one's work when it was closed or merged away (the 2025 merger): reports
    #: count by the unit as it was and, on request, roll its figures up to the successor
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children",
                                                 foreign_keys=[parent_id])
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", foreign_keys=[parent_id])

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"

    def is_within(self, other: "Unit") -> bool:
        """True when this unit is `other` or lies below it."""
        return self.path.startswith(other.path)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: bumped on logout-everywhere, password change and disabling: older session cookies stop working
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: wrong passwords in a row since the last good login; at LOGIN_LOCKOUT_AFTER the account locks
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: when the account was locked after repeated failures; only an admin's unlock clears it
    locked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: base32 TOTP secret (RFC 6238), set when the user enrolled a second factor
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: the time step (RFC 6238 counter) of the code last accepted: that code, and any older one, is refused
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    #: hashes of the unused one-time recovery codes
    recovery_codes: Mapped[list | None] = mapped_column(JSONType)

    roles: Mapped[list["RoleAssignment"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        # The epoch travels in the session cookie; a bumped epoch revokes it.
        return f"{self.id}:{self.session_epoch}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD["method"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleAssignment(Base):
    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))

    user: Mapped[User] = relationship(back_populates="roles")
    unit: Mapped[Unit] = relationship()
