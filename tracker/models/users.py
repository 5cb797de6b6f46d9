"""People who sign in, and what each role may do."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.models.base import Labelled, enum_column, utcnow
from tracker.models.units import Province, Unit


class Role(Labelled):
    """The four roles of the brief."""

    OFFICER = ("officer", "Cán bộ Sở Tài chính")
    COMMUNE = ("commune", "Cán bộ xã, phường")
    AUDITOR = ("auditor", "Kiểm toán, thanh tra")
    ADMIN = ("admin", "Quản trị hệ thống")


class User(UserMixin, db.Model):
    """A signed-in person. Commune staff are bound to one unit; others to a province or all."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("role <> 'commune' OR unit_id IS NOT NULL", name="commune_staff_have_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(60), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(120), default="")
    position: Mapped[str] = mapped_column(sa.String(120), default="")  # chức vụ
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    province_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provinces.id"))  # None: every province
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    # Wrong passwords in a row; at the limit the account is locked until ``locked_until`` (or an admin).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Part of every session's id: raising it (sign-out, new password, account disabled) ends them all.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    province: Mapped[Province | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session of this user, on any browser, is signed out at its next request."""
        self.session_epoch = (self.session_epoch or 0) + 1

    def get_id(self) -> str:
        """The session holds the id and the epoch, so a copied cookie dies with the epoch."""
        return f"{self.id}.{self.session_epoch or 0}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def locked_for_now(self) -> dt.datetime | None:
        """Until when wrong passwords keep this account locked, or None."""
        until = self.locked_until
        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=dt.timezone.utc)  # SQLite gives back naive UTC
        return until if until is not None and until > utcnow() else None

    @property
    def can_write(self) -> bool:
        return self.role in (Role.OFFICER, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class ApiToken(db.Model):
    """A bearer token for the read-only API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    token_sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship()
