"""The supervisor's audit: checks over the whole database, each returning drill-down findings.

Every check is a function (scope) -> CheckResult, registered in ``CHECKS`` in
the order the dashboard and ``flask audit check`` show them. Checks read
columns with set-based queries (no per-row ORM loading), so they run over the
full history; deadlines come from the disclosure rules and the official
working-day calendar, through one precomputed table per run.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_

from enforcement.core import calendar
from enforcement.disclosure.models import Decision


@dataclass(frozen=True)
class Scope:
    """What a run covers: a year of decisions (None: all), one agency (None: all), as of ``today``."""

    today: date
    year: int | None = None
    agency_id: int | None = None

    def decisions(self, stmt: Select, column=Decision.decided_on) -> Select:
        if self.year is not None:  # a date range, not extract(year): an index on the column can serve it
            stmt = stmt.where(column >= date(self.year, 1, 1), column < date(self.year + 1, 1, 1))
        if self.agency_id is not None:
            stmt = stmt.where(Decision.agency_id == self.agency_id)
        return stmt


@dataclass
class Item:
    """One failing record, with where to look at it."""

    entity: str
    entity_id: int | str
    label: str
    message: str
    agency_id: int | None = None
    on: date | None = None

    @property
    def url(self) -> str:
        return f"/audit/items/{self.entity}/{self.entity_id}"

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "entity_id": self.entity_id, "label": self.label, "message": self.message,
                "agency_id": self.agency_id, "date": self.on.isoformat() if self.on else None, "url": self.url}


@dataclass
class CheckResult:
    code: str
    title: str
    rule: str  # the rule checked, with its figure, as the supervisor reads it
    checked: int = 0
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    table: dict[str, Any] | None = None  # optional statistics: {"columns": [...], "rows": [[...]]}
    informational: bool = False  # items are facts to publish (explicit zeros), not violations

    @property
    def failed(self) -> int:
        return 0 if self.informational else len(self.items)

    @property
    def passed(self) -> bool:
        return self.informational or not self.items

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "rule": self.rule, "checked": self.checked,
                "failed": self.failed, "passed": self.passed, "informational": self.informational, "notes": self.notes, "table": self.table,
                "items": [i.as_dict() for i in self.items]}


class WorkingDays:
    """Deadlines for many start dates at once: the working days of the span, listed once, then bisected."""

    def __init__(self, cal: calendar.WorkingDayCalendar | None = None):
        self._cal = cal or calendar.current()
        self._days: list[date] = []
        self._start: date | None = None
        self._end: date | None = None
        self._unknown: set[int] = set()
        self.provisional_years: set[int] = set()  # unknown years that a returned figure depended on

    def _is_working(self, day: date) -> bool:
        try:
            return self._cal.is_working_day(day)
        except calendar.UnknownYear:
            self._unknown.add(day.year)
            return day.weekday() < 5

    def _used(self, start: date, end: date) -> None:
        self.provisional_years.update(y for y in range(start.year, end.year + 1) if y in self._unknown)

    def _cover(self, start: date, end: date) -> None:
        if self._start is not None and self._start <= start and end <= self._end:
            return
        lo = min(start, self._start or start)
        hi = max(end, self._end or end)
        self._days = [d for d in (lo + timedelta(i) for i in range((hi - lo).days + 1)) if self._is_working(d)]
        self._start, self._end = lo, hi

    def due(self, start: date, n: int) -> date:
        """The n-th working day after ``start``, as ``calendar.add_working_days`` counts it."""
        self._cover(start, start + timedelta(days=n * 2 + 40))
        i = bisect.bisect_right(self._days, start) + n - 1
        while i >= len(self._days):
            self._cover(start, self._end + timedelta(days=60))
        self._used(start, self._days[i])
        return self._days[i]

    def count_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end."""
        self._cover(start, end)
        self._used(start, end)
        return bisect.bisect_right(self._days, end) - bisect.bisect_right(self._days, start)

    def note(self) -> list[str]:
        if not self.provisional_years:
            return []
        years = "、".join(str(y) for y in sorted(self.provisional_years))
        return [f"{years}年的法定节假日安排尚未录入，涉及这些年份的期限按周一至周五暂定计算"]


CheckFn = Callable[[Scope], CheckResult]
CHECKS: list[tuple[str, CheckFn]] = []


def check(code: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append((code, fn))
        return fn

    return register


def check_codes() -> list[str]:
    from enforcement.audit import checks_decisions, checks_public  # noqa: F401  (register the checks)
    from enforcement.requests import checks as _requests_checks  # noqa: F401  (依申请公开)

    return [code for code, _fn in CHECKS]


def run_checks(scope: Scope, codes: list[str] | None = None) -> list[CheckResult]:
    check_codes()
    return [fn(scope) for code, fn in CHECKS if codes is None or code in codes]


def decided(stmt: Select) -> Select:
    """Decisions that were actually made (not drafts, not in review)."""
    return stmt.where(and_(Decision.decided_on.is_not(None), Decision.status.not_in(("draft", "in_review"))))
