"""Hours and compliance: what each officer owes this year, who is behind, whose credential lapses.

Rules (figures are settings, see enforcement.core.settings):
- Hours count in the calendar year of the day they were earned (``attended_on``),
  up to and including the day asked about.
- ``required_hours`` is the annual requirement (training_hours_per_year).
- ``expected_hours_by_now`` is pro rata by completed months: on any day in
  March two twelfths are expected. Monthly, not daily, so an officer is not
  "behind" on 3 January; supervisors plan training by the month.
- ``behind`` means fewer hours than expected by now.
- Per-subject minimums are annual; a shortfall is what is still missing.
- Compliant for the year: the annual hours and every subject minimum met.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from enforcement.core import settings
from enforcement.core.enums import TrainingSubject
from enforcement.disclosure.models import Decision, Officer
from enforcement.disclosure.models.decisions import decision_officers
from enforcement.extensions import db
from enforcement.training.models import Attendance, Course, TrainingSession

ZERO = Decimal("0")
TENTH = Decimal("0.1")
SUBJECT_MINIMUM_SETTINGS = {
    TrainingSubject.PENALTY_LAW.value: "training_min_hours_penalty_law",
    TrainingSubject.GAS.value: "training_min_hours_gas",
    TrainingSubject.THREE_SYSTEMS.value: "training_min_hours_three_systems",
    TrainingSubject.LOCAL_RULES.value: "training_min_hours_local_rules",
}


@dataclass(frozen=True)
class Standing:
    """An officer's training position on a day (the contract issue 7's audit relies on)."""

    officer_id: int
    on: date
    required_hours: Decimal
    earned_hours: Decimal
    expected_hours_by_now: Decimal
    behind: bool
    subject_shortfalls: dict[str, Decimal]
    subject_hours: dict[str, Decimal] = field(default_factory=dict)

    @property
    def remaining_hours(self) -> Decimal:
        return max(ZERO, self.required_hours - self.earned_hours)

    @property
    def compliant(self) -> bool:
        return self.earned_hours >= self.required_hours and not self.subject_shortfalls

    @property
    def percent(self) -> int:
        if self.required_hours <= 0:
            return 100
        return min(100, int(self.earned_hours * 100 / self.required_hours))


def required_hours() -> Decimal:
    return Decimal(settings.get("training_hours_per_year"))


def subject_minimums() -> dict[str, Decimal]:
    return {subject: Decimal(settings.get(key)) for subject, key in SUBJECT_MINIMUM_SETTINGS.items()}


def expected_by(on: date, required: Decimal) -> Decimal:
    return (required * (on.month - 1) / 12).quantize(TENTH, rounding=ROUND_HALF_UP)


def _hours_by_officer_subject(on: date, officer_ids: list[int] | None) -> dict[int, dict[str, Decimal]]:
    stmt = (
        select(Attendance.officer_id, Course.subject, func.sum(Attendance.hours))
        .join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .join(Course, TrainingSession.course_id == Course.id)
        .where(Attendance.attended_on >= date(on.year, 1, 1), Attendance.attended_on <= on)
        .group_by(Attendance.officer_id, Course.subject)
    )
    if officer_ids is not None:
        stmt = stmt.where(Attendance.officer_id.in_(officer_ids))
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for officer_id, subject, hours in db.session.execute(stmt):
        result[officer_id][subject] = Decimal(hours)
    return result


def _standing(officer_id: int, on: date, by_subject: dict[str, Decimal], required: Decimal,
              minimums: dict[str, Decimal]) -> Standing:
    earned = sum(by_subject.values(), ZERO).quantize(TENTH)
    expected = expected_by(on, required)
    shortfalls = {s: (m - by_subject.get(s, ZERO)).quantize(TENTH)
                  for s, m in minimums.items() if by_subject.get(s, ZERO) < m}
    return Standing(officer_id, on, required, earned, expected, earned < expected, shortfalls,
                    {s: h.quantize(TENTH) for s, h in by_subject.items()})


def officer_standing(officer_id: int, on: date) -> Standing:
    """Hours earned in ``on``'s calendar year up to ``on``, against the requirement and subject minimums."""
    by_subject = _hours_by_officer_subject(on, [officer_id]).get(officer_id, {})
    return _standing(officer_id, on, by_subject, required_hours(), subject_minimums())


# --- credentials -------------------------------------------------------------------------------

CREDENTIAL_STATES = {
    "valid": "有效", "expiring": "即将到期", "expired": "已过期", "not_yet": "尚未生效",
    "suspended": "暂扣", "revoked": "注销",
}


def credential_state(officer: Officer, on: date) -> str:
    if officer.status != "valid":
        return officer.status
    if on < officer.credential_issued_on:
        return "not_yet"
    if on > officer.credential_expires_on:
        return "expired"
    if (officer.credential_expires_on - on).days <= settings.get("credential_warning_days"):
        return "expiring"
    return "valid"


# --- the team ----------------------------------------------------------------------------------

@dataclass
class OfficerRow:
    officer: Officer
    standing: Standing
    credential: str
    lapses: int = 0

    @property
    def credential_label(self) -> str:
        return CREDENTIAL_STATES.get(self.credential, self.credential)

    @property
    def days_to_expiry(self) -> int:
        return (self.officer.credential_expires_on - self.standing.on).days


@dataclass
class TeamCompliance:
    on: date
    rows: list[OfficerRow]

    @property
    def compliant(self) -> list[OfficerRow]:
        return [r for r in self.rows if r.standing.compliant]

    @property
    def behind(self) -> list[OfficerRow]:
        return [r for r in self.rows if r.standing.behind]

    @property
    def credential_alerts(self) -> list[OfficerRow]:
        return [r for r in self.rows if r.credential != "valid"]

    @property
    def on_track(self) -> list[OfficerRow]:
        return [r for r in self.rows if not r.standing.behind]


def team_compliance(on: date, *, agency_id: int | None = None) -> TeamCompliance:
    stmt = select(Officer).order_by(Officer.agency_id, Officer.id)
    if agency_id is not None:
        stmt = stmt.where(Officer.agency_id == agency_id)
    officers = list(db.session.scalars(stmt))
    hours = _hours_by_officer_subject(on, [o.id for o in officers] if agency_id is not None else None)
    required, minimums = required_hours(), subject_minimums()
    lapse_counts: dict[int, int] = defaultdict(int)
    for lapse in training_lapses(on):
        lapse_counts[lapse.officer_id] += 1
    rows = [OfficerRow(o, _standing(o.id, on, hours.get(o.id, {}), required, minimums), credential_state(o, on),
                       lapse_counts.get(o.id, 0)) for o in officers]
    return TeamCompliance(on, rows)


# --- acting while not qualified ----------------------------------------------------------------

@dataclass(frozen=True)
class Lapse:
    """An officer took part in a decision while their credential was invalid or their training behind."""

    decision_id: int
    decision_number: str
    decided_on: date
    officer_id: int
    officer_name: str
    credential_invalid: bool
    training_behind: bool
    earned_hours: Decimal
    expected_hours: Decimal

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.credential_invalid:
            reasons.append("执法证无效")
        if self.training_behind:
            reasons.append(f"培训学时落后（{self.earned_hours}/{self.expected_hours}）")
        return reasons


def training_lapses(on: date, *, officer_id: int | None = None) -> list[Lapse]:
    """Decisions of ``on``'s year (up to ``on``) whose officers were uncredentialed or behind on that day."""
    start = date(on.year, 1, 1)
    stmt = (
        select(Decision.id, Decision.number, Decision.decided_on, decision_officers.c.officer_id)
        .join(decision_officers, decision_officers.c.decision_id == Decision.id)
        .where(Decision.decided_on >= start, Decision.decided_on <= on)
        .order_by(Decision.decided_on, Decision.id)
    )
    if officer_id is not None:
        stmt = stmt.where(decision_officers.c.officer_id == officer_id)
    rows = db.session.execute(stmt).all()
    if not rows:
        return []
    officer_ids = {r.officer_id for r in rows}
    officers = {o.id: o for o in db.session.scalars(select(Officer).where(Officer.id.in_(officer_ids)))}
    history: dict[int, tuple[list[date], list[Decimal]]] = {}
    att = db.session.execute(
        select(Attendance.officer_id, Attendance.attended_on, Attendance.hours)
        .where(Attendance.attended_on >= start, Attendance.attended_on <= on, Attendance.officer_id.in_(officer_ids))
        .order_by(Attendance.officer_id, Attendance.attended_on))
    for oid, day, hours in att:
        days, totals = history.setdefault(oid, ([], []))
        days.append(day)
        totals.append((totals[-1] if totals else ZERO) + Decimal(hours))
    required = required_hours()
    lapses = []
    for r in rows:
        officer = officers[r.officer_id]
        days, totals = history.get(r.officer_id, ([], []))
        i = bisect.bisect_right(days, r.decided_on)
        earned = totals[i - 1] if i else ZERO
        expected = expected_by(r.decided_on, required)
        invalid = not officer.credential_valid_on(r.decided_on)
        behind = earned < expected
        if invalid or behind:
            lapses.append(Lapse(r.id, r.number, r.decided_on, officer.id, officer.name, invalid, behind,
                                earned.quantize(TENTH), expected))
    return lapses
