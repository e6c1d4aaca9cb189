"""Hours: partial attendance, self-study, year boundaries, pro-rata progress, per-subject minimums."""

from datetime import date
from decimal import Decimal

import pytest

from enforcement.core import settings
from enforcement.core.errors import RuleViolation
from enforcement.training import courses
from enforcement.training.services import officer_standing, team_compliance
from tests.training.helpers import TODAY, make_world


@pytest.fixture
def world(app):
    return make_world()


def sign_in(world, session, officer, hours, today=TODAY):
    return courses.record_sign_in(session, officer, hours, today=today, recorded_by="supervisor")


def test_partial_attendance_credits_only_the_hours_attended(world):
    wang = world.officers[0]
    sign_in(world, world.gas_session, wang, "5.5")
    standing = officer_standing(wang.id, TODAY)
    assert standing.earned_hours == Decimal("5.5")
    assert standing.subject_hours == {"gas": Decimal("5.5")}


def test_more_hours_than_the_session_lasted_are_refused(world):
    with pytest.raises(RuleViolation, match="不能超过本场次学时"):
        sign_in(world, world.penalty_session, world.officers[0], 5)
    with pytest.raises(RuleViolation, match="0.5"):
        sign_in(world, world.penalty_session, world.officers[0], "1.25")


def test_an_officer_is_signed_in_once_per_session_and_a_full_session_takes_nobody_else(world):
    a, b, c = world.officers
    sign_in(world, world.gas_session, a, 8)
    with pytest.raises(RuleViolation, match="已登记"):
        sign_in(world, world.gas_session, a, 8)
    sign_in(world, world.gas_session, b, 8)
    with pytest.raises(RuleViolation, match="满员"):
        sign_in(world, world.gas_session, c, 8)


def test_a_session_in_the_future_cannot_be_signed_in(world):
    with pytest.raises(RuleViolation, match="未来"):
        sign_in(world, world.gas_session, world.officers[0], 8, today=date(2026, 4, 8))


def test_self_study_is_recorded_by_the_officer_with_evidence_inside_its_window(world):
    wang = world.officers[0]
    with pytest.raises(RuleViolation, match="凭证"):
        courses.record_self_study(world.self_study, wang, 2, date(2026, 11, 1), " ", today=TODAY, recorded_by="officer")
    with pytest.raises(RuleViolation, match="之间"):
        courses.record_self_study(world.self_study, wang, 2, date(2026, 9, 30), "学习记录 001", today=TODAY,
                                  recorded_by="officer")
    with pytest.raises(RuleViolation, match="未来"):
        courses.record_self_study(world.self_study, wang, 2, date(2026, 12, 1), "学习记录 001", today=TODAY,
                                  recorded_by="officer")
    attendance = courses.record_self_study(world.self_study, wang, 2, date(2026, 11, 1), "学习记录 001", today=TODAY,
                                           recorded_by="officer")
    assert attendance.source == "self_recorded" and attendance.evidence == "学习记录 001"
    assert officer_standing(wang.id, TODAY).subject_hours == {"other": Decimal("2.0")}


def test_an_officer_cannot_record_their_own_centralised_attendance(world):
    with pytest.raises(RuleViolation, match="培训组织者"):
        courses.record_self_study(world.penalty_session, world.officers[0], 4, date(2026, 3, 12), "我去了",
                                  today=TODAY, recorded_by="officer")


def test_hours_count_in_the_calendar_year_they_were_earned(world):
    wang = world.officers[0]
    sign_in(world, world.december, wang, 3)  # 2025-12-31
    assert officer_standing(wang.id, date(2025, 12, 31)).earned_hours == Decimal("3.0")
    assert officer_standing(wang.id, date(2026, 1, 1)).earned_hours == Decimal("0.0")
    sign_in(world, world.penalty_session, wang, 4)  # 2026-03-12
    assert officer_standing(wang.id, date(2026, 3, 11)).earned_hours == Decimal("0.0")
    assert officer_standing(wang.id, date(2026, 3, 12)).earned_hours == Decimal("4.0")
    assert officer_standing(wang.id, date(2026, 12, 31)).earned_hours == Decimal("4.0")


def test_progress_is_expected_pro_rata_by_completed_month(world):
    wang = world.officers[0]
    january = officer_standing(wang.id, date(2026, 1, 20))
    assert january.expected_hours_by_now == Decimal("0.0") and not january.behind
    sign_in(world, world.penalty_session, wang, 4)
    sign_in(world, world.gas_session, wang, 8)
    april = officer_standing(wang.id, date(2026, 4, 30))  # three months done: 15 of 60 expected
    assert april.expected_hours_by_now == Decimal("15.0")
    assert april.earned_hours == Decimal("12.0") and april.behind
    assert april.remaining_hours == Decimal("48.0")


def test_the_annual_requirement_is_a_setting(world):
    settings.set_value("training_hours_per_year", 12)
    wang = world.officers[0]
    sign_in(world, world.penalty_session, wang, 4)
    sign_in(world, world.gas_session, wang, 8)
    standing = officer_standing(wang.id, date(2026, 6, 1))
    assert standing.required_hours == 12 and standing.earned_hours >= standing.required_hours
    assert not standing.behind


def test_per_subject_minimums_report_what_is_still_missing(world):
    wang = world.officers[0]
    sign_in(world, world.penalty_session, wang, 3)
    standing = officer_standing(wang.id, TODAY)
    assert standing.subject_shortfalls == {"penalty_law": Decimal("13.0"), "gas": Decimal("8.0"),
                                           "three_systems": Decimal("8.0"), "local_rules": Decimal("4.0")}
    settings.set_value("training_min_hours_penalty_law", 3)
    settings.set_value("training_min_hours_three_systems", 0)
    standing = officer_standing(wang.id, TODAY)
    assert "penalty_law" not in standing.subject_shortfalls and "three_systems" not in standing.subject_shortfalls
    assert not standing.compliant  # 3 of 60 hours


def test_compliant_needs_the_annual_hours_and_every_subject_minimum(world):
    settings.set_value("training_hours_per_year", 12)
    for key in ("training_min_hours_three_systems", "training_min_hours_local_rules"):
        settings.set_value(key, 0)
    settings.set_value("training_min_hours_penalty_law", 4)
    wang = world.officers[0]
    sign_in(world, world.gas_session, wang, 8)
    sign_in(world, world.penalty_session, wang, "3.5")
    assert not officer_standing(wang.id, TODAY).compliant  # 11.5 h, penalty law 0.5 short
    courses.record_self_study(world.self_study, wang, 1, date(2026, 11, 2), "学习记录 002", today=TODAY,
                              recorded_by="officer")
    standing = officer_standing(wang.id, TODAY)
    assert standing.earned_hours == Decimal("12.5") and standing.subject_shortfalls == {"penalty_law": Decimal("0.5")}
    assert not standing.compliant


def test_team_compliance_lists_the_behind_and_credentials_expiring_or_expired(world):
    a, b, c = world.officers
    sign_in(world, world.gas_session, a, 8)
    team = team_compliance(date(2026, 11, 28))
    assert {r.officer.name for r in team.behind} == {"王强", "李娜", "赵敏"}
    states = {r.officer.name: r.credential for r in team.rows}
    assert states == {"王强": "valid", "李娜": "valid", "赵敏": "expiring"}  # expires 2026-12-20: within 60 days
    assert team_compliance(date(2026, 12, 21)).credential_alerts[0].credential == "expired"
    settings.set_value("credential_warning_days", 10)
    assert {r.officer.name: r.credential for r in team_compliance(date(2026, 11, 28)).rows}["赵敏"] == "valid"
