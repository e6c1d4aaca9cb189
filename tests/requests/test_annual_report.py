"""The annual report's tables from the demo town's requests, each cell recounted here independently."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from enforcement.disclosure.models import Agency, Decision
from enforcement.extensions import db
from enforcement.requests import reports
from enforcement.requests.codes import OUTCOMES, ApplicantType
from enforcement.requests.models import InfoRequest, RequestAppeal

YEAR = 2025


def _closed_on(r: InfoRequest) -> date | None:
    """When the request left the office's hands, read from its reply or its closing event (not the column)."""
    if r.reply is not None:
        return r.reply.answered_on
    closing = [e.on for e in r.events if e.kind == "closed"]
    return closing[-1] if closing else None


def expected_cell(requests: list[InfoRequest], row: str, column: str) -> int:
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    chosen = [r for r in requests if column == "total" or r.applicant_type == column]
    chosen = [r for r in chosen if r.received_on is not None]
    if row == "new":
        return sum(first <= r.received_on <= last for r in chosen)
    if row == "carried_in":
        return sum(r.received_on < first and (_closed_on(r) is None or _closed_on(r) >= first) for r in chosen)
    if row == "carried_out":
        return sum(r.received_on <= last and (_closed_on(r) is None or _closed_on(r) > last) for r in chosen)
    closed = [r for r in chosen if _closed_on(r) is not None and first <= _closed_on(r) <= last]
    if row == "total":
        return len(closed)
    return sum((r.reply.outcome if r.reply else r.outcome) == row for r in closed)


@pytest.fixture
def town(demo):
    agency = db.session.scalar(select(Agency).where(Agency.credit_code == "11110115MB1C435893"))
    requests = list(db.session.scalars(select(InfoRequest).where(InfoRequest.agency_id == agency.id)))
    return agency, requests


def test_every_cell_of_table_three_equals_an_independent_count(town):
    agency, requests = town
    table = reports.table_three(YEAR, agency.id)
    rows = [key for key, _g, _l in table.rows()]
    assert len(rows) == 2 + len(OUTCOMES) + 2
    columns = [t.value for t in ApplicantType] + ["total"]
    for row in rows:
        for column in columns:
            assert table.get(row, column) == expected_cell(requests, row, column), (row, column)


def test_the_demo_year_is_what_the_issue_asks_for(town):
    agency, requests = town
    table = reports.table_three(YEAR, agency.id)
    assert 30 <= table.get("new", "total") <= 40
    assert all(table.get(o.code, "total") >= 1 for o in OUTCOMES), "every outcome occurs"
    assert table.get("carried_in", "total") >= 1 and table.get("carried_out", "total") >= 1
    for column in [t.value for t in ApplicantType] + ["total"]:
        assert table.get("new", column) + table.get("carried_in", column) == \
            table.get("total", column) + table.get("carried_out", column)
    assert all(table.get("new", t.value) >= 1 for t in ApplicantType)
    kinds = {e.kind for r in requests for e in r.events}
    assert {"correction_requested", "corrected", "extended", "consultation_started"} <= kinds


def test_table_four_counts_the_reconsideration(town):
    agency, _ = town
    appeals = list(db.session.scalars(select(RequestAppeal)))
    report = reports.build(YEAR, agency)
    rows = {row[0]: row[1:] for row in report.table4_rows()}
    expected = sum(a.kind == "reconsideration" and a.filed_on.year == YEAR and a.result == "upheld" for a in appeals)
    assert expected == 1
    assert rows["行政复议"] == [1, 0, 0, 0, 1]


def test_table_two_counts_this_platforms_decisions(town):
    agency, _ = town
    report = reports.build(YEAR, agency)
    values = dict(report.table2)
    decisions = db.session.scalars(select(Decision)).all()
    names = {a.id for a in db.session.scalars(select(Agency)) if a.id == agency.id or a.entrusted_by == agency.name}
    expected = sum(d.kind == "penalty" and d.decided_on is not None and d.decided_on.year == YEAR and d.agency_id in names
                   and d.status not in ("draft", "in_review") for d in decisions)
    assert values["行政处罚：本年处理决定数量"] == expected > 0


def test_xlsx_cells_are_numbers_and_pdf_is_a_pdf(town):
    from openpyxl import load_workbook

    from enforcement.requests.report_files import report_pdf, report_xlsx

    agency, requests = town
    report = reports.build(YEAR, agency)
    wb = load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = wb["三、依申请公开"]
    new_row = [c.value for c in sheet[2]]
    assert new_row[-1] == expected_cell(requests, "new", "total") and isinstance(new_row[-1], int)
    assert sheet.freeze_panes == "C2" and sheet.column_dimensions["B"].width > 8
    assert sheet.cell(row=2, column=sheet.max_column).number_format == "#,##0"
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF")
    from tests.pdf_checks import pdf_text, unembedded_fonts

    assert unembedded_fonts(pdf) == []
    text, pages = pdf_text(pdf)
    assert "\ufffd" not in text and f"第1页共{pages}页" in "".join(text.split())
    assert "政府信息公开工作年度报告" in "".join(text.split())


def test_narrative_quoting_an_applicant_is_masked(app):
    from tests.requests.helpers import agency

    a = agency()
    row = reports.get_or_create(2025, a)
    warnings = reports.save(row, overview="申请人郑晓东（电话13522223333）申请公开燃气检查计划。", problems="", other_matters="",
                            figures={}, actor="officer")
    assert warnings
    built = reports.build(2025, a)
    assert "13522223333" not in built.overview


def test_the_command_prints_table_three(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["requests", "table3", "2025"])
    assert result.exit_code == 0, result.output
    assert "本年新收政府信息公开申请数量" in result.output and "结转下年度继续办理" in result.output
    bad = demo_app.test_cli_runner().invoke(args=["requests", "table3", "2025", "--agency", "99999"])
    assert bad.exit_code != 0 and "没有这个行政机关" in bad.output
