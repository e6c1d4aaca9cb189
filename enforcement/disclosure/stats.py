"""Annual enforcement statistics: counts by kind, agency and month, fines, on-time publication.

The statistics count every decision made in the year (aggregates reveal no
one, so cases whose details are never public still count). "No cases" is
information: every kind, agency and month appears, with 0 where nothing
happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, extract, func, or_, select

from enforcement.core.enums import DecisionKind, DecisionStatus
from enforcement.disclosure.categories import today
from enforcement.disclosure.models import Agency, Decision
from enforcement.extensions import db

MIN_YEAR, MAX_YEAR = 1949, 2100
NOT_DECIDED = (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW)


@dataclass
class YearStats:
    year: int
    total: int
    by_kind: list[dict[str, Any]]  # {code, label, count, fines}
    by_agency: list[dict[str, Any]]  # {id, name, count, fines}
    by_month: list[dict[str, Any]]  # {month, label, count} for 1..12
    fines_total: Decimal
    fines_count: int
    due: int  # decisions whose publication deadline has come (or that were published)
    on_time: int
    on_time_rate: float | None  # None when nothing was due
    complete: bool  # False while the year is still running

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year, "total": self.total, "by_kind": self.by_kind, "by_agency": self.by_agency,
            "by_month": self.by_month, "fines_total": self.fines_total, "fines_count": self.fines_count,
            "publication": {"due": self.due, "on_time": self.on_time, "on_time_rate": self.on_time_rate},
            "complete": self.complete,
        }


def _made_in(year: int) -> list:
    return [Decision.decided_on.between(date(year, 1, 1), date(year, 12, 31)), Decision.status.not_in(NOT_DECIDED)]


def years() -> list[int]:
    """Years that have decisions, oldest first."""
    year = extract("year", Decision.decided_on)
    rows = db.session.scalars(select(year).where(Decision.decided_on.is_not(None)).group_by(year).order_by(year))
    return [int(y) for y in rows]


def year_stats(year: int, on: date | None = None) -> YearStats:
    on = on or today()
    made = _made_in(year)
    fine = func.coalesce(func.sum(Decision.fine_amount), 0)
    kinds = dict.fromkeys(DecisionKind.labels(), (0, Decimal(0)))
    for kind, n, fines in db.session.execute(select(Decision.kind, func.count(), fine).where(*made).group_by(Decision.kind)):
        kinds[kind] = (n, Decimal(fines))
    by_kind = [{"code": code, "label": DecisionKind.labels().get(code, code), "count": n, "fines": fines}
               for code, (n, fines) in kinds.items()]
    agencies = {a_id: [name, 0, Decimal(0)] for a_id, name in db.session.execute(select(Agency.id, Agency.name).order_by(Agency.id))}
    for a_id, n, fines in db.session.execute(
            select(Decision.agency_id, func.count(), fine).where(*made).group_by(Decision.agency_id)):
        agencies[a_id][1:] = [n, Decimal(fines)]
    by_agency = [{"id": a_id, "name": name, "count": n, "fines": fines} for a_id, (name, n, fines) in agencies.items()]
    month = extract("month", Decision.decided_on)
    months = {int(m): n for m, n in db.session.execute(select(month, func.count()).where(*made).group_by(month))}
    by_month = [{"month": m, "label": f"{m}月", "count": int(months.get(m, 0))} for m in range(1, 13)]
    total = sum(row["count"] for row in by_kind)
    fines_total, fines_count = db.session.execute(
        select(fine, func.count(Decision.fine_amount)).where(*made, Decision.fine_amount.is_not(None))).one()
    due_rule = and_(Decision.publish_due_on.is_not(None), Decision.party_is_minor.is_(False),
                    or_(Decision.published_on.is_not(None), Decision.publish_due_on < on))
    on_time_rule = and_(Decision.published_on.is_not(None), Decision.published_on <= Decision.publish_due_on)
    due, on_time = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((on_time_rule, 1), else_=0)), 0)).where(*made, due_rule)).one()
    return YearStats(
        year=year, total=total, by_kind=by_kind, by_agency=by_agency, by_month=by_month,
        fines_total=Decimal(fines_total), fines_count=int(fines_count), due=int(due), on_time=int(on_time),
        on_time_rate=round(on_time / due, 4) if due else None, complete=date(year, 12, 31) < on,
    )
