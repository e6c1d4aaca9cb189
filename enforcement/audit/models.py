"""Supervision findings and their rectification (整改) by the assignee agency."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
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
