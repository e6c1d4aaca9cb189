"""Supervision findings and their rectification (整改) by the assignee agency."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import TimestampMixin
from enforcement.extensions import db

FINDING_STATUS = {"open": "待整改", "responded": "已反馈", "closed": "已销号"}


class Finding(TimestampMixin, db.Model):
    """A supervisor's finding on one item, with a rectification deadline and the agency that must answer."""

    __tablename__ = "audit_findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    check_code: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # "" when recorded by hand
    entity: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    entity_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open", index=True)
    created_by: Mapped[str] = mapped_column(String(80), nullable=False)
    response: Mapped[str] = mapped_column(Text, nullable=False, default="")
    responded_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    agency = relationship("Agency")

    @property
    def status_label(self) -> str:
        return FINDING_STATUS.get(self.status, self.status)

    def overdue_on(self, today: date) -> bool:
        return self.status != "closed" and self.due_on < today


class AuditResult(db.Model):
    """One unit a decision-level check looked at (a decision, or a decision and one of its officers), stored.

    ``counts`` says whether the unit is counted as checked while ``checked_from <= today < checked_until``; it is
    a finding (``message``) while ``failing_from <= today < failing_until`` (``failing_from`` NULL: never). The
    dates make a stored row right on any later day without recomputation: only a change to the record (the
    change log), to an officer's training or to the rules recomputes it (enforcement.audit.incremental).
    """

    __tablename__ = "audit_results"
    __table_args__ = (Index("ix_audit_results_scope", "check_code", "year", "agency_id"),
                      Index("ix_audit_results_record", "entity", "decision_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    check_code: Mapped[str] = mapped_column(String(40), nullable=False)
    # "decision", or a standing record the masking audit scans (agency, power, procedure, inspection_item)
    entity: Mapped[str] = mapped_column(String(40), nullable=False, default="decision")
    decision_id: Mapped[int] = mapped_column(Integer, nullable=False)  # the record's id
    officer_id: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # order of several rows of one decision
    year: Mapped[int | None] = mapped_column(Integer)  # the scope year (decision date; 撤回: the date it ended)
    agency_id: Mapped[int | None] = mapped_column(Integer)
    on: Mapped[date | None] = mapped_column(Date)  # the item's date, for ordering and monthly tables
    counts: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    checked_from: Mapped[date] = mapped_column(Date, nullable=False)
    checked_until: Mapped[date] = mapped_column(Date, nullable=False)
    failing_from: Mapped[date | None] = mapped_column(Date)
    failing_until: Mapped[date | None] = mapped_column(Date)
    flag: Mapped[str] = mapped_column(String(20), nullable=False, default="")  # publication: late / overdue
    label: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    provisional: Mapped[str] = mapped_column(String(60), nullable=False, default="")  # years counted Mon-Fri


class AuditState(db.Model):
    """Where the stored audit stands: change-log position, fingerprints of rules and training, a generation."""

    __tablename__ = "audit_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    floor: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    rules: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    training: Mapped[str] = mapped_column(Text, nullable=False, default="")  # JSON {officer_id: digest}
    ahead: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON: unsettled change ids applied
    generation: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    built_at: Mapped[datetime | None] = mapped_column(DateTime)
