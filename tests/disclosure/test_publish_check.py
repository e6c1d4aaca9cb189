"""Before publishing, the officer sees the exact public projection: high-confidence private values are masked
without asking, and every lower-confidence suspect must be decided (mask or confirm public)."""

from __future__ import annotations

from sqlalchemy import select

from enforcement.disclosure import lifecycle, publish_check
from enforcement.disclosure.projection import public_decision
from enforcement.extensions import db
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import TODAY, assert_refused, make_draft

town = fixtures.town  # the shared fixture


def decided(**overrides):
    d = make_draft(**overrides)
    lifecycle.decide(d, TODAY, today=TODAY)
    db.session.commit()
    return d


def test_every_private_value_in_the_free_text_is_listed_with_what_the_public_will_see(town):
    d = decided()
    found = {(s.field, s.kind, s.value): s.replacement for s in publish_check.suspects(d)}
    assert found[("facts", "id_number", "11010519491231002X")] == "[身份证号码已隐去]"
    assert found[("facts", "phone", "13912345678")] == "[电话号码已隐去]"
    assert found[("facts", "name", "李四")] == "某某"
    assert found[("facts", "name", "张三")] == "张某"
    assert found[("party_name", "name", "张三")] == "张某"


SUSPECT_TEXT = "现场另有卡片记载号码1234 5678 9012 3457，店员马晓燕称其系抑郁症患者。"


def test_high_confidence_values_are_masked_without_asking(town):
    d = decided()
    listed = publish_check.suspects(d)
    assert listed and all(s.certain and s.choice == publish_check.MASK for s in listed)
    assert publish_check.unresolved(d) == []


def test_publishing_is_refused_until_every_suspect_has_a_choice(town):
    d = decided(facts=fixtures.draft_input()["facts"] + SUSPECT_TEXT)
    pending = {s.value: s for s in publish_check.unresolved(d)}
    assert set(pending) == {"1234 5678 9012 3457", "抑郁症"}
    assert pending["1234 5678 9012 3457"].confidence_label == "低" and pending["1234 5678 9012 3457"].reason
    message = assert_refused(lambda: lifecycle.publish(d, today=TODAY), "尚未处理", d, "decision.publish").message
    assert "银行账号“1234 5678 9012 3457”" in message and "健康信息“抑郁症”" in message
    assert "身份证号码" not in message  # masked without asking
    publish_check.record_choices(d, {"1234 5678 9012 3457": publish_check.PUBLIC})
    db.session.commit()
    assert [s.value for s in publish_check.unresolved(d)] == ["抑郁症"]
    assert_refused(lambda: lifecycle.publish(d, today=TODAY), "健康信息“抑郁症”", d)
    publish_check.record_choices(d, {"抑郁症": publish_check.MASK})
    lifecycle.publish(d, today=TODAY)
    facts = public_decision(d, TODAY)["facts"]
    assert "1234 5678 9012 3457" in facts and "抑郁症" not in facts and "马晓燕" not in facts


def test_a_value_confirmed_public_is_shown_and_a_masked_one_is_hidden(town):
    shop = "北京市大兴区西红门镇欣荣大街8号"
    d = decided(facts=f"当事人张三在其经营的店铺（家住{shop}）内存放液化石油气钢瓶，证人李四在场。",
                party_address="北京市大兴区西红门镇金星小区3号楼2单元501室")
    publish_check.record_choices(d, {s.value: (publish_check.PUBLIC if s.value == shop else publish_check.MASK)
                                     for s in publish_check.suspects(d)})
    lifecycle.publish(d, today=TODAY)
    db.session.commit()
    facts = public_decision(d, TODAY)["facts"]
    assert shop in facts and "李四" not in facts and "张三" not in facts


def test_an_id_number_can_never_be_confirmed_public(town):
    d = decided()
    assert_refused(lambda: publish_check.record_choices(d, {"11010519491231002X": publish_check.PUBLIC}),
                   "不得公开：11010519491231002X", d, "decision.masking")


def test_a_natural_persons_mobile_can_never_be_confirmed_public(town):
    d = decided()
    assert_refused(lambda: publish_check.record_choices(d, {"13912345678": publish_check.PUBLIC}),
                   "自然人的联系方式不得公开", d, "decision.masking")


def test_text_changed_after_the_choices_brings_new_values_back_to_the_list(town):
    d = make_draft()
    publish_check.record_choices(d, {s.value: publish_check.MASK for s in publish_check.suspects(d)})
    db.session.commit()
    from tests.disclosure.test_lifecycle_fixtures import draft_input

    lifecycle.save_draft(d, draft_input(facts="当事人张三，手机13800138000。"), d.version)
    db.session.commit()
    assert [s.value for s in publish_check.suspects(d) if s.value not in
            {"张三", "11010519491231002X", "13912345678", "李四"}] == ["13800138000"]


def test_an_organisation_keeps_its_name_and_credit_code(town):
    d = decided(party_type="organisation", party_name="北京金星餐饮有限公司", party_credit_code="91110115MA01ABCD1J",
                party_id_number="", facts="北京金星餐饮有限公司（统一社会信用代码91110115MA01ABCD1J）未安装报警装置。",
                other_names="")
    assert publish_check.suspects(d) == []
    lifecycle.publish(d, today=TODAY)
    assert public_decision(d, TODAY)["party"] == "北京金星餐饮有限公司"


def test_the_choices_are_audited(town):
    from enforcement.core.audit_log import AuditEvent

    d = decided()
    publish_check.record_choices(d, {"13912345678": publish_check.MASK})
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision.masking"))
    assert event is not None and "13912345678" in event.detail
