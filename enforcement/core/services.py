"""Core write services (add and flush; the request or command commits)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, extract

from enforcement.core import audit_log
from enforcement.core.models import CalendarDay, CalendarYear
from enforcement.extensions import db


def enter_calendar_year(year: int, lines: list[str], source: str = "") -> int:
    """Replace YEAR's exceptions with 'YYYY-MM-DD 休|班 [name]' lines; validate all first."""
    days: list[CalendarDay] = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 2 or parts[1] not in ("休", "班"):
            raise ValueError(f"第{n}行：格式应为“YYYY-MM-DD 休|班 名称”")
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            raise ValueError(f"第{n}行：日期无效") from None
        if day.year != year:
            raise ValueError(f"第{n}行：日期不在{year}年")
        days.append(CalendarDay(day=day, is_working=parts[1] == "班", name=parts[2] if len(parts) > 2 else ""))
    if not days:
        raise ValueError("文件中没有任何节假日或调休安排")
    db.session.execute(delete(CalendarDay).where(extract("year", CalendarDay.day) == year))
    year_row = db.session.get(CalendarYear, year) or CalendarYear(year=year)
    year_row.source = source
    db.session.add(year_row)
    db.session.add_all(days)
    db.session.flush()
    audit_log.record("calendar.enter_year", "calendar", year, after={"days": len(days), "source": source})
    return len(days)
