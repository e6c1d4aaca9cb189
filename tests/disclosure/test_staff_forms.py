"""Staff forms for every disclosure category: Chinese labels, field errors that keep the input, and conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from enforcement.disclosure.models import Agency, Decision, InspectionItem, Officer, Power, ProcedureGuide
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.helpers import AGENCY
from tests.disclosure.test_lifecycle_fixtures import draft_input, make_draft

town = fixtures.town  # the shared fixture

NEW_RECORDS = {
    "agencies": (Agency, {"name": "北京市大兴区西红门镇城市管理办公室", "credit_code": "11110115MB1C43597X",
                          "legal_status": "statutory", "reconsideration_days": "60", "litigation_months": "6"}),
    "officers": (Officer, {"name": "周敏", "agency_credit_code": AGENCY["credit_code"], "credential_number": "11011500009",
                           "credential_issued_on": "2024-01-01", "credential_expires_on": "2030-01-01",
                           "status": "valid", "category": "综合执法"}),
    "powers": (Power, {"code": "P-RQ-60", "name": "对燃气用户违反禁止性规定的行政处罚", "category": "penalty",
                       "agency_credit_code": AGENCY["credit_code"],
                       "basis": "《北京市燃气管理条例》(2020-09-25)第三十条\n《北京市燃气管理条例》第六十条"}),
    "procedures": (ProcedureGuide, {"code": "L-01", "item": "燃气经营许可", "agency_credit_code": AGENCY["credit_code"],
                                    "steps": "受理：窗口收件\n审查：材料审查\n决定：作出许可决定"}),
    "inspection-items": (InspectionItem, {"code": "I-01", "seq": "1", "item": "燃气安全检查",
                                          "agency_credit_code": AGENCY["credit_code"], "method": "现场检查"}),
}


@pytest.fixture
def officer_client(town, client):
    login_as(client, "officer")
    return client


@pytest.mark.parametrize("kind", list(NEW_RECORDS))
def test_an_officer_adds_a_record_of_every_category(officer_client, kind):
    model, data = NEW_RECORDS[kind]
    form_page = officer_client.get(f"/staff/{kind}/new").get_data(as_text=True)
    assert "（必填）" in form_page
    response = officer_client.post(f"/staff/{kind}/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    key = next(iter(data.values())) if kind != "agencies" else data["credit_code"]
    saved = db.session.scalars(select(model)).all()
    assert any(key in (getattr(o, "name", ""), getattr(o, "code", ""), getattr(o, "credit_code", ""),
                       getattr(o, "credential_number", "")) for o in saved)


def test_a_power_records_its_legal_basis_to_the_article(officer_client):
    officer_client.post("/staff/powers/new", data=NEW_RECORDS["powers"][1])
    power = db.session.scalar(select(Power).where(Power.code == "P-RQ-60"))
    assert [b.article.label for b in power.basis] == ["第三十条", "第六十条"]


def test_a_procedure_keeps_its_steps_in_order(officer_client):
    officer_client.post("/staff/procedures/new", data=NEW_RECORDS["procedures"][1])
    procedure = db.session.scalar(select(ProcedureGuide).where(ProcedureGuide.code == "L-01"))
    assert [(s.position, s.name) for s in procedure.steps] == [(1, "受理"), (2, "审查"), (3, "决定")]


def test_a_bad_field_is_shown_next_to_it_in_chinese_and_the_input_stays(officer_client):
    data = {**NEW_RECORDS["officers"][1], "credential_expires_on": "2020-01-01", "name": "周敏"}
    page = officer_client.post("/staff/officers/new", data=data).get_data(as_text=True)
    assert "有效期截止日早于发证日" in page and 'value="周敏"' in page
    assert db.session.scalar(select(Officer).where(Officer.name == "周敏")) is None


def test_an_unknown_legal_basis_is_refused(officer_client):
    data = {**NEW_RECORDS["powers"][1], "basis": "《北京市燃气管理条例》第九百条"}
    page = officer_client.post("/staff/powers/new", data=data).get_data(as_text=True)
    assert "没有第九百条" in page


def test_a_supervisor_can_read_but_not_edit(town, client):
    from enforcement.accounts.services import create_user

    create_user("jiandu", "supervisor-pass", ["supervisor"])
    db.session.commit()
    login_as(client, "jiandu")
    agency = db.session.scalar(select(Agency))
    assert client.get(f"/staff/agencies/{agency.id}").status_code == 200
    assert client.post(f"/staff/agencies/{agency.id}", data={"name": "改名"}).status_code == 403
    assert client.get("/staff/agencies/new").status_code == 403


def test_an_officer_drafts_a_decision_through_the_form(officer_client):
    response = officer_client.post("/staff/decisions/new", data=draft_input())
    assert response.status_code == 302
    d = db.session.scalar(select(Decision))
    page = officer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert d.status == "draft" and "公示期限（如今日作出决定）" in page and "作出决定期限（立案之日起）" in page


def test_the_second_of_two_concurrent_edits_gets_a_conflict_and_keeps_its_input(town, app):
    d = make_draft()
    first, second = app.test_client(), app.test_client()
    login_as(first, "officer")
    login_as(second, "officer")
    version = d.version
    assert f'name="version" type="hidden" value="{version}"' in first.get(f"/staff/decisions/{d.id}/edit").get_data(as_text=True)
    assert first.post(f"/staff/decisions/{d.id}/edit",
                      data={**draft_input(result="罚款人民币1,000元。"), "version": version}).status_code == 302
    page = second.post(f"/staff/decisions/{d.id}/edit",
                       data={**draft_input(result="罚款人民币3,000元。"), "version": version})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "此记录已被他人修改" in text and "罚款人民币3,000元。" in text
    db.session.expire_all()
    assert d.result == "罚款人民币1,000元。"


def test_a_concurrent_save_that_slips_past_the_version_check_is_still_refused(town):
    """Two requests that read the same version: the database's version check stops the second."""
    from sqlalchemy import update

    from enforcement.disclosure import lifecycle, services

    d = make_draft()
    version = d.version  # this request has read the case
    with db.engine.begin() as other_request:
        other_request.execute(update(Decision).where(Decision.id == d.id).values(version=version + 1,
                                                                                 result="他人保存的内容"))
    refused = fixtures.assert_refused(lambda: lifecycle.save_draft(d, draft_input(result="我的内容"), version),
                                      "此记录已被他人修改")
    assert isinstance(refused, services.Conflict)
    db.session.expire_all()
    assert d.result == "他人保存的内容"


def test_a_standing_record_edit_conflict(town, app):
    agency = db.session.scalar(select(Agency))
    client = app.test_client()
    login_as(client, "officer")
    data = {**AGENCY, "legal_status": "statutory", "reconsideration_days": "60", "litigation_months": "6",
            "version": agency.version}
    assert client.post(f"/staff/agencies/{agency.id}", data={**data, "phone": "010-1"}).status_code == 302
    page = client.post(f"/staff/agencies/{agency.id}", data={**data, "phone": "010-2"}).get_data(as_text=True)
    assert "此记录已被他人修改" in page and 'value="010-2"' in page
