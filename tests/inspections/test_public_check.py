"""The draw checked in the browser, conflicts declared by picking, and the citizen pages in plain Chinese."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.inspections.models import InspectionTarget, InspectorConflict
from tests.conftest import login_as
from tests.inspections.helpers import drawn_plan, town_with_pools


def test_a_citizen_checks_a_draw_from_the_plan_page_and_sees_it_match(app, client):
    plan = drawn_plan()
    db.session.commit()
    page = client.get(f"/inspections/plans/{plan.id}").get_data(as_text=True)
    assert f'action="/inspections/plans/{plan.id}/check"' in page and "核对这次抽取" in page
    checked = client.get(f"/inspections/plans/{plan.id}/check")
    text = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "核对一致" in text and "不一致" not in text
    assert plan.draw.tasks[0].target.name in text


def test_a_draw_changed_after_publication_shows_a_mismatch(app, client):
    plan = drawn_plan()
    result = json.loads(plan.draw.result_json)
    result[0]["inspectors"] = list(reversed(result[0]["inspectors"]))
    plan.draw.result_json = json.dumps(result, ensure_ascii=False)
    db.session.commit()
    text = client.get(f"/inspections/plans/{plan.id}/check").get_data(as_text=True)
    assert "核对不一致" in text and "核对一致。" not in text


def test_a_draw_not_yet_made_cannot_be_checked_and_an_unpublished_plan_is_404(app, client):
    from datetime import date

    from enforcement.inspections import services

    item_id = town_with_pools()
    plan = services.create_plan(number="P-5", title="抽查", item_id=item_id, ratio_percent="5",
                                period_start=date(2021, 10, 8), period_end=date(2021, 12, 31), draw_on=date(2021, 10, 8))
    db.session.commit()
    assert client.get(f"/inspections/plans/{plan.id}/check").status_code == 404
    services.publish_plan(plan, date(2021, 10, 8))
    db.session.commit()
    text = client.get(f"/inspections/plans/{plan.id}/check").get_data(as_text=True)
    assert "尚未进行" in text and plan.draw.seed not in text


def test_citizen_pages_speak_plain_chinese_and_the_technical_page_keeps_the_algorithm(app, client):
    plan = drawn_plan()
    db.session.commit()
    for url in ("/inspections/", f"/inspections/plans/{plan.id}", f"/inspections/plans/{plan.id}/check"):
        text = client.get(url).get_data(as_text=True)
        assert not re.search(r"HMAC|SHA-256|python -m|flask --app|docs/", text), url
        assert "技术说明" in text
    technical = client.get("/inspections/algorithm").get_data(as_text=True)
    assert "技术说明" in technical and "HMAC-SHA256" in technical


def test_staff_declare_a_conflict_by_picking_from_the_pools(app, client):
    from enforcement.accounts.services import create_user

    town_with_pools()
    create_user("officer", "officer-demo-2021", ["officer"])
    db.session.commit()
    login_as(client, "officer")
    assert 'href="/inspections/manage/"' in client.get("/staff/").get_data(as_text=True)  # in the staff navigation
    page = client.get("/inspections/manage/").get_data(as_text=True)
    officer = db.session.scalar(select(Officer).where(Officer.credential_number == "11011500003"))
    target = db.session.scalar(select(InspectionTarget).order_by(InspectionTarget.code))
    assert f'<option value="{officer.id}">' in page and f'<option value="{target.id}">' in page
    assert "11011500004" not in page.split("申报回避")[0]  # an expired credential is not in the pool to pick from
    response = client.post("/inspections/manage/conflicts",
                           data={"officer_id": officer.id, "target_id": target.id, "reason": "亲属在该单位任职"})
    assert response.status_code == 302
    conflict = db.session.scalar(select(InspectorConflict))
    assert (conflict.officer_id, conflict.target_id) == (officer.id, target.id)
    page = client.get("/inspections/manage/").get_data(as_text=True)
    assert "已申报回避" in page and "亲属在该单位任职" in page
    other = db.session.scalars(select(InspectionTarget).order_by(InspectionTarget.code)).all()[1]
    client.post("/inspections/manage/conflicts",
                data={"officer_id": officer.id, "target_id": other.id, "reason": "其妻（电话13912345678）在该单位任职"})
    page = client.get("/inspections/manage/").get_data(as_text=True)
    assert "其妻" in page and "13912345678" not in page  # a staff list page masks typed private values


def test_a_forged_or_empty_pick_is_refused_in_chinese_and_records_nothing(app, client):
    from enforcement.accounts.services import create_user

    town_with_pools()
    create_user("officer", "officer-demo-2021", ["officer"])
    db.session.commit()
    login_as(client, "officer")
    for data in ({"officer_id": 999999, "target_id": 1, "reason": "x"}, {"officer_id": "abc", "target_id": 1, "reason": "x"},
                 {"officer_id": 0, "target_id": 0, "reason": ""}):
        response = client.post("/inspections/manage/conflicts", data=data, follow_redirects=True)
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "请从名录中选择执法人员" in text, data
        assert "Not a valid" not in text and "Invalid" not in text
    assert db.session.scalar(select(func.count(InspectorConflict.id))) == 0
