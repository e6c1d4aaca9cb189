"""The decision lifecycle as services: draft → (review) → decided → published → ended → withdrawn → expired."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from enforcement.core import audit_log
from enforcement.core.audit_log import AuditEvent
from enforcement.core.models import ChangeLog
from enforcement.disclosure import lifecycle, publish_check
from enforcement.disclosure.models import Decision
from enforcement.disclosure.projection import decision_visibility, public_decision
from enforcement.extensions import db
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import (
    TODAY,
    assert_refused,
    draft_input,
    last_event,
    make_draft,
    mask_everything,
)

town = fixtures.town  # the shared fixture


def test_an_ordinary_case_goes_from_draft_to_the_public_site(town):
    d = make_draft()
    assert d.status == "draft" and not d.is_major
    assert public_decision(d, TODAY) is None

    lifecycle.decide(d, TODAY, today=TODAY)
    assert d.status == "decided" and d.publish_due_on == date(2026, 12, 8)  # 7 working days after a Friday
    mask_everything(d)
    lifecycle.publish(d, today=date(2026, 11, 30))
    db.session.commit()

    public = public_decision(d, date(2026, 11, 30))
    assert d.status == "published" and public["state"] == "public"
    assert public["party"] == "张某" and "11010519491231002X" not in repr(public) and "李四" not in repr(public)
    assert d.expires_on == date(2027, 2, 28)  # a small fine: three months on display
    assert last_event().action == "decision.publish"


def test_a_revoked_decision_is_withdrawn_with_a_public_reason(town):
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    mask_everything(d)
    lifecycle.publish(d, today=TODAY)
    lifecycle.end_decision(d, "revoked", date(2026, 11, 27), "经行政复议，复议机关决定撤销。", today=TODAY)
    assert decision_visibility(d, TODAY) == "public" and public_decision(d, TODAY)["status_label"] == "已撤销"
    assert [x.label for x in lifecycle.case_deadlines(d, TODAY)][-2] == "撤回公示期限"

    lifecycle.withdraw(d, "该决定已被撤销，依据行政处罚法第四十八条撤回原公示信息。", today=date(2026, 11, 30))
    db.session.commit()
    notice = public_decision(d, date(2026, 11, 30))
    assert notice["state"] == "withdrawn" and "撤回原公示信息" in notice["withdrawal_reason"]
    assert "facts" not in notice and "party" not in notice


def test_a_withdrawal_reason_is_public_so_it_may_not_name_anyone(town):
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    mask_everything(d)
    lifecycle.publish(d, today=TODAY)
    lifecycle.end_decision(d, "void", TODAY, "执法主体不适格。", today=TODAY)
    db.session.commit()
    assert_refused(lambda: lifecycle.withdraw(d, "当事人张三（电话13912345678）申请复议后撤销。", today=TODAY),
                   "撤回理由将向社会公开，不得包含个人信息", d, "decision.withdraw")


def test_only_an_ended_published_decision_can_be_withdrawn(town):
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    db.session.commit()
    assert_refused(lambda: lifecycle.withdraw(d, "理由", today=TODAY), "只有被变更、撤销、确认违法或无效的决定需要撤回公示", d)


def test_only_a_draft_can_be_edited(town):
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    db.session.commit()
    assert_refused(lambda: lifecycle.save_draft(d, draft_input(result="罚款1元"), d.version), "只有草稿可以修改", d,
                   "decision.update")


def test_a_form_error_names_the_field_and_writes_nothing(town):
    assert_refused(lambda: lifecycle.save_draft(None, draft_input(fine_amount="很多")), "罚款金额")
    assert db.session.scalar(select(Decision.id)) is None
    make_draft()
    refused = assert_refused(lambda: lifecycle.save_draft(None, draft_input()), "已存在")
    assert refused.field == "number"


def test_expiry_at_the_end_of_the_display_period_is_recorded(town):
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    mask_everything(d)
    lifecycle.publish(d, today=TODAY)
    db.session.commit()
    assert lifecycle.expire_due(date(2027, 2, 26)) == 0
    last_change = db.session.scalar(select(ChangeLog.id).order_by(ChangeLog.id.desc()).limit(1))

    assert lifecycle.expire_due(date(2027, 2, 27)) == 1
    db.session.commit()
    assert d.status == "expired" and decision_visibility(d, date(2027, 2, 27)) == "expired"
    assert db.session.scalars(select(ChangeLog.entity_id).where(ChangeLog.id > last_change)).all() == [d.id]
    assert last_event().action == "decision.expire"


def test_expiry_in_batches_audits_each_decision_in_one_unbroken_chain(town):
    due = []
    for i in range(5):
        d = make_draft(number=f"京兴执罚〔2026〕{900 + i}号")
        lifecycle.decide(d, TODAY, today=TODAY)
        mask_everything(d)
        lifecycle.publish(d, today=TODAY)
        due.append(d.id)
    db.session.commit()

    assert lifecycle.expire_due(date(2027, 2, 27), batch=2) == 5
    db.session.commit()
    expiries = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "decision.expire")
                                  .order_by(AuditEvent.seq)).all()
    assert [int(e.entity_id) for e in expiries] == due
    assert all('"before": {"status": "published"}' in e.detail for e in expiries)
    assert audit_log.verify() == []


def test_the_expire_command_marks_due_decisions(town, runner):
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    mask_everything(d)
    lifecycle.publish(d, today=TODAY)
    db.session.commit()
    result = runner.invoke(args=["decisions", "expire", "--today", "2027-03-01"])
    assert result.exit_code == 0 and "1" in result.output
    db.session.expire_all()
    assert d.status == "expired"


def test_deadlines_are_shown_on_a_draft_and_on_a_case(town):
    d = make_draft()
    labels = {x.label: x for x in lifecycle.case_deadlines(d, TODAY)}
    assert labels["公示期限（如今日作出决定）"].due == date(2026, 12, 8)
    assert labels["作出决定期限（立案之日起）"].due == date(2027, 1, 18)
    lifecycle.decide(d, TODAY, today=TODAY)
    late = {x.label: x for x in lifecycle.case_deadlines(d, date(2026, 12, 9))}
    assert late["公示期限"].state == "late"
    assert "公示期限（2026-12-08）已过" in lifecycle.case_warnings(d, date(2026, 12, 9))


def test_the_90_day_limit_is_a_warning_not_a_refusal(town):
    d = make_draft(filed_on="2026-07-01")
    warnings = lifecycle.case_warnings(d, TODAY)
    assert any("超过90日的办案期限" in w for w in warnings)
    lifecycle.decide(d, TODAY, today=TODAY)
    assert d.status == "decided"


def test_the_public_preview_is_exactly_what_publishing_shows(town):
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    mask_everything(d)
    preview = publish_check.preview(d, TODAY)
    lifecycle.publish(d, today=TODAY)
    assert preview == public_decision(d, TODAY)
