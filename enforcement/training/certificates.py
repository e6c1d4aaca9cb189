"""Certificates for completed courses, and the public check by verification code.

A course is complete for an officer when the hours credited across its sessions
reach the course's hours and, if the course has an assessment, the officer has
passed it. The certificate is issued at that moment, once per officer and course.
The public check shows only name, course, date and hours.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from enforcement.core import audit_log
from enforcement.extensions import db
from enforcement.training.models import Attempt, Attendance, Certificate, Course, TrainingSession

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: codes are read aloud and typed
CODE_LENGTH = 12


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code


def display_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    return re.sub(r"[\s\-－—_]", "", text or "").upper()


def course_hours(officer_id: int, course: Course) -> Decimal:
    total = db.session.scalar(
        select(func.sum(Attendance.hours)).join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .where(TrainingSession.course_id == course.id, Attendance.officer_id == officer_id))
    return Decimal(total or 0)


def passed_assessment(officer_id: int, course: Course) -> bool:
    if course.assessment is None:
        return True
    return db.session.scalar(select(Attempt.id).where(
        Attempt.assessment_id == course.assessment.id, Attempt.officer_id == officer_id,
        Attempt.status == "passed").limit(1)) is not None


def issue_if_complete(officer_id: int, course: Course, *, today: date) -> Certificate | None:
    """Issue the certificate the moment the course is complete; None if not (yet) or already issued."""
    existing = db.session.scalar(select(Certificate).where(Certificate.officer_id == officer_id,
                                                           Certificate.course_id == course.id))
    if existing is not None:
        return None
    hours = course_hours(officer_id, course)
    if hours < course.hours or not passed_assessment(officer_id, course):
        return None
    certificate = Certificate(code=new_code(), officer_id=officer_id, course_id=course.id, issued_on=today,
                              hours=course.hours)
    db.session.add(certificate)
    db.session.flush()
    audit_log.record("training.certificate.issue", "training_certificate", certificate.id,
                     after={"officer_id": officer_id, "course": course.code, "issued_on": today})
    return certificate


@dataclass(frozen=True)
class VerifiedCertificate:
    """What the public may see: nothing else about the officer or the training."""

    name: str
    course: str
    issued_on: date
    hours: Decimal


def verify(code: str) -> VerifiedCertificate | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        return None
    return VerifiedCertificate(certificate.officer.name, certificate.course.title, certificate.issued_on,
                               certificate.hours)
