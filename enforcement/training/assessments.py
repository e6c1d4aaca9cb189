"""Timed assessments: drawing questions, retakes, automatic scoring.

Rules:
- An attempt draws ``question_count`` active questions of the assessment's subject at random.
- Each question scores all or nothing: a multiple-choice answer is right only if it
  picks exactly the right options (no partial credit, as in the national exams).
- The score is the percentage of right answers, rounded half up; pass at ``pass_mark``.
- Timing: the deadline is start + time limit. A submission up to GRACE_SECONDS later
  (network, a slow click) is scored; a later one is refused: the attempt is closed
  as "超时未计分" (expired, score 0), its answers are not scored, and it counts as
  one of the attempts allowed. An attempt left open past its deadline is closed the
  same way when the officer next starts one.
- Retakes: after a failed attempt, up to ``max_attempts`` attempts in all; none after a pass.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.models import utcnow
from enforcement.extensions import db
from enforcement.training.models import Assessment, Attempt, AttemptAnswer, Question

GRACE_SECONDS = 60
_system_random = random.SystemRandom()


def attempts_of(assessment: Assessment, officer_id: int) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(
        Attempt.assessment_id == assessment.id, Attempt.officer_id == officer_id).order_by(Attempt.number)))


def _expire(attempt: Attempt, now: datetime) -> None:
    attempt.status, attempt.score, attempt.submitted_at = "expired", 0, now
    for answer in attempt.answers:
        answer.correct = None
    db.session.flush()
    audit_log.record("training.attempt.expire", "training_attempt", attempt.id,
                     after={"deadline_at": attempt.deadline_at, "submitted_at": now})


def start_attempt(assessment: Assessment, officer_id: int, *, now: datetime | None = None,
                  rng: random.Random | None = None) -> Attempt:
    """The open attempt if one is still running, else a new one (if a retake is allowed)."""
    now = now or utcnow()
    previous = attempts_of(assessment, officer_id)
    for attempt in previous:
        if attempt.status == "in_progress":
            if now <= attempt.deadline_at:
                return attempt
            _expire(attempt, now)
    if any(a.status == "passed" for a in previous):
        raise RuleViolation("您已通过该考试，无需重考")
    if len(previous) >= assessment.max_attempts:
        raise RuleViolation(f"该考试最多可参加{assessment.max_attempts}次，您的考试机会已用完")
    pool = list(db.session.scalars(select(Question.id).where(
        Question.subject == assessment.subject, Question.active.is_(True)).order_by(Question.id)))
    if not pool:
        raise RuleViolation("题库中没有该科目的试题，暂不能开考")
    chosen = (rng or _system_random).sample(pool, min(assessment.question_count, len(pool)))
    attempt = Attempt(assessment_id=assessment.id, officer_id=officer_id, number=len(previous) + 1,
                      started_at=now, deadline_at=now + timedelta(minutes=assessment.time_limit_minutes))
    attempt.answers = [AttemptAnswer(question_id=qid, position=i) for i, qid in enumerate(chosen, 1)]
    db.session.add(attempt)
    db.session.flush()
    audit_log.record("training.attempt.start", "training_attempt", attempt.id,
                     after={"assessment": assessment.id, "officer_id": officer_id, "number": attempt.number})
    return attempt


def normalise_answer(given: str | list[str] | None) -> str:
    """'ca', ['C', 'A'] and 'A,C' are the same answer: 'AC'."""
    if given is None:
        return ""
    letters = given if isinstance(given, list) else list(str(given))
    return "".join(sorted({c.strip().upper() for c in letters if c.strip().isalpha()}))


def unanswered(attempt: Attempt, answers: dict[int, str | list[str]]) -> list[int]:
    """Positions (1-based, in paper order) of the questions left blank in ``answers`` (position -> letters)."""
    return [a.position for a in attempt.answers if not normalise_answer(answers.get(a.position))]


def submit_attempt(attempt: Attempt, answers: dict[int, str | list[str]], *, now: datetime | None = None) -> Attempt:
    """Score the answers (position -> letters). A late submission closes the attempt unscored (see module doc)."""
    now = now or utcnow()
    if attempt.status != "in_progress":
        raise RuleViolation("该次考试已经提交，不能再次提交")
    if now > attempt.deadline_at + timedelta(seconds=GRACE_SECONDS):
        _expire(attempt, now)
        return attempt
    right = 0
    for answer in attempt.answers:
        answer.given = normalise_answer(answers.get(answer.position))[:10]
        answer.correct = answer.given == answer.question.answer
        right += answer.correct
    total = len(attempt.answers)
    attempt.score = (right * 100 * 2 + total) // (total * 2) if total else 0
    attempt.status = "passed" if attempt.score >= attempt.assessment.pass_mark else "failed"
    attempt.submitted_at = now
    db.session.flush()
    audit_log.record("training.attempt.submit", "training_attempt", attempt.id,
                     after={"score": attempt.score, "status": attempt.status})
    if attempt.status == "passed" and attempt.assessment.course is not None:
        from enforcement.training.certificates import issue_if_complete

        issue_if_complete(attempt.officer_id, attempt.assessment.course, today=now.date())
    return attempt


def best_attempts(officer_id: int) -> dict[int, Attempt]:
    """Per assessment, the attempt that counts: a pass if any, else the latest."""
    result: dict[int, Attempt] = {}
    for attempt in db.session.scalars(select(Attempt).where(Attempt.officer_id == officer_id)
                                      .order_by(Attempt.assessment_id, Attempt.number)):
        current = result.get(attempt.assessment_id)
        if current is None or current.status != "passed":
            result[attempt.assessment_id] = attempt
    return result


def question_counts() -> dict[str, int]:
    return dict(db.session.execute(select(Question.subject, func.count()).where(Question.active.is_(True))
                                   .group_by(Question.subject)).all())
