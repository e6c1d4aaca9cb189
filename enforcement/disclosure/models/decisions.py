""""事后" information: enforcement decisions, their reviews and whole-process records.

A decision row holds the raw party data as recorded; the public only ever sees
the projection built in ``enforcement.disclosure.projection``.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import PublicMixin, TimestampMixin, VersionedMixin, utcnow
from enforcement.extensions import db

decision_officers = Table(
    "decision_officers",
    db.metadata,
    Column("decision_id", ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", ForeignKey("officers.id"), primary_key=True, index=True),
)

decision_powers = Table(
    "decision_powers",
    db.metadata,
    Column("decision_id", ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("power_id", ForeignKey("powers.id"), primary_key=True, index=True),
)


class Decision(PublicMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "decisions"
    __public_entity__ = "decision"
    __table_args__ = (
        Index("ix_decisions_public_list", "status", "decided_on"),
        Index("ix_decisions_agency_decided", "agency_id", "decided_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)  # 文号 as written
    # core.numbers.number_key(number): 〔〕/[]/（）, full width, 第 and leading zeros cannot make two decisions
    number_key: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, index=True)  # DecisionKind
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")  # DecisionStatus
    procedure: Mapped[str] = mapped_column(String(20), nullable=False, default="ordinary")  # CaseProcedure
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    # Party, raw. Natural persons' names, ID numbers, addresses, phones, accounts never go public.
    party_type: Mapped[str] = mapped_column(String(20), nullable=False)  # PartyType
    party_name: Mapped[str] = mapped_column(String(200), nullable=False)
    party_credit_code: Mapped[str] = mapped_column(String(18), nullable=False, default="")
    party_legal_rep: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    party_id_number: Mapped[str] = mapped_column(String(18), nullable=False, default="")
    party_address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    party_phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    party_bank_account: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    party_is_minor: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    other_names: Mapped[str] = mapped_column(Text, nullable=False, default="")  # witnesses etc., one per line
    # Substance.
    facts: Mapped[str] = mapped_column(Text, nullable=False, default="")
    basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    result: Mapped[str] = mapped_column(Text, nullable=False, default="")
    penalty_kinds: Mapped[str] = mapped_column(String(200), nullable=False, default="")  # PenaltyKind codes, comma-separated
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    confiscation_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    discretion_adjusted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_major: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    major_reasons: Mapped[str] = mapped_column(Text, nullable=False, default="")
    masking_confirmed: Mapped[str] = mapped_column(Text, nullable=False, default="")  # values confirmed public, one per line
    masking_masked: Mapped[str] = mapped_column(Text, nullable=False, default="")  # values the officer chose to hide, one per line
    # Dates.
    filed_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    publish_due_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # changed/revoked/illegal/void
    ended_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    expires_on: Mapped[date | None] = mapped_column(Date)
    agency = relationship("Agency")
    officers = relationship("Officer", secondary=decision_officers, order_by="Officer.id")
    powers = relationship("Power", secondary=decision_powers, order_by="Power.id")
    records: Mapped[list[ProcessRecord]] = relationship(back_populates="decision", order_by="ProcessRecord.id")
    reviews: Mapped[list[LegalReview]] = relationship(back_populates="decision", order_by="LegalReview.id")
    recusals: Mapped[list[Recusal]] = relationship(back_populates="decision", order_by="Recusal.id")

    @property
    def year(self) -> int | None:
        return self.decided_on.year if self.decided_on else None

    @property
    def penalty_kind_list(self) -> list[str]:
        return [k for k in self.penalty_kinds.split(",") if k]


def new_public_id() -> str:
    """An unguessable identifier (128 bits, URL-safe) for links to a stored file."""
    return secrets.token_urlsafe(16)


class ProcessRecord(db.Model):
    """执法全过程记录: a filed file, immutable; a correction supersedes, never overwrites.

    Downloads name a record by ``public_id`` (random), never by its sequential ``id``,
    so a link cannot be guessed from another one (OWASP ASVS 4.0 V4.2.1).
    """

    __tablename__ = "process_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), nullable=False, unique=True, default=new_public_id)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # RecordKind
    title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False, default="application/octet-stream")
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    filed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    filed_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("process_records.id"))
    decision: Mapped[Decision] = relationship(back_populates="records")

    def change_log_key(self) -> tuple[str, int]:
        return "decision", self.decision_id


class LegalReview(db.Model):
    """重大执法决定法制审核: opinion, date and the checklist (DOMAIN.md)."""

    __tablename__ = "legal_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), nullable=False, index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    reviewed_on: Mapped[date] = mapped_column(Date, nullable=False)
    passed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    opinion: Mapped[str] = mapped_column(Text, nullable=False)
    checklist: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON {item: bool}
    decision: Mapped[Decision] = relationship(back_populates="reviews")
    reviewer = relationship("User")

    def change_log_key(self) -> tuple[str, int]:
        """A review changes what the supervisor's audit says of its decision (the change log names the decision)."""
        return "decision", self.decision_id


class Recusal(db.Model):
    """回避 (行政处罚法 art. 43): an officer with a direct interest stands aside from one case."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("decision_id", "officer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), nullable=False, index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    decision: Mapped[Decision] = relationship(back_populates="recusals")
    officer = relationship("Officer")


class DecisionPublicRow(db.Model):
    """A listed decision's public export row, projected (masked) ahead of time (``disclosure.public_rows``).

    ``cells``: JSON list, one value per export column (``categories.DECISIONS.export_columns``), as
    ``public_rows.encode_cells`` writes them. Derived data: kept current from the change log and rebuilt
    from the decisions at any time; a decision no projection may show (draft, minor, never published)
    has no row. Whether a stored row is listed today (its display period) is decided by the live SQL
    conditions on ``decisions``, never by this table.
    """

    __tablename__ = "decision_public_rows"
    decision_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    change_id: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)  # log id it was projected at
    cells: Mapped[str] = mapped_column(Text, nullable=False)
