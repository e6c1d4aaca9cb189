"""The decision workflow as officers and reviewers see it: stages, the task list, the pickers, the masking
preview's radio groups, the next 文号, the reviewer's queue and the evidence warning."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from enforcement.core import clock
from enforcement.core.audit_log import AuditEvent
from enforcement.disclosure import lifecycle, pickers, publish_check, records, workflow
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.helpers import AGENCY
from tests.disclosure.test_lifecycle_fixtures import draft_input, make_draft

town = fixtures.town  # the shared fixture
MAJOR = {"fine_amount": "8000", "result": "罚款人民币8,000元。"}
CARD = "1234 5678 9012 3457"  # a low-confidence suspect (a bank card?) the officer must decide


def _key(field: str, value: str) -> str:
    return "mask-" + hashlib.sha256(f"{field}\0{value}".encode()).hexdigest()[:16]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def _review(d: Decision, reviewer, passed: bool, opinion: str = "事实清楚，证据充分。") -> None:
    lifecycle.record_review(d, reviewer, passed=passed, opinion=opinion,
                            checklist={k: True for k, _ in lifecycle.REVIEW_CHECKLIST}, reviewed_on=clock.today())
    db.session.commit()


# --- the masking preview: one radio group per finding ----------------------------------------

def _decided_with_card_twice() -> Decision:
    d = make_draft(facts=draft_input()["facts"] + f"现场另有卡片记载号码{CARD}。",
                   result=f"罚款人民币2,000元，责令改正。卡片号码{CARD}登记在案。")
    lifecycle.decide(d, clock.today())
    db.session.commit()
    return d


def test_two_findings_of_one_value_get_two_radio_groups_each_decided_through_the_post(town, client):
    d = _decided_with_card_twice()
    rows = [s for s in publish_check.suspects(d) if s.value == CARD]
    assert {s.field for s in rows} == {"facts", "result"}
    login_as(client, "officer")
    page = _page(client, f"/staff/decisions/{d.id}/publish")
    names = {n for n in re.findall(r'name="(mask-[0-9a-f]+)"', page)}
    assert _key("facts", CARD) in names and _key("result", CARD) in names  # not one shared group
    choices = {_key(s.field, s.value): "mask" for s in publish_check.suspects(d) if s.value != CARD}
    choices |= {_key("facts", CARD): "public", _key("result", CARD): "public"}
    response = client.post(f"/staff/decisions/{d.id}/publish", data=choices)
    assert response.status_code == 302
    db.session.expire_all()
    assert d.status == "published" and CARD in d.masking_confirmed


def test_one_value_chosen_differently_in_two_places_is_refused_and_nothing_changes(town, client):
    d = _decided_with_card_twice()
    login_as(client, "officer")
    choices = {_key(s.field, s.value): "mask" for s in publish_check.suspects(d)}
    choices[_key("result", CARD)] = "public"
    page = client.post(f"/staff/decisions/{d.id}/publish", data=choices).get_data(as_text=True)
    assert "同一内容在不同位置须作相同处理" in page and CARD in page
    db.session.expire_all()
    assert d.status == "decided" and not d.masking_masked and not d.masking_confirmed


def test_the_preview_of_an_undecided_major_draft_says_up_front_what_is_missing(town, client):
    d = make_draft(**MAJOR)
    login_as(client, "officer")
    page = _page(client, f"/staff/decisions/{d.id}/publish")
    head = page[:page.index("疑似个人信息（")]
    assert "本案现在还不能公示" in head and "须先经法制审核通过" in head and "须先作出决定" in head
    assert "保存隐去设置" in page and "确认并公示" not in page
    choices = {_key(s.field, s.value): "mask" for s in publish_check.suspects(d)}
    response = client.post(f"/staff/decisions/{d.id}/publish", data=choices)
    assert response.status_code == 302 and _flashes(client)[0][0] == "warning"
    db.session.expire_all()
    assert d.status == "draft" and d.published_on is None and d.masking_masked  # the choices are kept


# --- the officer picker ----------------------------------------------------------------------

def test_officers_who_cannot_act_are_shown_disabled_with_the_reason(town, client):
    import_rows("officers", [(1, {"name": "钱七", "agency_credit_code": AGENCY["credit_code"],
                                  "credential_number": "11011500008", "credential_issued_on": "2020-01-01",
                                  "credential_expires_on": "2030-01-01"})])  # valid, but no training this year
    db.session.commit()
    login_as(client, "officer")
    page = _page(client, "/staff/decisions/new")
    lapsed = re.search(r'<input type="checkbox" name="officers"[^>]*value="11011500003"[^>]*>', page).group(0)
    assert "disabled" in lapsed and "不能选择：证件过期" in page
    able = re.search(r'<input type="checkbox" name="officers"[^>]*value="11011500001"[^>]*>', page).group(0)
    assert "disabled" not in able
    if clock.today().month > 1:  # in January no hours are owed yet
        untrained = re.search(r'<input type="checkbox" name="officers"[^>]*value="11011500008"[^>]*>', page).group(0)
        assert "disabled" in untrained and "培训学时不足" in page


def test_a_post_naming_an_officer_who_cannot_act_is_refused_with_an_error(town, client):
    login_as(client, "officer")
    before = db.session.scalar(select(func.count(Decision.id)))
    response = client.post("/staff/decisions/new",
                           data=draft_input(officers=["11011500001", "11011500002", "11011500003"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "赵六不能承办案件：证件过期" in page
    assert db.session.scalar(select(func.count(Decision.id))) == before
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert event.outcome == "refused" and event.action == "decision.create"


def test_the_power_picker_carries_each_powers_legal_basis(town, client):
    login_as(client, "officer")
    page = _page(client, "/staff/decisions/new")
    option = re.search(r'<option value="P-RQ-59"[^>]*>', page).group(0)
    assert 'data-basis="《北京市燃气管理条例》第五十九条"' in option
    assert "data-searchable" in page and "vendor/tom-select/tom-select.complete.min.js" in page


# --- the next 文号 ---------------------------------------------------------------------------

def test_a_new_draft_proposes_the_next_number_of_the_agency(town, client):
    year = clock.today().year
    make_draft(number=f"京兴西罚字〔{year}〕第0101号")
    make_draft(number=f"京兴西罚字〔{year - 1}〕第0300号")
    login_as(client, "officer")
    page = _page(client, "/staff/decisions/new")
    assert f'value="京兴西罚字〔{year}〕第0102号"' in page


def test_a_new_year_starts_the_numbering_again_and_no_number_means_no_proposal(town):
    from enforcement.disclosure.models import Agency

    agency_id = db.session.scalar(select(Agency.id))
    assert pickers.next_number(agency_id) == ""
    make_draft(number="京兴西罚字〔2020〕第0300号")
    assert pickers.next_number(agency_id, year=2026) == "京兴西罚字〔2026〕第0001号"


# --- stages and the task list ----------------------------------------------------------------

def _stage_shown(client, d: Decision) -> str:
    page = _page(client, f"/staff/decisions/{d.id}")
    return re.search(r'<h1>[^<]*<strong class="tag [^"]*">([^<]+)</strong>', page).group(1)


def test_the_case_page_names_each_stage(town, client):
    d = make_draft(**MAJOR)
    login_as(client, "officer")
    assert _stage_shown(client, d) == "草稿"
    lifecycle.submit_for_review(d, actor=town.officer)
    db.session.commit()
    assert _stage_shown(client, d) == "待法制审核"
    _review(d, town.reviewer, passed=True)
    assert _stage_shown(client, d) == "审核通过"
    page = _page(client, f"/staff/decisions/{d.id}")
    assert "作出决定</button>" in page
    lifecycle.decide(d, clock.today(), actor=town.officer)
    db.session.commit()
    assert _stage_shown(client, d) == "已决定"


def test_a_rejected_case_shows_returned_with_the_reasons_at_the_top(town, client):
    d = make_draft(**MAJOR)
    lifecycle.submit_for_review(d, actor=town.officer)
    db.session.commit()
    _review(d, town.reviewer, passed=False, opinion="证据不足，请补充现场检查笔录。")
    login_as(client, "officer")
    assert _stage_shown(client, d) == "退回修改"
    page = _page(client, f"/staff/decisions/{d.id}")
    assert page.index("证据不足，请补充现场检查笔录。") < page.index("办理步骤")
    assert "重新提交法制审核" in page


def test_steps_that_cannot_be_taken_are_explained_not_offered(town, client):
    d = make_draft(**MAJOR)
    login_as(client, "officer")
    page = _page(client, f"/staff/decisions/{d.id}")
    assert "作出决定</button>" not in page and "须先经法制审核通过" in page
    decide = next(t for t in workflow.tasks(d) if t.key == "decide")
    assert decide.state == workflow.BLOCKED


def test_a_refused_step_flashes_as_an_error(town, client):
    d = make_draft()  # not major: no review to submit to
    login_as(client, "officer")
    client.post(f"/staff/decisions/{d.id}/submit-review")
    assert _flashes(client)[0][0] == "error"


# --- the reviewer ----------------------------------------------------------------------------

def test_the_review_queue_lists_only_cases_awaiting_review_oldest_first(town, client):
    waiting = make_draft(**MAJOR)
    passed = make_draft(**MAJOR, number="京兴西罚字〔2026〕第0102号")
    draft = make_draft(**MAJOR, number="京兴西罚字〔2026〕第0103号")
    for d in (waiting, passed):
        lifecycle.submit_for_review(d, actor=town.officer)
    db.session.commit()
    _review(passed, town.reviewer, passed=True)
    login_as(client, "reviewer")
    page = _page(client, "/staff/decisions/review-queue")
    assert waiting.number in page and passed.number not in page and draft.number not in page
    assert "天</td>" in page and 'href="/staff/decisions/review-queue"' in page  # waiting days; the nav link
    assert "张三" not in page  # the 案由 and party stay masked on a list page


@pytest.mark.parametrize("username", ["officer", "jiandu"])
def test_the_review_queue_is_for_reviewers(town, client, username):
    from enforcement.accounts.services import create_user

    create_user("jiandu", "supervisor-pass-123", ["supervisor"])
    db.session.commit()
    login_as(client, username)
    assert client.get("/staff/decisions/review-queue").status_code == 403
    assert 'href="/staff/decisions/review-queue"' not in _page(client, "/staff/")


def test_a_major_decision_without_evidence_warns_the_reviewer(town, client):
    import io

    d = make_draft(**MAJOR)
    lifecycle.submit_for_review(d, actor=town.officer)
    db.session.commit()
    login_as(client, "reviewer")
    page = _page(client, f"/staff/decisions/{d.id}/review")
    assert "未归档任何证据材料" in page and "P-RQ-59" in page and "裁量基准" in page
    records.file_record(d, kind="text", title="现场检查笔录", file_name="笔录.txt", content_type="text/plain",
                        stream=io.BytesIO("现场检查笔录".encode()), filed_by="officer")
    db.session.commit()
    page = _page(client, f"/staff/decisions/{d.id}/review")
    assert "未归档任何证据材料" not in page and "现场检查笔录" in page


def test_waiting_days_run_from_the_submission(town):
    d = make_draft(**MAJOR)
    lifecycle.submit_for_review(d, actor=town.officer)
    db.session.commit()
    later = date.fromordinal(clock.today().toordinal() + 3)
    [row] = workflow.review_queue(town.reviewer, today=later)
    assert row.decision.id == d.id and row.waiting_days == 3


def test_the_case_list_shows_stages_and_no_natural_persons_name(town, client):
    d = make_draft(**MAJOR)
    lifecycle.submit_for_review(d, actor=town.officer)
    db.session.commit()
    _review(d, town.reviewer, passed=True)
    login_as(client, "officer")
    page = _page(client, "/staff/decisions/")
    assert d.number in page and "审核通过（重大）" in page
    assert "张三" not in page and "张某" in page


def test_a_published_case_offers_no_second_publication(town, client):
    d = make_draft()
    lifecycle.decide(d, clock.today())
    fixtures.mask_everything(d)
    lifecycle.publish(d)
    db.session.commit()
    login_as(client, "officer")
    page = _page(client, f"/staff/decisions/{d.id}/publish")
    assert "本案已于" in page and "确认并公示" not in page and "保存隐去设置" not in page
