"""双随机一公开: the target pool, conflict declarations, plans, draws and their tasks.

The inspection-item list (一单) is ``InspectionItem`` in the disclosure domain;
the inspector pool (执法检查人员名录库) is the credentialed officers valid on
the draw date, snapshotted into the draw when its commitment is published.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import TimestampMixin, utcnow
from enforcement.extensions import db


class InspectionTarget(TimestampMixin, db.Model):
    """检查对象名录库: a business that may be drawn; ``code`` is its credit code or register number."""

    __tablename__ = "inspection_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str] = mapped_column(String(60), nullable=False, default="", index=True)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class InspectorConflict(db.Model):
    """An officer's declared conflict of interest with a target: never drawn for it (recusal)."""

    __tablename__ = "inspector_conflicts"
    __table_args__ = (UniqueConstraint("officer_id", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), nullable=False, index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("inspection_targets.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    declared_on: Mapped[date] = mapped_column(Date, nullable=False)
    officer = relationship("Officer")
    target: Mapped[InspectionTarget] = relationship()


class InspectionPlan(TimestampMixin, db.Model):
    """An inspection plan: item, ratio, period; its notice carries the draw's commitment."""

    __tablename__ = "inspection_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_items.id"), nullable=False, index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    target_category: Mapped[str] = mapped_column(String(60), nullable=False, default="")  # "" = whole pool
    ratio_percent: Mapped[str] = mapped_column(String(10), nullable=False)  # decimal text, e.g. "5" or "12.5"
    inspectors_per_target: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    draw_on: Mapped[date] = mapped_column(Date, nullable=False)
    published_on: Mapped[date | None] = mapped_column(Date)  # plan notice (with the commitment)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="planned")  # planned|committed|drawn
    item = relationship("InspectionItem")
    agency = relationship("Agency")
    draw: Mapped[InspectionDraw | None] = relationship(back_populates="plan", uselist=False)


class InspectionDraw(db.Model):
    """The committed pools, the secret seed (revealed after the draw) and the published result."""

    __tablename__ = "inspection_draws"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inspection_plans.id"), nullable=False, unique=True)
    pools_json: Mapped[str] = mapped_column(Text, nullable=False)  # canonical JSON, exactly as committed
    commitment: Mapped[str] = mapped_column(String(64), nullable=False)
    seed: Mapped[str] = mapped_column(String(64), nullable=False)  # secret until drawn_at is set
    committed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    drawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    drawn_on: Mapped[date | None] = mapped_column(Date)
    result_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    plan: Mapped[InspectionPlan] = relationship(back_populates="draw")
    tasks: Mapped[list[InspectionTask]] = relationship(back_populates="draw", order_by="InspectionTask.position")


class InspectionTask(db.Model):
    """One drawn target with its inspectors (task notice) and, later, its result (result notice)."""

    __tablename__ = "inspection_tasks"
    __table_args__ = (UniqueConstraint("draw_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("inspection_draws.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    target_id: Mapped[int] = mapped_column(ForeignKey("inspection_targets.id"), nullable=False)
    inspector_numbers: Mapped[str] = mapped_column(Text, nullable=False)  # credential numbers, comma-separated
    recused_numbers: Mapped[str] = mapped_column(Text, nullable=False, default="")
    inspected_on: Mapped[date | None] = mapped_column(Date, index=True)
    outcome: Mapped[str] = mapped_column(Text, nullable=False, default="")
    problems_found: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    result_published_on: Mapped[date | None] = mapped_column(Date)
    draw: Mapped[InspectionDraw] = relationship(back_populates="tasks")
    target: Mapped[InspectionTarget] = relationship()

    @property
    def public_outcome(self) -> str:
        """The result as published (优化营商环境条例 art. 54): the target keeps its name and address, any
        person's data in the officers' text is masked by the same engine as every public text."""
        from enforcement.core import masking

        return masking.mask_text(self.outcome, keep=[self.target.name, self.target.address, self.target.code])

    @property
    def inspector_list(self) -> list[str]:
        return [n for n in self.inspector_numbers.split(",") if n]

    @property
    def recused_list(self) -> list[str]:
        return [n for n in self.recused_numbers.split(",") if n]
