"""Findings: a supervisor records, the assignee agency's officer responds, the supervisor closes or reopens."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from enforcement.accounts.services import create_user
from enforcement.audit import findings
from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Agency, Officer
from enforcement.extensions import db
from tests.audit.helpers import town
from tests.conftest import login_as

TODAY = date(2021, 10, 20)
OTHER_AGENCY = {"name": "北京市大兴区西红门镇安全生产检查队", "credit_code": "12110115MB1D29374J", "legal_status": "委托",
                "entrusted_by": "北京市大兴区应急管理局"}


def people():
    town()
    import_rows("agencies", [(1, OTHER_AGENCY)])
    agency_id, other_id = db.session.scalars(select(Agency.id).order_by(Agency.id)).all()
    officer = db.session.scalar(select(Officer).order_by(Officer.id))
    return {
        "agency_id": agency_id, "other_id": other_id,
        "supervisor": create_user("supervisor", "supervisor-demo-2021", ["supervisor"], display_name="王监督"),
        "officer": create_user("officer", "officer-demo-2021", ["officer"], officer_id=officer.id),
        "outsider": create_user("outsider", "officer-demo-2021", ["officer"], agency_id=other_id),
        "admin": create_user("admin", "admin-demo-2021", ["admin"]),
    }


def new(p, **kw):
    return findings.record_finding(p["supervisor"], subject="京兴西罚字〔2021〕第0002号：公示及时性",
                                   description="公示超期1个工作日，请说明原因并整改。", agency_id=p["agency_id"],
                                   due_on=date(2021, 11, 20), today=TODAY, check_code="publication",
                                   entity="decision", entity_id="2", **kw)


def test_the_full_rectification_cycle_is_in_the_audit_log(app):
    p = people()
    f = new(p)
    findings.respond(f, p["officer"], "已补充公示。")
    findings.reopen(f, p["supervisor"], "未说明原因", date(2021, 12, 1), TODAY)
    assert f.status == "open" and f.reopened == 1 and f.due_on == date(2021, 12, 1)
    findings.respond(f, p["officer"], "系录入延误，已对承办人提醒谈话。")
    findings.close(f, p["supervisor"], "整改到位")
    assert f.status == "closed"
    actions = [e.action for e in findings.history(f)]
    assert actions == ["finding.create", "finding.respond", "finding.reopen", "finding.respond", "finding.close"]
    assert not audit_log.verify()


def test_only_the_right_people_act_in_the_right_state(app):
    p = people()
    with pytest.raises(RuleViolation, match="监督人员"):
        findings.record_finding(p["officer"], subject="x", description="y", agency_id=p["agency_id"],
                                due_on=date(2021, 11, 20), today=TODAY)
    with pytest.raises(RuleViolation, match="晚于今天"):
        findings.record_finding(p["supervisor"], subject="x", description="y", agency_id=p["agency_id"],
                                due_on=TODAY, today=TODAY)
    f = new(p)
    with pytest.raises(RuleViolation, match="责任主体的执法人员"):
        findings.respond(f, p["outsider"], "不是我们单位的")
    with pytest.raises(RuleViolation, match="反馈整改情况后"):
        findings.close(f, p["supervisor"], "同意")
    with pytest.raises(RuleViolation, match="监督人员"):
        findings.close(f, p["admin"], "同意")
    assert f.status == "open"


def test_pages_record_respond_and_close(app, client):
    p = people()
    db.session.commit()
    login_as(client, "admin")
    assert client.get("/audit/findings/").status_code == 200
    assert client.post("/audit/findings/new", data={}).status_code == 403  # admins read, supervisors act
    login_as(client, "supervisor")
    response = client.post("/audit/findings/new", data={
        "subject": "抽查发现公示不完整", "description": "缺少处理结果", "agency_id": p["agency_id"],
        "due_on": "2099-01-01", "entity": "decision", "entity_id": "9"})
    assert response.status_code == 302
    finding_url = response.headers["Location"]
    assert "抽查发现公示不完整" in client.get(finding_url).get_data(as_text=True)
    finding_id = finding_url.rstrip("/").rsplit("/", 1)[1]
    login_as(client, "outsider")
    assert client.get(f"/audit/rectification/{finding_id}").status_code == 403
    login_as(client, "officer")
    assert "抽查发现公示不完整" in client.get("/audit/rectification/").get_data(as_text=True)
    client.post(f"/audit/rectification/{finding_id}", data={"response": "已补充处理结果"})
    login_as(client, "supervisor")
    refused = client.post(f"/audit/findings/{finding_id}/close", data={"note": "  ", "confirm": "y"})
    assert refused.status_code == 400 and "请填写销号意见" in refused.get_data(as_text=True)
    unconfirmed = client.post(f"/audit/findings/{finding_id}/close", data={"note": "同意销号"})
    assert unconfirmed.status_code == 400 and "请勾选确认" in unconfirmed.get_data(as_text=True)
    assert "已反馈" in client.get(finding_url).get_data(as_text=True)  # neither closed it
    client.post(f"/audit/findings/{finding_id}/close", data={"note": "同意销号", "confirm": "y"})
    page = client.get(finding_url).get_data(as_text=True)
    assert "已销号" in page and "已补充处理结果" in page and "意见：同意销号" in page
    assert "王监督" in page and ">supervisor<" not in page  # people by their names, not their user names


@pytest.mark.parametrize("blank", ["", "   ", "\u3000\u3000", "\u200b\u200b", "\ufeff \u200d\t"])
def test_an_opinion_that_shows_nothing_cannot_close_or_reopen_a_finding(app, blank):
    """Text pasted from Word or WeChat may carry only zero-width characters: it is no opinion."""
    p = people()
    f = new(p)
    findings.respond(f, p["officer"], "已补充公示。")
    with pytest.raises(RuleViolation, match="销号意见"):
        findings.close(f, p["supervisor"], blank)
    with pytest.raises(RuleViolation):
        findings.reopen(f, p["supervisor"], blank, date(2021, 12, 1), TODAY)
    assert f.status == "responded"
    findings.close(f, p["supervisor"], "\u200b整改到位\u200b")
    assert f.status == "closed" and "\u200b" not in str(findings.history(f)[-1].detail)
