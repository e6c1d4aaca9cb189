"""The law library: statutes by version, article by article."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import PublicMixin
from enforcement.extensions import db


def _adopted(context) -> date:
    return context.get_current_parameters()["version_date"]


class Law(db.Model):
    """One version of a statute.

    ``version_date`` is the day the version was adopted (its revision date, the
    date in the file name); ``in_force_from`` the day it took effect (the header's
    ``… 施行`` line, else the adoption date); ``in_force_until`` the day before the
    next version took effect (None while no later version is in force or known).
    """

    __tablename__ = "laws"
    __table_args__ = (UniqueConstraint("title", "version_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    version_date: Mapped[date] = mapped_column(Date, nullable=False)
    in_force_from: Mapped[date] = mapped_column(Date, nullable=False, default=_adopted)
    in_force_until: Mapped[date | None] = mapped_column(Date)
    preamble: Mapped[str] = mapped_column(Text, nullable=False, default="")
    articles: Mapped[list[LawArticle]] = relationship(
        back_populates="law", order_by="LawArticle.number", cascade="all, delete-orphan"
    )

    @property
    def display_title(self) -> str:
        return f"《{self.title}》（{self.version_date.isoformat()}版）"

    @property
    def effective_from(self) -> date:
        """The day this version took effect (before a flush, the adoption date if not set)."""
        return self.in_force_from or self.version_date

    def in_force_on(self, day: date) -> bool:
        """Whether this version is the one in force on ``day`` (as far as the stored interval says)."""
        return self.effective_from <= day and (self.in_force_until is None or day <= self.in_force_until)


class LawArticle(PublicMixin, db.Model):
    __tablename__ = "law_articles"
    __public_entity__ = "article"
    __table_args__ = (UniqueConstraint("law_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("laws.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    label: Mapped[str] = mapped_column(String(20), nullable=False)  # 第二十七条
    chapter: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    text: Mapped[str] = mapped_column(Text, nullable=False)
    law: Mapped[Law] = relationship(back_populates="articles")

    @property
    def citation(self) -> str:
        return f"《{self.law.title}》{self.label}"

    @property
    def versioned_citation(self) -> str:
        """《title》（YYYY-MM-DD版）第N条: the citation with the version it was read from, for pages."""
        return f"《{self.law.title}》（{self.law.version_date.isoformat()}版）{self.label}"
