"""Case-level authorisation (``disclosure.policy``): who may read and act on which case.

Officers act on their own agency's cases and on cases they are explicitly
assigned to; supervisors and admins read and change nothing; record downloads
follow the case and are named by an unguessable id. Pages, services and
downloads ask the same policy, so the refusal holds whichever way in.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from enforcement.accounts.services import create_user
from enforcement.core.audit_log import AuditEvent
from enforcement.disclosure import assignments, lifecycle, policy, records
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Agency, Decision
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import TODAY, draft_input, make_draft

town = fixtures.town

OTHER_AGENCY = {"name": "北京市大兴区旧宫镇人民政府", "credit_code": "11110115MB1C4360XE", "legal_status": "法定",
                "duties": "综合行政执法", "address": "北京市大兴区旧宫镇", "phone": "010-60250000",
                "supervision_phone": "010-60250001", "reconsideration_body": "北京市大兴区人民政府",
                "litigation_court": "北京市大兴区人民法院"}


@pytest.fixture
def elsewhere(town):
    """An officer account of another town's government, on no case of ours; and a supervisor."""
    import_rows("agencies", [(1, OTHER_AGENCY)])
    other = db.session.scalar(select(Agency.id).where(Agency.credit_code == OTHER_AGENCY["credit_code"]))
    user = create_user("jiugong", "jiugong-pass-2026", ["officer"], agency_id=other)
    create_user("jiandu", "supervisor-pass-2026", ["supervisor"])
    db.session.commit()
    return user


def refusals() -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused"))]


def test_an_officer_of_another_agency_cannot_open_or_act_on_the_case(elsewhere, client):
    d = make_draft()
    login_as(client, "jiugong")
    for path in (f"/staff/decisions/{d.id}", f"/staff/decisions/{d.id}/edit", f"/staff/decisions/{d.id}/publish",
                 f"/staff/decisions/{d.id}/end", f"/staff/decisions/{d.id}/withdraw"):
        assert client.get(path).status_code == 403, path
    edit = client.post(f"/staff/decisions/{d.id}/edit", data={**draft_input(result="罚款1元"), "version": d.version})
    upload = client.post(f"/staff/decisions/{d.id}/records", data={"kind": "text", "file": (io.BytesIO(b"x"), "a.txt")},
                         content_type="multipart/form-data")
    decide = client.post(f"/staff/decisions/{d.id}/decide", data={"decided_on": TODAY.isoformat()})
    assert (edit.status_code, upload.status_code, decide.status_code) == (403, 403, 403)
    db.session.expire_all()
    assert d.result == "罚款人民币2,000元，责令改正。" and d.status == "draft" and d.records == []
    assert "decision.update" in refusals() and "record.file" in refusals()


def test_lists_and_the_workbench_show_only_the_cases_an_officer_may_read(elsewhere, client):
    d = make_draft()
    login_as(client, "jiugong")
    assert d.number not in client.get("/staff/decisions/").get_data(as_text=True)
    assert d.number not in client.get("/staff/").get_data(as_text=True)
    login_as(client, "officer")
    assert d.number in client.get("/staff/decisions/").get_data(as_text=True)
    assert d.number in client.get("/staff/").get_data(as_text=True)


def test_the_services_refuse_too_whatever_calls_them(elsewhere):
    d = make_draft()
    with pytest.raises(policy.NotAuthorized):
        lifecycle.save_draft(d, draft_input(result="改"), d.version, actor=elsewhere)
    with pytest.raises(policy.NotAuthorized):
        lifecycle.decide(d, TODAY, today=TODAY, actor=elsewhere)
    with pytest.raises(policy.NotAuthorized):
        records.file_record(d, kind="text", title="", file_name="a.txt", content_type="text/plain",
                            stream=io.BytesIO(b"x"), filed_by="jiugong", actor=elsewhere)
    db.session.rollback()
    assert d.status == "draft"


def test_an_officer_cannot_draft_in_another_agencys_name(elsewhere):
    with pytest.raises(policy.NotAuthorized, match="所在执法主体"):
        lifecycle.save_draft(None, draft_input(number="京兴西罚字〔2026〕第0999号"), actor=elsewhere)
    db.session.rollback()
    assert db.session.scalar(select(Decision).where(Decision.number == "京兴西罚字〔2026〕第0999号")) is None


def test_joint_enforcement_by_a_recorded_assignment(elsewhere, town, client):
    d = make_draft()
    with pytest.raises(policy.NotAuthorized):
        assignments.assign(d, "jiugong", "旧宫镇联合执法", actor=elsewhere)  # cannot assign oneself in
    db.session.rollback()
    assignment = assignments.assign(d, "jiugong", "两镇联合开展燃气安全执法（区执法局通知）", actor=town.officer)
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision.assign", AuditEvent.outcome == "ok"))
    assert json.loads(event.detail)["after"] == {"assigned": "jiugong", "reason": "两镇联合开展燃气安全执法（区执法局通知）"}
    login_as(client, "jiugong")
    assert client.get(f"/staff/decisions/{d.id}").status_code == 200
    assert d.number in client.get("/staff/decisions/").get_data(as_text=True)
    lifecycle.save_draft(d, draft_input(result="罚款人民币1,000元。", fine_amount="1000"), d.version, actor=elsewhere)
    db.session.commit()
    assignments.unassign(d, assignment.id, actor=town.officer)
    db.session.commit()
    assert client.get(f"/staff/decisions/{d.id}").status_code == 403


def test_an_assignment_through_the_case_page(elsewhere, client):
    d = make_draft()
    login_as(client, "officer")
    page = client.post(f"/staff/decisions/{d.id}/assignments", data={"username": "jiugong", "reason": "联合执法"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已指派 jiugong" in page and "联合执法（officer指派" in page
    assert policy.is_assigned(elsewhere, d)


def test_a_supervisor_reads_every_case_and_changes_none(elsewhere, client):
    d = make_draft()
    login_as(client, "jiandu")
    assert client.get(f"/staff/decisions/{d.id}").status_code == 200
    assert client.post(f"/staff/decisions/{d.id}/edit", data=draft_input()).status_code == 403
    supervisor = db.session.scalar(select(type(elsewhere)).where(type(elsewhere).username == "jiandu"))
    with pytest.raises(policy.NotAuthorized, match="只有执法人员"):
        lifecycle.decide(d, TODAY, today=TODAY, actor=supervisor)


def test_record_downloads_follow_the_case_and_use_unguessable_ids(elsewhere, client):
    d = make_draft()
    record = records.file_record(d, kind="text", title="笔录", file_name="笔录.txt", content_type="text/plain",
                                 stream=io.BytesIO(b"note"), filed_by="officer")
    db.session.commit()
    assert len(record.public_id) >= 22 and not record.public_id.isdigit()
    login_as(client, "jiugong")
    assert client.get(f"/staff/decisions/records/{record.public_id}").status_code == 403
    assert client.get(f"/staff/decisions/records/{record.id}").status_code == 404  # a sequential id names nothing
    login_as(client, "jiandu")
    assert client.get(f"/staff/decisions/records/{record.public_id}").data == b"note"


def test_an_entrusted_organisations_officers_work_on_the_entrusting_agencys_cases(town):
    team = {**OTHER_AGENCY, "name": "西红门镇综合行政执法队", "credit_code": "12110115MB0X76251M",
            "legal_status": "entrusted", "entrusted_by": fixtures.AGENCY["name"]}
    import_rows("agencies", [(1, team)])
    team_id = db.session.scalar(select(Agency.id).where(Agency.credit_code == team["credit_code"]))
    member = create_user("duiyuan", "duiyuan-pass-2026", ["officer"], agency_id=team_id)
    d = make_draft()
    assert policy.allowed("decision.update", member, d)  # 行政处罚法 art. 20: in the entrusting agency's name
