"""The demo town has a year of training behind every officer, some of them behind schedule (read-only)."""

from sqlalchemy import func, select

from enforcement.accounts.models import User
from enforcement.demo.town import TODAY
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training.certificates import verify
from enforcement.training.models import Assessment, Attempt, Attendance, Certificate
from enforcement.training.services import team_compliance


def test_every_demo_officer_trained_this_year_and_some_fell_behind(demo):
    officers = db.session.scalar(select(func.count()).select_from(Officer))
    trained = db.session.scalar(select(func.count(func.distinct(Attendance.officer_id)))
                                .where(Attendance.attended_on >= TODAY.replace(month=1, day=1)))
    assert trained == officers
    team = team_compliance(TODAY)
    assert 3 <= len(team.behind) <= officers // 3
    assert len(team.compliant) >= officers // 3
    assert any(r.lapses for r in team.rows)


def test_the_demo_officer_owes_hours_and_has_an_exam_to_take(demo):
    user = db.session.scalar(select(User).where(User.username == "officer"))
    row = next(r for r in team_compliance(TODAY).rows if r.officer.id == user.officer_id)
    assert row.standing.remaining_hours > 0
    exam = db.session.scalar(select(Assessment).where(Assessment.subject == "three_systems"))
    assert db.session.scalars(select(Attempt).where(Attempt.assessment_id == exam.id,
                                                    Attempt.officer_id == user.officer_id)).first() is None


def test_demo_certificates_verify(demo):
    certificate = db.session.scalars(select(Certificate).order_by(Certificate.id)).first()
    assert verify(certificate.code).name == certificate.officer.name
