"""Who works on a case besides its own agency, and who took part in it.

``CaseAssignment``: joint enforcement. An officer of another agency works on a
case only when someone entitled to handle it assigns them, with a reason; the
row and its audit entry are the record of that decision.

``CaseParticipation``: every account that drafted, edited, submitted, decided,
published, ended, withdrew, filed records on or reviewed a case, one row per
(account, part). Separation of duties (行政处罚法 art. 58: the legal review is
separate from handling) is checked against these rows, on the person whatever
roles the account holds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import utcnow
from enforcement.extensions import db


class CaseAssignment(db.Model):
    __tablename__ = "case_assignments"
    __table_args__ = (UniqueConstraint("decision_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    assigned_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    assigned_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    user = relationship("User")


class CaseParticipation(db.Model):
    __tablename__ = "case_participations"
    __table_args__ = (UniqueConstraint("decision_id", "user_id", "part"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    part: Mapped[str] = mapped_column(String(20), nullable=False)  # policy.PARTS
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
