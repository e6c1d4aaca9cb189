"""Each rule refuses the unlawful step with a clear message, changes nothing, and leaves a refusal in the audit log."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from enforcement.core import settings
from enforcement.disclosure import lifecycle
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import (
    TODAY,
    assert_refused,
    make_draft,
    mask_everything,
)

FULL_CHECKLIST = {key: True for key, _label in lifecycle.REVIEW_CHECKLIST}

town = fixtures.town  # the shared fixture


def officer_id(number: str) -> int:
    return db.session.scalar(select(Officer.id).where(Officer.credential_number == number))


def review(d, reviewer, passed=True, checklist=FULL_CHECKLIST, opinion="事实清楚，程序合法，同意。"):
    r = lifecycle.record_review(d, reviewer, passed=passed, opinion=opinion, checklist=checklist,
                               reviewed_on=TODAY, today=TODAY)
    db.session.commit()
    return r


# --- Two officers with valid credentials, not recused (行政处罚法 arts. 42, 43) ----------------

def test_one_officer_cannot_decide(town):
    d = make_draft(officers=["11011500001"])
    assert_refused(lambda: lifecycle.decide(d, TODAY, today=TODAY), "执法人员不得少于2人", d, "decision.decide")


def test_an_officer_whose_credential_lapsed_does_not_count(town):
    d = make_draft(officers=["11011500001", "11011500003"])
    refusal = assert_refused(lambda: lifecycle.decide(d, TODAY, today=TODAY), "有效承办人员1人", d)
    assert "赵六（11011500003）的执法证在2026-11-27不在有效状态" in refusal.message


def test_a_credential_is_judged_on_the_decision_date(town):
    d = make_draft(officers=["11011500001", "11011500003"], filed_on="2020-10-01")
    lifecycle.decide(d, date(2020, 12, 1), today=TODAY)  # 赵六's credential was valid until 2021-01-01
    assert d.status == "decided"


def test_a_suspended_credential_does_not_count(town):
    db.session.get(Officer, officer_id("11011500002")).status = "suspended"
    db.session.commit()
    d = make_draft()
    assert_refused(lambda: lifecycle.decide(d, TODAY, today=TODAY), "李娜（11011500002）的执法证", d)


def test_a_recused_officer_leaves_the_case_and_cannot_be_put_back(town):
    d = make_draft()
    lifecycle.recuse(d, officer_id("11011500002"), "与当事人系近亲属", "officer")
    db.session.commit()
    assert [o.name for o in d.officers] == ["王强"]
    assert_refused(lambda: lifecycle.decide(d, TODAY, today=TODAY), "执法人员不得少于2人", d)
    from tests.disclosure.test_lifecycle_fixtures import draft_input
    refusal = assert_refused(lambda: lifecycle.save_draft(d, draft_input(), d.version), "李娜已申请回避本案", d)
    assert refusal.field == "officers"


def test_a_recusal_needs_a_reason(town):
    d = make_draft()
    assert_refused(lambda: lifecycle.recuse(d, officer_id("11011500002"), " ", "officer"), "请填写回避理由", d)


# --- Major decisions need a passing legal review (art. 58) ----------------------------------

def test_a_large_fine_makes_a_decision_major(town):
    d = make_draft(fine_amount="8000", result="罚款8,000元")
    assert d.is_major and "罚款超过5,000元（个人）" in d.major_reasons


def test_the_local_threshold_is_a_setting(town):
    settings.set_value("major_fine_person", 10000)
    db.session.commit()
    assert not make_draft(fine_amount="8000").is_major


def test_the_officer_can_flag_a_case_as_major(town):
    d = make_draft(is_major=True)
    assert d.is_major and lifecycle.major_reasons(d) == [lifecycle.OFFICER_FLAG]


def test_a_major_decision_cannot_be_decided_or_published_without_review(town):
    d = make_draft(fine_amount="8000")
    assert_refused(lambda: lifecycle.decide(d, TODAY, today=TODAY), "未经法制审核通过", d, "decision.decide")
    assert_refused(lambda: lifecycle.publish(d, today=TODAY), "未经法制审核通过", d, "decision.publish")


def test_a_reviewer_without_the_legal_qualification_is_refused(town):
    d = make_draft(fine_amount="8000")
    lifecycle.submit_for_review(d)
    db.session.commit()
    assert_refused(lambda: review(d, town.unqualified_reviewer), "未取得法律职业资格", d, "decision.review")


def test_a_reviewer_who_worked_on_the_case_is_refused(town):
    d = make_draft(fine_amount="8000")
    lifecycle.submit_for_review(d)
    db.session.commit()
    assert_refused(lambda: review(d, town.reviewer_on_case), "参与了本案办理", d)


def test_an_officer_cannot_review(town):
    d = make_draft(fine_amount="8000")
    lifecycle.submit_for_review(d)
    db.session.commit()
    assert_refused(lambda: review(d, town.officer), "只有法制审核人员", d)


def test_a_pass_needs_every_checklist_item_and_an_opinion(town):
    d = make_draft(fine_amount="8000")
    lifecycle.submit_for_review(d)
    db.session.commit()
    partial = {**FULL_CHECKLIST, "referral": False}
    refusal = assert_refused(lambda: review(d, town.reviewer, checklist=partial), "尚未确认", d)
    assert "涉嫌犯罪的已移送司法机关" in refusal.message
    assert_refused(lambda: review(d, town.reviewer, opinion=""), "请填写书面审核意见", d)


def test_a_failed_review_returns_the_case_to_draft(town):
    d = make_draft(fine_amount="8000")
    lifecycle.submit_for_review(d)
    review(d, town.reviewer, passed=False, checklist={}, opinion="证据不足，请补充现场检查笔录。")
    assert d.status == "draft"
    assert_refused(lambda: lifecycle.decide(d, TODAY, today=TODAY), "未经法制审核通过", d)


def test_a_passing_review_records_opinion_date_and_checklist_and_allows_the_decision(town):
    d = make_draft(fine_amount="8000")
    lifecycle.submit_for_review(d)
    r = review(d, town.reviewer)
    assert (r.passed, r.reviewed_on, r.opinion) == (True, TODAY, "事实清楚，程序合法，同意。")
    assert '"referral": true' in r.checklist
    lifecycle.decide(d, TODAY, today=TODAY)
    mask_everything(d)
    lifecycle.publish(d, today=TODAY)
    assert d.status == "published"


def test_a_case_that_is_not_major_needs_no_review(town):
    d = make_draft()
    assert_refused(lambda: lifecycle.submit_for_review(d), "无需法制审核", d)


# --- Simple procedure limits (art. 51) -------------------------------------------------------

def test_simple_procedure_is_limited_to_200_yuan_for_a_person(town):
    refusal = assert_refused(lambda: make_draft(procedure="simple", fine_amount="500"), "不得超过200元")
    assert refusal.field == "procedure"
    assert make_draft(procedure="simple", fine_amount="200").procedure == "simple"


def test_simple_procedure_is_limited_to_3000_yuan_for_an_organisation(town):
    org = {"party_type": "organisation", "party_name": "北京某某餐饮有限公司", "party_credit_code": "91110115MA01ABCD1J"}
    assert_refused(lambda: make_draft(procedure="simple", fine_amount="3500", **org), "不得超过3,000元")


def test_simple_procedure_cannot_suspend_a_business(town):
    assert_refused(lambda: make_draft(procedure="simple", penalty_kinds=["fine", "suspension"]), "只能给予警告或者罚款")


def test_a_limit_changed_after_drafting_is_checked_again_when_deciding(town):
    d = make_draft(procedure="simple", fine_amount="200")
    settings.set_value("simple_fine_limit_person", 100)
    db.session.commit()
    assert_refused(lambda: lifecycle.decide(d, TODAY, today=TODAY), "不得超过100元", d)


# --- Dates ------------------------------------------------------------------------------------

def test_a_decision_cannot_be_dated_in_the_future_or_before_filing(town):
    d = make_draft()
    assert_refused(lambda: lifecycle.decide(d, date(2026, 12, 1), today=TODAY), "不能晚于今天", d)
    assert_refused(lambda: lifecycle.decide(d, date(2026, 10, 1), today=TODAY), "不能早于立案日期", d)
