"""Pure disclosure rules (deadlines, display period, what is major), from DOMAIN.md and settings.

These functions take plain values so the importer, the lifecycle services and
the supervisor's audit all apply exactly the same rule.
"""

from __future__ import annotations

import calendar as _cal
from datetime import date
from decimal import Decimal

from enforcement.core import calendar, settings
from enforcement.core.enums import DecisionKind, PartyType, PenaltyKind

HEAVY_PENALTIES = frozenset({PenaltyKind.LICENCE_REVOCATION, PenaltyKind.SUSPENSION, PenaltyKind.CLOSURE,
                             PenaltyKind.EMPLOYMENT_BAN, PenaltyKind.DOWNGRADE})
MINOR_PENALTIES = frozenset({PenaltyKind.WARNING, PenaltyKind.CRITICISM, PenaltyKind.FINE})


def is_person(party_type: str) -> bool:
    return party_type in (PartyType.PERSON, PartyType.SOLE_TRADER)


def publish_days(kind: str) -> int:
    """行政处罚/许可 within 7 working days of the decision; others within 20."""
    if kind in (DecisionKind.PENALTY, DecisionKind.LICENSING):
        return settings.get("publish_days_penalty_licensing")
    return settings.get("publish_days_other")


def publish_deadline(kind: str, decided_on: date) -> calendar.Deadline:
    return calendar.deadline(decided_on, publish_days(kind))


def withdraw_deadline(ended_on: date) -> calendar.Deadline:
    return calendar.deadline(ended_on, settings.get("withdraw_days"))


def needs_publication(kind: str, procedure: str, penalty_kinds: list[str], party_is_minor: bool) -> bool:
    """A minor's case is never published; a warning by simple procedure only if the setting says so."""
    if party_is_minor:
        return False
    warning_only = kind == DecisionKind.PENALTY and penalty_kinds == [PenaltyKind.WARNING]
    if warning_only and procedure == "simple":
        return bool(settings.get("publish_simple_warnings"))
    return True


def display_months(kind: str, penalty_kinds: list[str], fine_amount: Decimal | None, party_type: str) -> int:
    """Criticism, warnings and small fines: 3 months; everything else: 3 years (settings)."""
    if kind == DecisionKind.PENALTY and penalty_kinds and set(penalty_kinds) <= MINOR_PENALTIES:
        limit = settings.get("minor_fine_limit_person" if is_person(party_type) else "minor_fine_limit_org")
        if fine_amount is None or fine_amount <= Decimal(limit):
            return settings.get("display_months_minor")
    return settings.get("display_months_other")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def expiry_date(kind: str, penalty_kinds: list[str], fine_amount: Decimal | None, party_type: str,
                published_on: date | None) -> date | None:
    if published_on is None:
        return None
    return add_months(published_on, display_months(kind, penalty_kinds, fine_amount, party_type))


def major_reasons(kind: str, penalty_kinds: list[str], fine_amount: Decimal | None, party_type: str,
                  discretion_adjusted: bool) -> list[str]:
    """Why a decision needs legal review before it is made (empty: not major by these criteria)."""
    reasons = []
    kinds = set(penalty_kinds)
    if PenaltyKind.LICENCE_REVOCATION in kinds:
        reasons.append("吊销许可证件")
    if kinds & {PenaltyKind.SUSPENSION, PenaltyKind.CLOSURE}:
        reasons.append("责令停产停业或关闭")
    if fine_amount is not None:
        person = is_person(party_type)
        limit = Decimal(settings.get("major_fine_person" if person else "major_fine_org"))
        if fine_amount > limit:
            reasons.append(f"罚款超过{limit:,.0f}元（{'个人' if person else '单位'}）")
    if discretion_adjusted and settings.get("major_when_discretion_adjusted"):
        reasons.append("从重或从轻、减轻处罚")
    return reasons
