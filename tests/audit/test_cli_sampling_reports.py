"""The audit CLI, reproducible samples, and the annual report on the demo town."""

from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import update

from enforcement.audit import sampling
from enforcement.audit.checks import Scope, run_checks
from enforcement.audit.reports import annual_report
from enforcement.core import audit_log
from enforcement.core.audit_log import AuditEvent
from enforcement.demo.town import TODAY
from enforcement.extensions import db
from tests.audit.helpers import add_decisions, decision, town
from tests.conftest import login_as


def test_audit_check_prints_the_same_findings_as_json_and_table(app, runner):
    town()
    add_decisions(decision("京兴西罚字〔2021〕第0001号", decided_on="2021-09-30", published_on="2021-10-18"))
    db.session.commit()
    result = runner.invoke(args=["audit", "check", "--year", "2021", "--today", "2021-11-01", "--format", "json"])
    assert result.exit_code == 1  # a rule is broken
    checks = {c["code"]: c for c in json.loads(result.output)["checks"]}
    assert checks["publication"]["items"][0]["url"].startswith("/audit/items/decision/")
    assert checks["zero_months"]["passed"]
    table = runner.invoke(args=["audit", "check", "--year", "2021", "--today", "2021-11-01", "--check", "publication"])
    assert "公示超期" in table.output and "京兴西罚字〔2021〕第0001号" in table.output
    assert runner.invoke(args=["audit", "check", "--agency", "nope"]).exit_code == 2


def test_audit_verify_reports_a_tampered_entry(app, runner):
    audit_log.record("test.one", "x", 1)
    audit_log.record("test.two", "x", 2)
    db.session.commit()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "校验通过" in ok.output
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(action="test.edited"))
    db.session.commit()
    bad = runner.invoke(args=["audit", "verify"])
    assert bad.exit_code == 1 and "第1条" in bad.output


def test_a_sample_is_reproducible_from_its_seed(demo):
    first = sampling.sample_decisions("2021年第四季度复核", 25, year=2021)
    again = sampling.sample_decisions("2021年第四季度复核", 25, year=2021)
    other = sampling.sample_decisions("另一个种子", 25, year=2021)
    assert [d.id for d in first.decisions] == [d.id for d in again.decisions]
    assert [d.id for d in first.decisions] != [d.id for d in other.decisions]
    assert len({d.id for d in first.decisions}) == 25 and all(d.decided_on.year == 2021 for d in first.decisions)


def test_the_demo_town_gives_a_non_trivial_audit(demo):
    results = {r.code: r for r in run_checks(Scope(TODAY))}
    for code in ("publication", "masking", "legal_review", "withdrawal", "inspection_results"):
        assert results[code].failed > 0, code
        assert results[code].failed < results[code].checked, code  # some pass too
    assert all(r.checked > 0 for r in results.values())


def test_the_2021_annual_report_is_complete_in_all_three_formats(demo, demo_client):
    report = annual_report(2021, TODAY)
    sections = {s.title: s for s in report.sections}
    by_kind = dict((r[0], r[1]) for r in sections["执法决定数量（按类别）"].rows)
    assert by_kind["行政处罚"] > 0 and by_kind["行政许可"] == 0 and by_kind["合计"] > 0
    assert all(s.rows for s in report.sections), [s.title for s in report.sections if not s.rows]
    assert dict(sections["“双随机、一公开”抽查"].rows)["抽中检查对象"] > 0
    assert report.publish_by == date(2022, 1, 31)
    login_as(demo_client, "supervisor")
    html = demo_client.get("/audit/reports/2021").get_data(as_text=True)
    assert "执法决定公示情况" in html and "执法人员培训" in html
    xlsx = demo_client.get("/audit/reports/2021.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert len(workbook.sheetnames) == len(report.sections) + 1
    pdf = demo_client.get("/audit/reports/2021.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and len(pdf.data) > 2000


def test_dashboard_and_api_for_supervisors_only(demo, demo_client):
    assert demo_client.get("/audit/").status_code == 302
    login_as(demo_client, "officer")
    assert demo_client.get("/audit/").status_code == 403
    login_as(demo_client, "supervisor")
    page = demo_client.get("/audit/?year=2021").get_data(as_text=True)
    assert "公示及时性" in page and "存在问题" in page
    detail = demo_client.get("/audit/checks/masking?year=").get_data(as_text=True)
    assert "电话号码" in detail
    api = demo_client.get("/api/audit/checks?year=2021&check=publication").get_json()
    assert api["checks"][0]["failed"] > 0
    assert demo_client.get("/api/audit/checks?year=abc").status_code == 400
    assert demo_client.get("/audit/checks/nope").status_code == 404
    item = api["checks"][0]["items"][0]
    assert "公示超期" in demo_client.get(item["url"]).get_data(as_text=True) or demo_client.get(item["url"]).status_code == 200
