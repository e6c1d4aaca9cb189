"""Assessments: automatic scoring, pass mark, retakes, the time limit, and the certificate a pass completes."""

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from enforcement.core.errors import RuleViolation
from enforcement.extensions import db
from enforcement.training import assessments, courses
from enforcement.training.certificates import verify
from enforcement.training.models import Certificate
from enforcement.training.services import officer_standing
from tests.training.helpers import TODAY, add_assessment, add_questions, make_world

START = datetime(2026, 11, 20, 9, 0)


def certificates() -> list[Certificate]:
    return list(db.session.scalars(select(Certificate)))


@pytest.fixture
def world(app):
    w = make_world()
    add_questions(w.article)
    w.exam = add_assessment(w.penalty, max_attempts=2, pass_mark=60)
    return w


def sit(world, answers_by_code, *, officer=None, start=START, minutes=10):
    officer = officer or world.officers[0]
    attempt = assessments.start_attempt(world.exam, officer.id, now=start, rng=random.Random(1))
    answers = {a.position: answers_by_code.get(a.question.code, "") for a in attempt.answers}
    return assessments.submit_attempt(attempt, answers, now=start + timedelta(minutes=minutes))


ALL_RIGHT = {"Q1": "B", "Q2": ["C", "A"], "Q3": "A"}


def test_every_right_answer_scores_full_marks_and_passes(world):
    attempt = sit(world, ALL_RIGHT)
    assert (attempt.score, attempt.status) == (100, "passed")
    assert all(a.correct for a in attempt.answers)


def test_a_multiple_choice_question_scores_only_when_exactly_right(world):
    attempt = sit(world, {"Q1": "B", "Q2": "A", "Q3": "A"})  # Q2 misses C
    assert attempt.score == 67 and attempt.status == "passed"
    with pytest.raises(RuleViolation, match="已通过"):  # no retake after a pass
        assessments.start_attempt(world.exam, world.officers[0].id, now=START + timedelta(days=1))


def test_below_the_pass_mark_fails_and_a_retake_is_allowed_up_to_the_limit(world):
    first = sit(world, {"Q1": "B"})
    assert (first.score, first.status) == (33, "failed")
    second = sit(world, {"Q1": "A", "Q2": "AB"}, start=START + timedelta(days=1))
    assert second.number == 2 and second.status == "failed" and second.score == 0
    with pytest.raises(RuleViolation, match="最多可参加2次"):
        assessments.start_attempt(world.exam, world.officers[0].id, now=START + timedelta(days=2))


def test_a_submission_after_the_time_limit_is_refused_unscored_and_counts_as_an_attempt(world):
    late = sit(world, ALL_RIGHT, minutes=20 + 2)  # limit 20 minutes, grace 1 minute
    assert (late.status, late.score) == ("expired", 0)
    assert all(a.correct is None for a in late.answers)
    on_time = sit(world, ALL_RIGHT, start=START + timedelta(days=1), minutes=20)
    assert on_time.number == 2 and on_time.status == "passed"


def test_a_submission_within_the_grace_minute_is_scored(world):
    attempt = sit(world, ALL_RIGHT, minutes=20, start=START - timedelta(seconds=50))
    assert attempt.status == "passed"


def test_restarting_returns_the_running_attempt_and_closes_an_abandoned_one(world):
    officer_id = world.officers[0].id
    running = assessments.start_attempt(world.exam, officer_id, now=START)
    assert assessments.start_attempt(world.exam, officer_id, now=START + timedelta(minutes=5)) is running
    fresh = assessments.start_attempt(world.exam, officer_id, now=START + timedelta(hours=2))
    assert running.status == "expired" and fresh.number == 2


def test_a_submitted_attempt_cannot_be_submitted_again(world):
    attempt = sit(world, {"Q1": "A"})
    with pytest.raises(RuleViolation, match="已经提交"):
        assessments.submit_attempt(attempt, {1: "B", 2: "AC", 3: "A"}, now=START + timedelta(minutes=11))
    assert attempt.status == "failed"


def test_an_empty_bank_refuses_to_start(world):
    world.exam.subject = "gas"
    with pytest.raises(RuleViolation, match="题库中没有"):
        assessments.start_attempt(world.exam, world.officers[0].id, now=START)


def test_the_certificate_comes_with_the_hours_and_the_pass_and_verifies_publicly(world):
    wang = world.officers[0]
    courses.record_sign_in(world.penalty_session, wang, 3, today=TODAY, recorded_by="supervisor")
    sit(world, ALL_RIGHT)
    assert not certificates()  # 3 of the course's 4 hours
    courses.record_sign_in(world.december, wang, 1, today=TODAY, recorded_by="supervisor")
    [certificate] = certificates()
    assert certificate.officer_id == wang.id and certificate.hours == 4
    found = verify(certificate.code.lower()[:4] + "-" + certificate.code[4:])
    assert (found.name, found.course, found.hours) == ("王强", "行政处罚法专题", 4)
    assert verify("ZZZZ-ZZZZ-ZZZZ") is None and verify("") is None


def test_hours_alone_do_not_complete_a_course_with_an_exam(world):
    courses.record_sign_in(world.penalty_session, world.officers[0], 4, today=TODAY, recorded_by="supervisor")
    assert not certificates()
    assert officer_standing(world.officers[0].id, TODAY).earned_hours == 4
