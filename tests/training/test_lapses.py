"""The supervisor's question: did anyone act on a decision while uncredentialed or behind on training?"""

from datetime import date
from decimal import Decimal

import pytest

from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from enforcement.training import courses
from enforcement.training.services import officer_standing, team_compliance, training_lapses
from tests.training.helpers import TODAY, make_world


def decision(number: str, decided_on: date, officers, agency_id: int) -> Decision:
    d = Decision(number=number, number_key=number, kind="penalty", agency_id=agency_id, party_type="organisation",
                 party_name="某餐饮公司", decided_on=decided_on, status="decided")
    d.officers = list(officers)
    db.session.add(d)
    db.session.flush()
    return d


@pytest.fixture
def world(app):
    return make_world()


def test_acting_while_behind_or_with_an_expired_credential_is_reported_per_decision(world):
    wang, li, zhao = world.officers
    agency_id = wang.agency_id
    courses.record_sign_in(world.penalty_session, wang, 4, today=TODAY, recorded_by="s")  # 2026-03-12
    courses.record_sign_in(world.gas_session, wang, 8, today=TODAY, recorded_by="s")  # 2026-04-09
    decision("罚-1", date(2026, 1, 15), [wang, li], agency_id)  # January: nothing expected yet
    decision("罚-2", date(2026, 4, 20), [wang, li], agency_id)  # 15 h expected: wang 12, li 0
    decision("罚-3", date(2026, 12, 22), [zhao], agency_id)  # zhao's credential expired 2026-12-20
    lapses = training_lapses(date(2026, 12, 31))
    found = {(lapse.decision_number, lapse.officer_name): lapse for lapse in lapses}
    assert set(found) == {("罚-2", "王强"), ("罚-2", "李娜"), ("罚-3", "赵敏")}
    assert found[("罚-2", "王强")].earned_hours == Decimal("12.0")
    assert found[("罚-2", "王强")].reasons == ["培训学时落后（12.0/15.0）"]
    assert found[("罚-3", "赵敏")].credential_invalid
    assert [lapse.decision_number for lapse in training_lapses(date(2026, 12, 31), officer_id=zhao.id)] == ["罚-3"]
    rows = {r.officer.name: r.lapses for r in team_compliance(date(2026, 12, 31)).rows}
    assert rows == {"王强": 1, "李娜": 1, "赵敏": 1}


def test_decisions_of_other_years_are_not_held_against_this_years_training(world):
    wang = world.officers[0]
    decision("罚-2025", date(2025, 6, 1), [wang], wang.agency_id)
    assert training_lapses(date(2026, 11, 28)) == []
    assert len(training_lapses(date(2025, 12, 31))) == 1


def test_officer_standing_is_the_contract_the_audit_relies_on(world):
    standing = officer_standing(world.officers[0].id, date(2026, 7, 1))
    assert (standing.required_hours, standing.earned_hours, standing.expected_hours_by_now) == (60, 0, 30)
    assert standing.behind is True
    assert set(standing.subject_shortfalls) == {"penalty_law", "gas", "three_systems", "local_rules"}
