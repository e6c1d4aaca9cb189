"""Staff accounts and their roles (one user may hold several)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import TimestampMixin
from enforcement.extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), unique=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    has_legal_qualification: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Part of the id kept in the session cookie: raising it ends every session of the account at once
    # (logout, password or role change, disabling); ASVS 4.0 V3.3.1, V3.3.3.
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    officer = relationship("Officer")

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled accounts cannot log in
        return self.enabled

    def get_id(self) -> str:
        """Flask-Login's alternative id: "<id>.<session_version>", so an older cookie names no one."""
        return f"{self.id}.{self.session_version}"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)  # enums.Role


class LoginAttempt(db.Model):
    """Recent login attempts, for throttling per account and per address."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)


class LoginThrottle(db.Model):
    """Failed-login counters, one per key ("account:NAME", "address:ADDR"), updated atomically in the database
    so concurrent guesses cannot pass the limit between a read and a write (ASVS 4.0 V2.2.1)."""

    __tablename__ = "login_throttles"
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    window_started: Mapped[datetime] = mapped_column(DateTime, nullable=False)
