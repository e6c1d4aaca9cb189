"""The statutory clock across 2021 National Day and Spring Festival 2026 (条例 arts. 30–34).

Expected dates are counted by hand on the official calendars: 2021-10-01..07 off, Sat 2021-10-09 a
working day; 2026-02-15..23 off, Sat 2026-02-14 and Sat 2026-02-28 working days.
"""

from __future__ import annotations

from datetime import date

import pytest

from enforcement.core.errors import RuleViolation
from enforcement.requests import clock, intake, services
from tests.requests.helpers import agency, person, registered


def test_receipt_date_follows_the_channel():
    submitted = date(2021, 9, 30)
    assert clock.receipt_date("in_person", submitted, None) == submitted
    assert clock.receipt_date("registered_post", date(2021, 9, 29), date(2021, 10, 9)) == date(2021, 10, 9)
    assert clock.receipt_date("ordinary_post", submitted, None) is None  # until the office confirms
    assert clock.receipt_date("ordinary_post", submitted, date(2021, 10, 8)) == date(2021, 10, 8)
    assert clock.receipt_date("online", submitted, None) is None
    assert clock.receipt_date("fax", submitted, date(2021, 10, 8)) == date(2021, 10, 8)
    with pytest.raises(ValueError):
        clock.receipt_date("fax", submitted, date(2021, 9, 1))


def test_answer_due_twenty_working_days_across_national_day(app):
    req, _code = registered(agency(), date(2021, 9, 28))
    assert req.received_on == date(2021, 9, 28)
    assert req.due_on == date(2021, 11, 1)  # Oct 1-7 off, Sat Oct 9 counts


def test_answer_due_across_spring_festival_2026(app):
    req, _code = registered(agency(), date(2026, 2, 10))
    assert req.due_on == date(2026, 3, 16)  # Sat Feb 14 and Sat Feb 28 count, Feb 15-23 do not


def test_online_request_is_received_when_confirmed(app):
    a = agency()
    req, code = intake.submit_online(a, person(), "燃气检查计划", "electronic", "email", remote_addr="10.0.0.1",
                                     on=date(2021, 9, 30))
    assert req.status == "awaiting_receipt" and req.received_on is None and req.due_on is None
    services.confirm_receipt(req, date(2021, 10, 8), "officer")
    assert req.received_on == date(2021, 10, 8)
    assert req.due_on == date(2021, 11, 4)
    assert intake.find(req.tracking_number, code) is req
    assert intake.find(req.tracking_number, "WRONGCODE2") is None
    assert code not in req.query_code_hash


def test_registered_post_is_received_the_day_signed_for(app):
    req, _ = intake.register(agency(), person(), "燃气检查计划", "paper", "post", channel="registered_post",
                             submitted_on=date(2021, 9, 29), signed_or_confirmed_on=date(2021, 10, 9),
                             actor="officer")
    assert req.received_on == date(2021, 10, 9)
    assert req.due_on == date(2021, 11, 5)


def test_correction_within_seven_working_days_and_clock_restarts_from_the_correction(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    assert clock.correction_notice_due(req.received_on) == date(2021, 10, 13)
    services.request_correction(req, date(2021, 10, 8), "officer", "请说明所需检查计划的年份和事项")
    assert req.status == "correction" and req.due_on is None
    assert req.correction_due_on == date(2021, 10, 28)  # 15 working days after Oct 8 (Sat Oct 9 counts)
    services.receive_correction(req, date(2021, 10, 12), "需要2021年第三季度燃气安全检查计划", "public")
    assert req.status == "processing"
    assert req.clock_start == date(2021, 10, 12)
    assert req.due_on == date(2021, 11, 9)


def test_correction_notice_after_seven_working_days_is_refused(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    with pytest.raises(RuleViolation, match="7个工作日"):
        services.request_correction(req, date(2021, 10, 14), "officer", "请说明年份")


def test_only_one_correction_notice(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    services.request_correction(req, date(2021, 9, 29), "officer", "请说明年份", period_days=5)
    services.receive_correction(req, date(2021, 9, 30), "2021年", "public")
    with pytest.raises(RuleViolation, match="一次性"):
        services.request_correction(req, date(2021, 10, 8), "officer", "再说明")


def test_no_correction_in_time_lapses_the_request(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    services.request_correction(req, date(2021, 10, 8), "officer", "请说明年份")
    with pytest.raises(RuleViolation):
        services.lapse_uncorrected(req, date(2021, 10, 28), "officer")  # the last day is still open
    with pytest.raises(RuleViolation, match="补正期限"):
        services.receive_correction(req, date(2021, 10, 29), "迟到的补正", "public")
    services.lapse_uncorrected(req, date(2021, 10, 29), "officer")
    assert req.status == "closed" and req.outcome == "other.no_correction" and req.closed_on == date(2021, 10, 29)


def test_third_party_consultation_is_not_counted(app):
    req, _ = registered(agency(), date(2026, 2, 10))
    services.start_consultation(req, date(2026, 2, 13), "officer", "北京某某燃气有限公司", approved_by="刘主任")
    assert clock.consultation_due(date(2026, 2, 13)) == date(2026, 3, 12)
    assert req.status == "consulting"
    services.end_consultation(req, date(2026, 3, 4), "officer", "不同意公开其经营数据")
    consulted = req.events[-1]
    assert consulted.days == 9  # Feb 14, 24-27, 28, Mar 2-4
    assert req.due_on == date(2026, 3, 27)  # 20 + 9 working days after Feb 10
    assert req.events[-2].approved_by == "刘主任"


def test_consultation_pause_is_capped_at_fifteen_working_days(app):
    assert clock.paused_days(date(2026, 2, 13), date(2026, 3, 20)) == 15


def test_extension_needs_approval_and_at_most_twenty_days(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    with pytest.raises(RuleViolation, match="负责人"):
        services.extend(req, date(2021, 10, 29), "officer", 20, approved_by=" ", reason="涉及档案检索")
    with pytest.raises(RuleViolation, match="20"):
        services.extend(req, date(2021, 10, 29), "officer", 21, approved_by="刘主任", reason="涉及档案检索")
    services.extend(req, date(2021, 10, 29), "officer", 20, approved_by="刘主任", reason="涉及档案检索")
    assert req.due_on == date(2021, 11, 29)
    assert req.events[-1].approved_by == "刘主任"
    with pytest.raises(RuleViolation, match="20"):
        services.extend(req, date(2021, 11, 2), "officer", 1, approved_by="刘主任", reason="再延")


def test_extension_after_the_period_ran_out_is_refused(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    with pytest.raises(RuleViolation, match="届满"):
        services.extend(req, date(2021, 11, 2), "officer", 10, approved_by="刘主任", reason="迟延")


def test_warnings_before_due(app):
    assert clock.warning(date(2021, 11, 1), date(2021, 11, 2)) == "overdue"
    assert clock.warning(date(2021, 11, 1), date(2021, 10, 26)) == "soon"  # 4 working days left
    assert clock.warning(date(2021, 11, 1), date(2021, 10, 11)) == ""
