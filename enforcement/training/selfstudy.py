"""Self-study hours: declared by the officer with an evidence file, credited only after a supervisor approves.

Rules:
- An officer declares their own self-study in an open self-study session (``format == "self_study"``),
  as many entries as they like (one per day studied, say), each with an evidence file: a screenshot or
  export of the learning platform's record, or a scan of notes (PDF, JPG, PNG; at most
  ``EVIDENCE_LIMIT`` bytes; the content must match the extension). Text alone is not evidence.
- A declaration is *pending* until a supervisor reviews it. Pending and rejected hours are not in
  ``training_attendance``, so they count toward nothing (standing, compliance, certificates, lapses).
- Approval writes the ``Attendance`` row (source 本人自学登记) on the day studied; a rejection must say why.
- Only a supervisor reviews, and never their own declaration (separation of duties, as for legal review).
- Approved plus pending hours of one officer in one session may not exceed the session's hours.

Evidence files go through the platform's one private file store (``core.storage``), named by SHA-256.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from sqlalchemy import func, select

from enforcement.core import audit_log
from enforcement.core.enums import AttendanceSource
from enforcement.core.errors import RuleViolation
from enforcement.core.models import utcnow
from enforcement.core.textsafety import visible_text
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training.courses import _add, parse_hours
from enforcement.training.models import SelfStudyClaim, TrainingSession

MB = 1024 * 1024
EVIDENCE_LIMIT = 10 * MB
EVIDENCE_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png"})
REVIEWER_ROLE = "supervisor"
MIN_REASON_LENGTH = 4


def evidence_rule_text() -> str:
    """The accepted evidence files, as the form's hint says it."""
    return f"PDF、JPG、PNG，不超过{EVIDENCE_LIMIT // MB}MB"


def claimed_hours(session: TrainingSession, officer_id: int) -> Decimal:
    """Hours of this officer in this session that are approved or still pending."""
    total = db.session.scalar(select(func.sum(SelfStudyClaim.hours)).where(
        SelfStudyClaim.session_id == session.id, SelfStudyClaim.officer_id == officer_id,
        SelfStudyClaim.status.in_(("pending", "approved"))))
    return Decimal(total or 0)


def _check_period(session: TrainingSession, attended_on: date, today: date) -> None:
    if attended_on > today:
        raise RuleViolation("不能登记未来日期的学习", field="attended_on")
    last = session.until or session.held_on
    if not session.held_on <= attended_on <= last:
        raise RuleViolation(f"自学日期应在 {session.held_on.year}年{session.held_on.month}月{session.held_on.day}日"
                            f"至 {last.year}年{last.month}月{last.day}日之间", field="attended_on")


def submit_claim(session: TrainingSession, officer: Officer, hours: object, attended_on: date, note: str, *,
                 file_name: str, stream: BinaryIO | None, today: date, submitted_by: str) -> SelfStudyClaim:
    """Record a pending declaration with its evidence file; returns the claim (status ``pending``).

    ``hours`` in steps of 0.5; ``stream`` the uploaded file (None or an empty name: refused).
    Raises RuleViolation (with ``field``) for a centralised session, a date outside the period or in
    the future, hours over what remains of the session, or a missing, oversized or mislabelled file;
    nothing is kept then (the caller rolls back).
    """
    from enforcement.disclosure.records import _store, safe_file_name  # the platform's one private file store

    if not session.is_self_study:
        raise RuleViolation("集中培训的签到由培训组织者登记，本人不能自行登记")
    hours = parse_hours(hours)
    _check_period(session, attended_on, today)
    remaining = session.hours - claimed_hours(session, officer.id)
    if hours > remaining:
        raise RuleViolation(f"本次自学共{session.hours.normalize():f}学时，您已登记（含待审核）"
                            f"{(session.hours - remaining).normalize():f}学时，最多还能登记"
                            f"{max(remaining, Decimal(0)).normalize():f}学时", field="hours")
    name = safe_file_name(file_name)
    if stream is None or not name:
        raise RuleViolation("请上传学习凭证文件（" + evidence_rule_text() + "）", field="evidence_file")
    extension = os.path.splitext(name)[1].lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise RuleViolation("学习凭证只接受" + evidence_rule_text(), field="evidence_file")
    try:
        sha, size = _store(stream, EVIDENCE_LIMIT, extension)
    except RuleViolation as e:
        raise RuleViolation(e.message, field="evidence_file") from None
    claim = SelfStudyClaim(session_id=session.id, officer_id=officer.id, attended_on=attended_on, hours=hours,
                           note=(note or "").strip()[:2000], evidence_file_name=name[:255], evidence_sha256=sha,
                           evidence_size=size, status="pending", submitted_by=submitted_by)
    db.session.add(claim)
    db.session.flush()
    audit_log.record("training.self_study.submit", "training_self_study_claim", claim.id,
                     after={"session": session.id, "officer": officer.credential_number, "hours": str(hours),
                            "date": attended_on, "evidence_sha256": sha})
    return claim


def may_review(user, claim: SelfStudyClaim) -> bool:
    """A supervisor who is not the officer who declared it."""
    return bool(user.has_role(REVIEWER_ROLE)) and getattr(user, "officer_id", None) != claim.officer_id


def _check_reviewable(user, claim: SelfStudyClaim) -> None:
    if not may_review(user, claim):
        raise RuleViolation("只有监督人员可以审核自学学时，且不能审核本人的登记")
    if claim.status != "pending":
        raise RuleViolation("该登记已审核，不能重复审核")


def approve(claim: SelfStudyClaim, user) -> SelfStudyClaim:
    """Credit the hours: an Attendance row on the day studied. Raises RuleViolation (see ``may_review``)."""
    _check_reviewable(user, claim)
    officer = db.session.get(Officer, claim.officer_id)
    evidence = f"{claim.note}（凭证文件：{claim.evidence_file_name}，SHA-256 {claim.evidence_sha256[:12]}…）".lstrip()
    attendance = _add(claim.session, officer, claim.hours, claim.attended_on, AttendanceSource.SELF_RECORDED,
                      evidence, claim.submitted_by)
    claim.status, claim.reviewed_by, claim.reviewed_at = "approved", user.username, utcnow()
    claim.attendance_id = attendance.id
    db.session.flush()
    audit_log.record("training.self_study.approve", "training_self_study_claim", claim.id,
                     after={"attendance": attendance.id, "hours": str(claim.hours)})
    return claim


def reject(claim: SelfStudyClaim, user, reason: str) -> SelfStudyClaim:
    """Refuse the hours with a reason the officer sees. Raises RuleViolation(field="reason") without one."""
    _check_reviewable(user, claim)
    reason = visible_text(reason)
    if len(reason) < MIN_REASON_LENGTH:
        raise RuleViolation(f"请填写退回理由（至少{MIN_REASON_LENGTH}个字），执法人员会看到", field="reason")
    claim.status, claim.reviewed_by, claim.reviewed_at = "rejected", user.username, utcnow()
    claim.review_reason = reason[:2000]
    db.session.flush()
    audit_log.record("training.self_study.reject", "training_self_study_claim", claim.id, after={"reason": reason})
    return claim


def pending_claims() -> list[SelfStudyClaim]:
    """The review queue, oldest first."""
    return list(db.session.scalars(select(SelfStudyClaim).where(SelfStudyClaim.status == "pending")
                                   .order_by(SelfStudyClaim.submitted_at, SelfStudyClaim.id)))


def claims_of(officer_id: int, year: int) -> list[SelfStudyClaim]:
    """An officer's declarations studied in ``year``, newest first."""
    return list(db.session.scalars(select(SelfStudyClaim).where(
        SelfStudyClaim.officer_id == officer_id, SelfStudyClaim.attended_on >= date(year, 1, 1),
        SelfStudyClaim.attended_on <= date(year, 12, 31)).order_by(SelfStudyClaim.submitted_at.desc(),
                                                                  SelfStudyClaim.id.desc())))
