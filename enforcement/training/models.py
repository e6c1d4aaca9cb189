"""Training records: courses, sessions, attendance, the question bank, attempts, certificates.

Hours are stored as Numeric(5, 1) and handled as Decimal, so sums of half hours
never drift. None of these tables is public; the only public reading is the
certificate check, which shows name, course, date and hours.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.models import TimestampMixin, utcnow
from enforcement.extensions import db

Hours = Numeric(5, 1)

course_articles = Table(
    "training_course_articles",
    db.metadata,
    Column("course_id", ForeignKey("training_courses.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("law_articles.id"), primary_key=True, index=True),
)


class Course(TimestampMixin, db.Model):
    """A course on one subject, with its nominal hours, materials and the articles it teaches."""

    __tablename__ = "training_courses"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    subject: Mapped[str] = mapped_column(String(20), nullable=False, index=True)  # TrainingSubject
    hours: Mapped[Decimal] = mapped_column(Hours, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    materials: Mapped[str] = mapped_column(Text, nullable=False, default="")  # one per line: title | link
    articles = relationship("LawArticle", secondary=course_articles, order_by="LawArticle.id")
    sessions: Mapped[list[TrainingSession]] = relationship(back_populates="course", order_by="TrainingSession.held_on")
    assessment: Mapped[Assessment | None] = relationship(back_populates="course", uselist=False)

    @property
    def material_list(self) -> list[tuple[str, str]]:
        items = []
        for line in self.materials.splitlines():
            if line.strip():
                title, _, link = line.partition("|")
                items.append((title.strip(), link.strip()))
        return items


class TrainingSession(TimestampMixin, db.Model):
    """One offering of a course: online/offline, centralised or self-study (open from held_on until `until`)."""

    __tablename__ = "training_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), nullable=False, index=True)
    mode: Mapped[str] = mapped_column(String(20), nullable=False)  # SessionMode
    format: Mapped[str] = mapped_column(String(20), nullable=False)  # SessionFormat
    held_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    until: Mapped[date | None] = mapped_column(Date)  # self-study: last day it can be studied
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    instructor: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[Decimal] = mapped_column(Hours, nullable=False)
    course: Mapped[Course] = relationship(back_populates="sessions")
    attendances: Mapped[list[Attendance]] = relationship(back_populates="session", order_by="Attendance.id")

    @property
    def is_self_study(self) -> bool:
        return self.format == "self_study"

    @property
    def label(self) -> str:
        return f"{self.course.title}（{self.held_on.isoformat()}）"


class Attendance(db.Model):
    """Hours credited to one officer for one session; partial attendance credits fewer hours.

    One row per officer and centralised session (``courses.record_sign_in`` refuses a second); a
    self-study period may hold several rows, one per approved ``SelfStudyClaim``."""

    __tablename__ = "training_attendance"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), nullable=False, index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), nullable=False, index=True)
    attended_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    hours: Mapped[Decimal] = mapped_column(Hours, nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # AttendanceSource
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    session: Mapped[TrainingSession] = relationship(back_populates="attendances")
    officer = relationship("Officer")


CLAIM_STATUS = {"pending": "待审核", "approved": "已通过", "rejected": "已退回"}


class SelfStudyClaim(db.Model):
    """Self-study hours an officer declares, with an evidence file; they count only once a supervisor
    approves them (the approval writes the ``Attendance`` row), never while pending or after a rejection."""

    __tablename__ = "training_self_study_claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), nullable=False, index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), nullable=False, index=True)
    attended_on: Mapped[date] = mapped_column(Date, nullable=False)
    hours: Mapped[Decimal] = mapped_column(Hours, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evidence_file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    evidence_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    evidence_size: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending", index=True)  # CLAIM_STATUS
    submitted_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    submitted_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    reviewed_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    attendance_id: Mapped[int | None] = mapped_column(ForeignKey("training_attendance.id"))
    session: Mapped[TrainingSession] = relationship()
    officer = relationship("Officer")

    @property
    def status_label(self) -> str:
        return CLAIM_STATUS.get(self.status, self.status)


class Question(db.Model):
    """A bank question tied to the law article it tests; options are a JSON list, answer letters like 'AC'."""

    __tablename__ = "training_questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    subject: Mapped[str] = mapped_column(String(20), nullable=False, index=True)  # TrainingSubject
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # QuestionKind
    stem: Mapped[str] = mapped_column(Text, nullable=False)
    options_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    answer: Mapped[str] = mapped_column(String(10), nullable=False)
    explanation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    article_id: Mapped[int] = mapped_column(ForeignKey("law_articles.id"), nullable=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    article = relationship("LawArticle")

    @property
    def options(self) -> list[str]:
        return json.loads(self.options_json)

    @property
    def lettered_options(self) -> list[tuple[str, str]]:
        return [(chr(ord("A") + i), text) for i, text in enumerate(self.options)]


class Assessment(TimestampMixin, db.Model):
    """A timed test drawn from the bank for one subject; passing it (with the hours) completes the course."""

    __tablename__ = "training_assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("training_courses.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    subject: Mapped[str] = mapped_column(String(20), nullable=False)  # TrainingSubject: the question pool
    question_count: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    time_limit_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    pass_mark: Mapped[int] = mapped_column(Integer, nullable=False, default=60)  # percent
    max_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    course: Mapped[Course | None] = relationship(back_populates="assessment")


class Attempt(db.Model):
    """One sitting of an assessment: the questions drawn, the deadline, the result."""

    __tablename__ = "training_attempts"
    __table_args__ = (UniqueConstraint("assessment_id", "officer_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("training_assessments.id"), nullable=False, index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    deadline_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress")  # ATTEMPT_STATUS
    score: Mapped[int | None] = mapped_column(Integer)  # percent
    assessment: Mapped[Assessment] = relationship()
    officer = relationship("Officer")
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.position", cascade="all, delete-orphan"
    )


ATTEMPT_STATUS = {"in_progress": "答题中", "passed": "通过", "failed": "未通过", "expired": "超时未计分"}


class AttemptAnswer(db.Model):
    __tablename__ = "training_attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("training_attempts.id", ondelete="CASCADE"), nullable=False)
    question_id: Mapped[int] = mapped_column(ForeignKey("training_questions.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    given: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    correct: Mapped[bool | None] = mapped_column(Boolean)
    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class Certificate(db.Model):
    """Proof that an officer completed a course; anyone can check it by its code."""

    __tablename__ = "training_certificates"
    __table_args__ = (UniqueConstraint("officer_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), nullable=False, index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), nullable=False, index=True)
    issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    hours: Mapped[Decimal] = mapped_column(Hours, nullable=False)
    officer = relationship("Officer")
    course: Mapped[Course] = relationship()
