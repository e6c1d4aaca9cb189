"""The working-day calendar: official holidays and make-up days, unknown years reported."""

from datetime import date

import pytest

from enforcement.core import calendar
from enforcement.core.calendar import UnknownYear, WorkingDayCalendar
from enforcement.core.services import enter_calendar_year

cal = WorkingDayCalendar()


def test_national_day_2021_is_off_and_the_make_up_saturday_works():
    assert not cal.is_working_day(date(2021, 10, 1))
    assert not cal.is_working_day(date(2021, 10, 7))
    assert cal.is_working_day(date(2021, 10, 9))  # Saturday, 调休 working day
    assert cal.is_working_day(date(2021, 9, 26))  # Sunday, 调休 working day


def test_seven_working_days_across_national_day_2021():
    assert cal.add_working_days(date(2021, 9, 30), 7) == date(2021, 10, 15)


def test_twenty_working_days_across_national_day_2021():
    assert cal.add_working_days(date(2021, 9, 28), 20) == date(2021, 11, 1)


def test_spring_festival_2026():
    # 2026 Spring Festival: 2-15 .. 2-23 off; Sat 2-14 and Sat 2-28 are working days.
    assert not cal.is_working_day(date(2026, 2, 17))
    assert cal.is_working_day(date(2026, 2, 14))
    assert cal.is_working_day(date(2026, 2, 28))
    assert cal.add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)


def test_working_days_between_counts_days_after_start_up_to_end():
    assert cal.working_days_between(date(2021, 9, 30), date(2021, 10, 15)) == 7
    assert cal.working_days_between(date(2021, 10, 15), date(2021, 9, 30)) == -7
    assert cal.working_days_between(date(2021, 10, 1), date(2021, 10, 1)) == 0


def test_unknown_year_is_reported_not_guessed():
    with pytest.raises(UnknownYear) as e:
        cal.is_working_day(date(2031, 1, 2))
    assert "2031" in str(e.value)
    assert not cal.knows(2031)


def test_deadline_into_an_unknown_year_is_flagged_provisional():
    result = cal.deadline(date(2030, 12, 30), 7)
    assert result.provisional
    assert result.due.weekday() < 5
    assert not cal.deadline(date(2021, 9, 30), 7).provisional


def test_an_admin_enters_a_new_year_as_data(app):
    lines = ["# 2031年安排（示例）", "2031-01-01 休 元旦", "2031-01-04 班 调休", "2031-01-03 休 元旦"]
    assert enter_calendar_year(2031, lines, "国办通知") == 3
    calendar.invalidate()
    current = calendar.current()
    assert current.knows(2031)
    assert not current.is_working_day(date(2031, 1, 3))  # a Friday made a holiday
    assert current.is_working_day(date(2031, 1, 4))  # a Saturday made a working day
    assert current.add_working_days(date(2030, 12, 31), 1) == date(2031, 1, 2)


def test_entering_a_year_rejects_bad_lines_and_writes_nothing(app):
    with pytest.raises(ValueError, match="第2行"):
        enter_calendar_year(2031, ["2031-01-01 休", "2031-13-01 休"])
    with pytest.raises(ValueError, match="不在2031年"):
        enter_calendar_year(2031, ["2032-01-01 休"])
    calendar.invalidate()
    assert not calendar.current().knows(2031)


def test_calendar_cli_add_year_and_show(runner, tmp_path):
    f = tmp_path / "2031.txt"
    f.write_text("2031-01-01 休 元旦\n2031-01-04 班\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "add-year", "2031", str(f)])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(args=["calendar", "show", "2031"])
    assert "2031-01-04 班" in shown.output
    assert runner.invoke(args=["calendar", "show", "2032"]).exit_code == 1
