"""Model mixins and the cross-domain tables: change log, settings, calendar, audit events."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from enforcement.extensions import db

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)


class VersionedMixin:
    """Optimistic locking: a stale save raises StaleDataError instead of overwriting."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


class PublicMixin:
    """Marks a model whose changes feed the change log (search, caches, replicas)."""

    __public_entity__: str = ""


class ChangeLog(db.Model):
    """Outbox: one row per change to public data, in the same transaction as the change."""

    __tablename__ = "change_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    op: Mapped[str] = mapped_column(String(10), nullable=False)  # upsert | delete
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    # PostgreSQL: the writing transaction's id, set by the database (see core.changelog); NULL on SQLite.
    txid: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)


class Setting(db.Model):
    """A configurable rule figure (thresholds, periods); defaults live in core.settings."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)


class CalendarYear(db.Model):
    """A year whose official calendar an admin entered as data (overrides the library)."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class CalendarDay(db.Model):
    """An exception to Mon–Fri in an admin-entered year: a holiday or a make-up working day."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean, nullable=False)
    name: Mapped[str] = mapped_column(String(40), nullable=False, default="")


class ChangeReader(db.Model):
    """Where one maintained store derived from public data stands in the change log (``core.changefeed``).

    ``floor``: every change-log row with a position below it is applied; ``ahead``: ids of unsettled rows
    at or above it applied early, as JSON runs ``[[first, last], ...]``; ``version``: the derivation's
    format (another one rebuilds the store); ``built_at``: the last full build (NULL: never built);
    ``as_of``: for a store that leaves out what no longer shows from some day on, that day.
    """

    __tablename__ = "change_readers"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    floor: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    ahead: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    version: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    applied_id: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)  # for lag reports only
    built_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A derivation that depends on the day (what is listed today): the day it holds for, and every later one.
    as_of: Mapped[date | None] = mapped_column(Date)
