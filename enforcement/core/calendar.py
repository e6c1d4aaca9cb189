"""The official working-day calendar (statutory holidays and make-up working days).

Deadlines in the Administrative Penalty Law and the disclosure rules count
working days (art. 85). The library ``chinesecalendar`` knows the published
calendars; an admin can enter a year as data before the library is upgraded
(an entered year wins). A year neither knows is reported, never guessed:
``deadline`` then falls back to Mon–Fri and flags the result provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


class UnknownYear(LookupError):
    def __init__(self, year: int):
        super().__init__(f"{year}年的法定节假日安排尚未录入，无法按工作日计算")
        self.year = year


@dataclass(frozen=True)
class Deadline:
    due: date
    provisional: bool  # True when a year on the way was unknown and Mon–Fri was assumed


class WorkingDayCalendar:
    """Working days from admin-entered years (exceptions to Mon–Fri) and the library."""

    def __init__(self, entered: dict[int, dict[date, bool]] | None = None):
        self._entered = entered or {}
        self._cache: dict[date, bool] = {}

    def knows(self, year: int) -> bool:
        if year in self._entered:
            return True
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: date) -> bool:
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        if day.year in self._entered:
            result = self._entered[day.year].get(day, day.weekday() < 5)
        else:
            try:
                result = chinese_calendar.is_workday(day)
            except NotImplementedError:
                raise UnknownYear(day.year) from None
        self._cache[day] = result
        return result

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (start itself never counts)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def deadline(self, start: date, n: int) -> Deadline:
        try:
            return Deadline(self.add_working_days(start, n), False)
        except UnknownYear:
            return Deadline(MondayToFriday().add_working_days(start, n), True)


class MondayToFriday(WorkingDayCalendar):
    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5


_current: WorkingDayCalendar | None = None


def current() -> WorkingDayCalendar:
    """The calendar including admin-entered years; rebuilt after ``invalidate``."""
    global _current
    if _current is None:
        _current = WorkingDayCalendar(_load_entered_years())
    return _current


def invalidate() -> None:
    global _current
    _current = None


def _load_entered_years() -> dict[int, dict[date, bool]]:
    from flask import has_app_context
    from sqlalchemy import select

    from enforcement.core.models import CalendarDay, CalendarYear
    from enforcement.extensions import db

    if not has_app_context():
        return {}
    years = {y: {} for y in db.session.scalars(select(CalendarYear.year))}
    for day in db.session.scalars(select(CalendarDay)):
        if day.day.year in years:
            years[day.day.year][day.day] = day.is_working
    return years


def add_working_days(start: date, n: int) -> date:
    return current().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    return current().working_days_between(start, end)


def deadline(start: date, n: int) -> Deadline:
    return current().deadline(start, n)
