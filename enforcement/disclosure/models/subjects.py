"""Standing "事前" information: subjects, officers, powers, procedures, inspection items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from enforcement.core.models import PublicMixin, TimestampMixin, VersionedMixin
from enforcement.core.numbers import credential_key
from enforcement.extensions import db


class Agency(PublicMixin, TimestampMixin, VersionedMixin, db.Model):
    """执法主体: an enforcement subject with its supervision and remedy channels."""

    __tablename__ = "agencies"
    __public_entity__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    credit_code: Mapped[str] = mapped_column(String(18), nullable=False, unique=True)
    legal_status: Mapped[str] = mapped_column(String(20), nullable=False)  # LegalStatus
    duties: Mapped[str] = mapped_column(Text, nullable=False, default="")
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    supervision_phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    supervision_channels: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reconsideration_body: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    reconsideration_days: Mapped[int] = mapped_column(Integer, nullable=False, default=60)
    litigation_court: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    litigation_months: Mapped[int] = mapped_column(Integer, nullable=False, default=6)
    entrusted_by: Mapped[str] = mapped_column(String(120), nullable=False, default="")


class Officer(PublicMixin, TimestampMixin, VersionedMixin, db.Model):
    """执法人员. Public: name, credential number, category, agency. Private: phone, ID number."""

    __tablename__ = "officers"
    __public_entity__ = "officer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    credential_number: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)  # as written
    # core.numbers.credential_key(credential_number): uniqueness and every look-up (check page, imports, search)
    credential_key: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    category: Mapped[str] = mapped_column(String(60), nullable=False, default="综合执法")
    credential_issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    credential_expires_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="valid")  # CredentialStatus
    has_legal_qualification: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Private: kept for administration, never in a public projection.
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    id_number: Mapped[str] = mapped_column(String(18), nullable=False, default="")
    agency: Mapped[Agency] = relationship()

    @validates("credential_number")
    def _keep_key(self, _name: str, value: str) -> str:
        self.credential_key = credential_key(value)
        return value

    def credential_valid_on(self, day: date) -> bool:
        return self.status == "valid" and self.credential_issued_on <= day <= self.credential_expires_on


class Power(PublicMixin, TimestampMixin, VersionedMixin, db.Model):
    """职权清单 entry: a power with its legal basis to the article."""

    __tablename__ = "powers"
    __public_entity__ = "power"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False, index=True)  # PowerCategory
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    discretion: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source: Mapped[str] = mapped_column(String(120), nullable=False, default="")  # e.g. 下放 2020-07-01
    agency: Mapped[Agency] = relationship()
    basis: Mapped[list[PowerBasis]] = relationship(
        back_populates="power", cascade="all, delete-orphan", order_by="PowerBasis.position"
    )


class PowerBasis(db.Model):
    """A power's legal basis: one article of one law version."""

    __tablename__ = "power_basis"
    __table_args__ = (UniqueConstraint("power_id", "article_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    power_id: Mapped[int] = mapped_column(ForeignKey("powers.id", ondelete="CASCADE"), nullable=False, index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("law_articles.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    power: Mapped[Power] = relationship(back_populates="basis")
    article = relationship("LawArticle")

    def change_log_key(self) -> tuple[str, int]:
        return "power", self.power_id


class ProcedureGuide(PublicMixin, TimestampMixin, VersionedMixin, db.Model):
    """执法流程 / service guide for one item, with ordered steps for a flowchart."""

    __tablename__ = "procedures"
    __public_entity__ = "procedure"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    item: Mapped[str] = mapped_column(String(200), nullable=False)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    receiving_office: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    approving_office: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    conditions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    time_limit: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    agency: Mapped[Agency] = relationship()
    steps: Mapped[list[ProcedureStep]] = relationship(
        back_populates="procedure", cascade="all, delete-orphan", order_by="ProcedureStep.position"
    )


class ProcedureStep(db.Model):
    __tablename__ = "procedure_steps"
    __table_args__ = (UniqueConstraint("procedure_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    procedure: Mapped[ProcedureGuide] = relationship(back_populates="steps")

    def change_log_key(self) -> tuple[str, int]:
        return "procedure", self.procedure_id


class InspectionItem(PublicMixin, TimestampMixin, VersionedMixin, db.Model):
    """随机抽查事项清单: 序号, 检查项目, 检查子项, 检查主体, 检查依据, 检查方式, 检查内容, 备注."""

    __tablename__ = "inspection_items"
    __public_entity__ = "inspection_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    item: Mapped[str] = mapped_column(String(200), nullable=False)
    sub_item: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    method: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    remark: Mapped[str] = mapped_column(Text, nullable=False, default="")
    agency: Mapped[Agency] = relationship()
