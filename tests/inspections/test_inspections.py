"""双随机一公开 end to end: pools, plan, commitment, draw, notices, results, verification."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.records import ImportRejected
from enforcement.extensions import db
from enforcement.inspections import drawing, pools, services
from enforcement.inspections.models import InspectionTarget
from tests.conftest import login_as
from tests.inspections.helpers import drawn_plan, target_rows, town_with_pools


def test_target_import_is_all_or_nothing_with_line_and_field(app):
    town_with_pools(5)
    rows = target_rows(8)
    rows[3][1]["名称"] = ""
    with pytest.raises(ImportRejected) as e:
        pools.import_targets(rows)
    assert [(err.line, err.field) for err in e.value.errors] == [(5, "name")]
    db.session.rollback()
    assert db.session.scalar(select(func.count(InspectionTarget.id))) == 0


def test_target_pool_imports_from_xlsx_and_csv(app, tmp_path):
    from openpyxl import Workbook

    town_with_pools(0)
    wb = Workbook()
    wb.active.append(["统一社会信用代码或编号", "名称", "类别"])
    wb.active.append(["91110115MA0123456L", "北京甲餐厅", "餐饮"])
    wb.save(tmp_path / "targets.xlsx")
    (tmp_path / "targets.csv").write_text("code,name\n91110115MA07654323,北京乙餐厅\n", encoding="gbk")
    assert pools.import_targets_file(tmp_path / "targets.xlsx")["created"] == 1
    assert pools.import_targets_file(tmp_path / "targets.csv")["created"] == 1
    assert [t.name for t in pools.target_pool()] == ["北京甲餐厅", "北京乙餐厅"]


def test_inspector_pool_holds_only_officers_credentialed_on_the_draw_date(app):
    town_with_pools()
    from enforcement.disclosure.models import Agency

    agency_id = db.session.scalar(select(Agency.id))
    names = [o.name for o in pools.inspector_pool(agency_id, date(2021, 10, 9))]
    assert "钱进" not in names and len(names) == 3
    assert "钱进" in [o.name for o in pools.inspector_pool(agency_id, date(2020, 6, 1))]


def test_ratio_below_the_floor_and_a_single_inspector_are_refused(app):
    item_id = town_with_pools()
    common = dict(number="P-1", title="计划", item_id=item_id, period_start=date(2021, 10, 8),
                  period_end=date(2021, 12, 31), draw_on=date(2021, 10, 8))
    with pytest.raises(RuleViolation, match="5%"):
        services.create_plan(ratio_percent="4.99", **common)
    with pytest.raises(RuleViolation, match="至少须抽取2名"):
        services.create_plan(ratio_percent="5", inspectors_per_target=1, **common)
    assert services.create_plan(ratio_percent="5.0", **common).ratio_percent == "5"


def test_draw_needs_a_published_commitment_first(app):
    item_id = town_with_pools()
    plan = services.create_plan(number="P-2", title="计划", item_id=item_id, ratio_percent="5",
                                period_start=date(2021, 10, 8), period_end=date(2021, 12, 31), draw_on=date(2021, 10, 8))
    with pytest.raises(RuleViolation, match="先公示"):
        services.perform_draw(plan, date(2021, 10, 8))
    services.publish_plan(plan, date(2021, 10, 1))
    with pytest.raises(RuleViolation, match="未到计划抽取日期"):
        services.perform_draw(plan, date(2021, 10, 7))


def test_published_draw_reruns_identically_from_its_download(app, client):
    plan = drawn_plan()
    db.session.commit()
    response = client.get(f"/inspections/plans/{plan.id}/draw.json")
    document = json.loads(response.get_data(as_text=True))
    outcome = drawing.verify(document)
    assert outcome.ok, outcome.problems
    drawn = [(t.target.code, t.inspector_list) for t in plan.draw.tasks]
    assert [(t.code, t.inspectors) for t in outcome.result] == drawn
    assert len(drawn) == 3  # 10% of 30
    assert all("11011500004" not in inspectors for _, inspectors in drawn)  # expired credential never drawn
    assert not audit_log.verify()


def test_verify_draw_command_reruns_a_past_draw(app, runner):
    plan = drawn_plan()
    db.session.commit()
    result = runner.invoke(args=["inspections", "verify-draw", str(plan.id)])
    assert result.exit_code == 0, result.output
    assert "验证通过" in result.output
    plan.draw.result_json = plan.draw.result_json.replace("11011500001", "11011500009", 1)
    db.session.commit()
    if "11011500001" in json.dumps([t.inspector_list for t in plan.draw.tasks]):
        tampered = runner.invoke(args=["inspections", "verify-draw", str(plan.id)])
        assert tampered.exit_code == 1 and "不一致" in tampered.output


def test_notices_show_commitment_before_and_seed_after_the_draw(app, client):
    item_id = town_with_pools()
    plan = services.create_plan(number="P-3", title="燃气安全抽查", item_id=item_id, ratio_percent="5",
                                period_start=date(2021, 10, 8), period_end=date(2021, 12, 31), draw_on=date(2021, 10, 8))
    db.session.commit()
    assert client.get(f"/inspections/plans/{plan.id}").status_code == 404  # not yet published
    services.publish_plan(plan, date(2021, 10, 8))
    db.session.commit()
    page = client.get(f"/inspections/plans/{plan.id}").get_data(as_text=True)
    assert plan.draw.commitment in page and plan.draw.seed not in page
    before = json.loads(client.get(f"/inspections/plans/{plan.id}/draw.json").get_data(as_text=True))
    assert before["seed"] is None and before["commitment"] == plan.draw.commitment
    services.perform_draw(plan, date(2021, 10, 8))
    db.session.commit()
    page = client.get(f"/inspections/plans/{plan.id}").get_data(as_text=True)
    assert plan.draw.seed in page and plan.draw.tasks[0].target.name in page
    assert "燃气安全抽查" in client.get("/inspections/").get_data(as_text=True)


def test_result_notice_is_published_and_deadline_counts_working_days(app, client):
    plan = drawn_plan()
    task = plan.draw.tasks[0]
    services.record_result(task, date(2021, 10, 11), "燃气泄漏报警装置已安装，未发现问题。", False)
    # 20 working days after Mon 2021-10-11 (no holiday in between) is 2021-11-08.
    assert services.result_deadline(task).due == date(2021, 11, 8)
    services.publish_result(task, date(2021, 10, 20))
    db.session.commit()
    assert "燃气泄漏报警装置已安装" in client.get(f"/inspections/plans/{plan.id}").get_data(as_text=True)
    with pytest.raises(RuleViolation):
        services.record_result(task, date(2021, 10, 12), "改写", True)


def test_staff_pages_run_the_workflow_and_refuse_anonymous(app, client):
    from enforcement.accounts.services import create_user

    item_id = town_with_pools()
    create_user("officer", "officer-demo-2021", ["officer"])
    db.session.commit()
    assert client.get("/inspections/manage/").status_code == 302
    login_as(client, "officer")
    assert client.get("/inspections/manage/").status_code == 200
    response = client.post("/inspections/manage/plans", data={
        "number": "P-9", "title": "垃圾分类抽查", "item_id": item_id, "ratio_percent": "3",
        "inspectors_per_target": 2, "period_start": "2021-10-08", "period_end": "2021-12-31", "draw_on": "2021-10-08"})
    assert response.status_code == 400 and "5%" in response.get_data(as_text=True)
    response = client.post("/inspections/manage/plans", data={
        "number": "P-9", "title": "垃圾分类抽查", "item_id": item_id, "ratio_percent": "5",
        "inspectors_per_target": 2, "period_start": "2021-10-08", "period_end": "2021-12-31", "draw_on": "2021-10-08"})
    assert response.status_code == 302
    plan_url = response.headers["Location"]
    plan_id = int(plan_url.rstrip("/").rsplit("/", 1)[1])
    client.post(f"/inspections/manage/plans/{plan_id}/publish")
    client.post(f"/inspections/manage/plans/{plan_id}/draw")
    page = client.get(plan_url).get_data(as_text=True)
    assert "随机码" in page and "检查结果登记" in page
