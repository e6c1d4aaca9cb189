"""Requests for government information (依申请公开): the request, its clock events, replies, appeals, reports.

Applicants' identities, contacts and the text of their requests are personal
data: no model here is a ``PublicMixin`` (nothing enters the change log, the
search index or an export). The public sees a request only through
``services.public_status`` (state and dates).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import TimestampMixin, VersionedMixin, utcnow
from enforcement.extensions import db


class InfoRequest(TimestampMixin, VersionedMixin, db.Model):
    """One 政府信息公开申请, addressed to one agency."""

    __tablename__ = "info_requests"
    __table_args__ = (Index("ix_info_requests_agency_received", "agency_id", "received_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(100), nullable=False)  # "salt$sha256"
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    applicant_type: Mapped[str] = mapped_column(String(20), nullable=False)  # codes.ApplicantType
    applicant_name: Mapped[str] = mapped_column(String(120), nullable=False)
    contact_person: Mapped[str] = mapped_column(String(60), nullable=False, default="")  # organisations
    id_document_type: Mapped[str] = mapped_column(String(20), nullable=False)
    id_document_number: Mapped[str] = mapped_column(String(40), nullable=False)
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False)
    provision_form: Mapped[str] = mapped_column(String(20), nullable=False)
    delivery: Mapped[str] = mapped_column(String(20), nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    submitted_on: Mapped[date] = mapped_column(Date, nullable=False)
    received_on: Mapped[date | None] = mapped_column(Date, index=True)  # art. 31; None until confirmed
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    clock_start: Mapped[date | None] = mapped_column(Date)  # receipt, or receipt of the correction
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # Mon–Fri assumed
    correction_due_on: Mapped[date | None] = mapped_column(Date)
    # Staff's short name of the information sought, normalised for art. 44 (same information, several applicants).
    information_key: Mapped[str] = mapped_column(String(120), nullable=False, default="", index=True)
    outcome: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # codes.OUTCOMES
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    registered_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    agency = relationship("Agency")
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.id", cascade="all, delete-orphan")
    reply: Mapped[RequestReply | None] = relationship(back_populates="request", uselist=False,
                                                      cascade="all, delete-orphan")
    attachments: Mapped[list[RequestAttachment]] = relationship(order_by="RequestAttachment.id",
                                                                cascade="all, delete-orphan")
    appeals: Mapped[list[RequestAppeal]] = relationship(back_populates="request", order_by="RequestAppeal.id",
                                                        cascade="all, delete-orphan")


class RequestEvent(db.Model):
    """One step on the clock: who did it, on which day, until when, and who approved it."""

    __tablename__ = "info_request_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)  # codes.EventKind
    on: Mapped[date] = mapped_column(Date, nullable=False)
    until: Mapped[date | None] = mapped_column(Date)  # correction deadline, consultation's last day
    days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # working days (extension, pause)
    approved_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    actor: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    request: Mapped[InfoRequest] = relationship(back_populates="events")


class RequestReply(TimestampMixin, db.Model):
    """The 答复告知书: outcome, legal basis, what is provided, and the remedy channels as stated that day."""

    __tablename__ = "info_request_replies"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id", ondelete="CASCADE"), nullable=False,
                                            unique=True)
    number: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    outcome: Mapped[str] = mapped_column(String(40), nullable=False)
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reasons: Mapped[str] = mapped_column(Text, nullable=False, default="")
    provided: Mapped[str] = mapped_column(Text, nullable=False, default="")  # the information, or where it is
    public_url: Mapped[str] = mapped_column(String(300), nullable=False, default="")  # already-public page
    remedies: Mapped[str] = mapped_column(Text, nullable=False, default="")  # channels as stated in the letter
    answered_on: Mapped[date] = mapped_column(Date, nullable=False)
    answered_by: Mapped[str] = mapped_column(String(80), nullable=False)
    request: Mapped[InfoRequest] = relationship(back_populates="reply")


class RequestAttachment(db.Model):
    """A file the applicant sent, stored by SHA-256 outside the web root; staff only."""

    __tablename__ = "info_request_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class RequestAppeal(TimestampMixin, db.Model):
    """A 行政复议 or 行政诉讼 about a request, with its result (table 四)."""

    __tablename__ = "info_request_appeals"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_requests.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)  # codes.AppealKind
    filed_on: Mapped[date] = mapped_column(Date, nullable=False)
    body: Mapped[str] = mapped_column(String(200), nullable=False, default="")  # 复议机关 / 法院
    result: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")  # codes.AppealResult
    decided_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    request: Mapped[InfoRequest] = relationship(back_populates="appeals")


class SubmissionAttempt(db.Model):
    """Online submissions per address (a keyed hash, never the address), for the anti-abuse limit."""

    __tablename__ = "info_request_submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)


class AnnualReport(TimestampMixin, db.Model):
    """The 政府信息公开工作年度报告 of one agency for one year: entered figures, narrative, publication."""

    __tablename__ = "info_annual_reports"
    __table_args__ = (UniqueConstraint("agency_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    overview: Mapped[str] = mapped_column(Text, nullable=False, default="")  # 一、总体情况
    problems: Mapped[str] = mapped_column(Text, nullable=False, default="")  # 五、存在的主要问题及改进情况
    other_matters: Mapped[str] = mapped_column(Text, nullable=False, default="")  # 六、其他需要报告的事项
    # Table 二 rows without a domain yet, as entered: {"rules_made": 0, …, "fees": "0.00"} (see reports.ENTERED)
    entered: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    published_on: Mapped[date | None] = mapped_column(Date)
    published_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    agency = relationship("Agency")
