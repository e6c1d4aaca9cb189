"""Each audit check has a case that passes and one that fails; deadlines use the official calendar.

2021 National Day: 10-01..07 off, Sat 10-09 a make-up working day. Seven working
days after Thu 2021-09-30 is therefore Fri 2021-10-15 (Mon–Fri would give 10-18).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from enforcement.accounts.services import create_user
from enforcement.disclosure.models import Agency, Decision, Law, LawArticle, LegalReview, Power
from enforcement.extensions import db
from tests.audit.helpers import add_decisions, decision, numbers, run, town

ON_TIME, LATE, UNPUBLISHED = "京兴西罚字〔2021〕第0001号", "京兴西罚字〔2021〕第0002号", "京兴西罚字〔2021〕第0003号"


def test_publication_deadline_counts_the_make_up_saturday_across_national_day(app):
    town()
    add_decisions(decision(ON_TIME, decided_on="2021-09-30", published_on="2021-10-15"),
                  decision(LATE, decided_on="2021-09-30", published_on="2021-10-18"),
                  decision(UNPUBLISHED, decided_on="2021-09-30", published_on=None, status="decided"))
    result = run("publication", date(2021, 10, 18), 2021)
    assert numbers(result) == [LATE, UNPUBLISHED]
    assert "应于2021-10-15前公示" in result.items[0].message and "逾期1个工作日" in result.items[0].message
    assert result.checked == 3
    row = next(r for r in result.table["rows"] if r[1] == "2021-09")
    assert row[2:] == [3, 1, 1, 1, "33.3%"]
    assert next(r for r in result.table["rows"] if r[1] == "2021-03")[2:] == [0, 0, 0, 0, "—"]  # explicit zero


def test_an_unpublished_decision_is_not_late_until_its_deadline_has_passed(app):
    town()
    add_decisions(decision(UNPUBLISHED, decided_on="2021-09-30", published_on=None, status="decided"))
    assert run("publication", date(2021, 10, 15)).passed
    assert not run("publication", date(2021, 10, 16)).passed


def test_other_decisions_have_twenty_working_days(app):
    town()
    add_decisions(decision(ON_TIME, kind="inspection", penalty_kinds=[], fine_amount=None,
                           decided_on="2021-09-28", published_on="2021-11-01"),
                  decision(LATE, kind="inspection", penalty_kinds=[], fine_amount=None,
                           decided_on="2021-09-28", published_on="2021-11-02"))
    assert numbers(run("publication", date(2021, 12, 1))) == [LATE]


def test_withdrawal_within_three_working_days_ending_on_the_make_up_saturday(app):
    town()
    ended = {"status": "withdrawn", "ended_on": "2021-09-29", "ended_reason": "经复议撤销",
             "withdrawal_reason": "原决定已被撤销", "decided_on": "2021-09-01", "published_on": "2021-09-03"}
    add_decisions(decision(ON_TIME, withdrawn_on="2021-10-09", **ended),
                  decision(LATE, withdrawn_on="2021-10-11", **ended),
                  decision(UNPUBLISHED, **{**ended, "status": "revoked", "withdrawal_reason": ""}))
    result = run("withdrawal", date(2021, 10, 12))
    assert numbers(result) == [LATE, UNPUBLISHED]
    assert "应于2021-10-09前撤回" in result.items[0].message


def test_expired_decision_still_marked_public_is_found(app):
    town()
    add_decisions(decision(ON_TIME, decided_on="2021-01-04", published_on="2021-01-06"),
                  decision(LATE, decided_on="2021-01-04", published_on="2021-01-06"))
    assert run("expired", date(2021, 6, 1)).passed  # 2,000 yuan fine: 3 months, stored expiry respected
    db.session.execute(update(Decision).where(Decision.number == LATE).values(expires_on=date(2030, 1, 1)))
    result = run("expired", date(2021, 6, 1))
    assert numbers(result) == [LATE] and "2021-04-06" in result.items[0].message


def test_completeness_names_each_missing_field_per_category(app):
    town()
    add_decisions(decision(ON_TIME), decision(LATE, facts="", result=""))
    result = run("completeness", date(2021, 10, 20))
    decision_items = [i for i in result.items if i.entity == "decision"]
    assert [i.label for i in decision_items] == [f"执法决定 {LATE}"]
    assert decision_items[0].message == "缺少：违法事实、处理结果"
    assert [i.message for i in result.items if i.entity == "agency"] == ["缺少：监督方式"]
    agency = db.session.scalar(select(Agency))
    agency.supervision_channels = "12345市民服务热线"
    db.session.flush()
    assert not [i for i in run("completeness", date(2021, 10, 20)).items if i.entity == "agency"]
    agency.supervision_phone = ""
    db.session.flush()
    agency_items = [i for i in run("completeness", date(2021, 10, 20)).items if i.entity == "agency"]
    assert agency_items and "监督电话" in agency_items[0].message


def test_masking_flags_a_persons_phone_wrongly_confirmed_public(app):
    town()
    add_decisions(decision(ON_TIME, decided_on="2021-09-30", published_on="2021-10-12"),
                  decision(LATE, decided_on="2021-09-30", published_on="2021-10-12",
                           facts="当事人张三（联系电话13912345678）未安装燃气泄漏报警装置。"))
    assert run("masking", date(2021, 10, 20)).passed  # the projection masks the phone
    db.session.execute(update(Decision).where(Decision.number == LATE).values(masking_confirmed="13912345678"))
    result = run("masking", date(2021, 10, 20))
    message = result.items[0].message
    assert numbers(result) == [LATE] and "电话号码“139＊＊＊＊＊＊78”" in message  # a list never shows it whole
    assert "错误地" in message and "公众看不到" in message  # says what happened and what the system did


def test_masking_accepts_an_organisations_confirmed_business_phone(app):
    town()
    add_decisions(decision(ON_TIME, party_type="organisation", party_name="北京某某餐饮有限公司",
                           party_credit_code="91110115MA0123456L", party_id_number="",
                           facts="当事人门店电话010-60251111，未安装燃气泄漏报警装置。", other_names=[]))
    db.session.execute(update(Decision).values(masking_confirmed="010-60251111"))
    assert run("masking", date(2021, 10, 20)).passed


def test_officers_two_credentialed_on_the_decision_date(app):
    town()
    add_decisions(decision(ON_TIME), decision(LATE, officers=["11011500001"]),
                  decision(UNPUBLISHED, decided_on="2019-06-03", published_on="2019-06-05"))
    result = run("officers", date(2021, 10, 20))
    assert numbers(result) == [LATE, UNPUBLISHED, UNPUBLISHED]  # one officer; two not yet credentialed in 2019
    assert result.items[0].message == "执法人员仅1名"
    assert "不在有效期内" in result.items[1].message


def test_training_behind_on_the_decision_date(app):
    town()
    add_decisions(decision(ON_TIME, decided_on="2021-01-05", published_on="2021-01-06"),
                  decision(LATE, decided_on="2021-09-30", published_on="2021-10-12"))
    result = run("training", date(2021, 10, 20))
    assert set(numbers(result)) == {LATE}  # nothing owed in January; by September both are behind
    assert result.checked == 4


def test_major_decisions_need_a_passing_review_before_the_decision(app):
    town()
    reviewer = create_user("reviewer", "reviewer-demo-2021", ["reviewer"], has_legal_qualification=True)
    major = {"party_type": "organisation", "party_name": "北京某某餐饮有限公司", "party_credit_code": "91110115MA0123456L",
             "party_id_number": "", "fine_amount": "60000", "decided_on": "2021-09-30", "published_on": "2021-10-12"}
    add_decisions(decision(ON_TIME, **major), decision(LATE, **major), decision(UNPUBLISHED, **major),
                  decision("京兴西罚字〔2021〕第0004号"))  # 2,000 yuan from a person: not major
    ids = dict(db.session.execute(select(Decision.number, Decision.id)).all())
    db.session.add_all([
        LegalReview(decision_id=ids[ON_TIME], reviewer_id=reviewer.id, reviewed_on=date(2021, 9, 29), passed=True, opinion="同意"),
        LegalReview(decision_id=ids[LATE], reviewer_id=reviewer.id, reviewed_on=date(2021, 10, 8), passed=True, opinion="同意"),
        LegalReview(decision_id=ids[UNPUBLISHED], reviewer_id=reviewer.id, reviewed_on=date(2021, 9, 29), passed=False,
                    opinion="证据不足")])
    result = run("legal_review", date(2021, 10, 20))
    assert numbers(result) == [LATE, UNPUBLISHED] and result.checked == 3
    assert "事后" in result.items[0].message or "之后" in result.items[0].message
    assert "无通过的法制审核" in result.items[1].message


def test_powers_citing_a_superseded_law_version(app):
    town()
    assert run("laws", date(2021, 10, 20)).passed
    old = db.session.scalar(select(Law))
    newer = Law(title=old.title, version_date=date(2025, 1, 1))
    newer.articles.append(LawArticle(number=59, label="第五十九条", text="修订后的条文"))
    db.session.add(newer)
    db.session.flush()
    assert run("laws", date(2024, 12, 31)).passed  # not yet in force
    result = run("laws", date(2025, 1, 2))
    power = db.session.scalar(select(Power))
    assert [i.entity_id for i in result.items] == [power.id] and "现行版本为2025-01-01版" in result.items[0].message


def test_months_without_entries_are_explicit_zeros(app):
    town()
    add_decisions(decision(ON_TIME))
    result = run("zero_months", date(2022, 3, 1), 2021)
    assert result.passed and result.informational
    penalty = next(r for r in result.table["rows"] if r[0] == "行政处罚")
    assert penalty[1:] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert "2021-01" in [i.entity_id for i in result.items] and "2021-09" not in [
        i.entity_id for i in result.items if "行政处罚" in i.message]
