"""The annual report's files as a reader gets them: a print-ready PDF and a workbook of numbers."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from enforcement.audit.report_files import issuing_body, report_pdf, report_xlsx
from enforcement.audit.reports import AnnualReport, Section
from enforcement.core.exporting import Money, Ratio, display_width
from tests.pdf_checks import pdf_text, unembedded_fonts


def _report() -> AnnualReport:
    return AnnualReport(2025, date(2026, 1, 10), "西红门镇", [
        Section("执法决定数量（按类别）", ["类别", "决定数", "罚款金额（元）"],
                [["行政处罚", 1234, Money(Decimal("56789.5"))], ["合计", 1234, Money(Decimal("56789.5"))]]),
        Section("执法人员培训", ["项目", "数值"], [
            ["培训场次", 12], ["培训总学时（人·学时）", "1,234.5"], ["学时达标率", Ratio(0.953)]]),
    ], notes=["统计口径：决定日期在本年度内"])


def test_every_font_in_the_pdf_is_embedded(app):
    assert unembedded_fonts(report_pdf(_report())) == []


def test_the_pdf_text_is_the_report_with_no_missing_glyph(app):
    text, pages = pdf_text(report_pdf(_report()))
    assert "\ufffd" not in text
    squeezed = "".join(text.split())
    for expected in ("西红门镇2025年度行政执法数据统计", "培训总学时（人·学时）", "1,234.5", "95.3%", "56,789.50",
                     "统计年度", "2025年", "统计范围", "生成日期", "2026年1月10日", "应公布日期", "2026年1月31日前",
                     f"第1页共{pages}页"):
        assert expected in squeezed, expected
    closing = "".join(issuing_body(_report()).split()) + "2026年1月10日"
    assert squeezed.index(closing) > squeezed.index("学时达标率")  # 落款: issuing body and date after the tables


def test_the_pdf_names_the_issuing_body(app):
    app.config["TOWN_NAME"] = "西红门镇"
    app.config["TOWN_GOVERNMENT"] = "北京市大兴区西红门镇人民政府"
    with app.test_request_context():
        text, _pages = pdf_text(report_pdf(_report()))
    assert "北京市大兴区西红门镇人民政府" in "".join(text.split())


@pytest.mark.parametrize("sheet_index", [1, 2])
def test_the_workbook_holds_numbers_with_formats_frozen_headers_and_widths(sheet_index):
    wb = load_workbook(io.BytesIO(report_xlsx(_report())))
    sheet = wb.worksheets[sheet_index]
    assert sheet.freeze_panes == "B3"
    assert sheet["A2"].value in ("类别", "项目")
    labels = [str(c.value) for c in sheet["A"][1:] if c.value]
    assert sheet.column_dimensions["A"].width == max(display_width(t) for t in labels) + 2  # not 8.43
    values = {row[0].value: row[1] for row in sheet.iter_rows(min_row=3)}
    if sheet_index == 1:
        fines = sheet["C3"]
        assert (fines.value, fines.data_type, fines.number_format) == (56789.5, "n", "#,##0.00")
        assert (values["合计"].value, values["合计"].data_type, values["合计"].number_format) == (1234, "n", "#,##0")
    else:
        hours = values["培训总学时（人·学时）"]
        assert (hours.value, hours.data_type, hours.number_format) == (1234.5, "n", "#,##0.0")
        rate = values["学时达标率"]
        assert (rate.value, rate.data_type, rate.number_format) == (0.953, "n", "0.0%")


def test_the_cover_sheet_has_dates_and_frozen_header():
    cover = load_workbook(io.BytesIO(report_xlsx(_report()))).worksheets[0]
    assert cover.freeze_panes == "A3"
    rows = {r[0].value: r[1] for r in cover.iter_rows(min_row=3)}
    assert rows["统计年度"].value == 2025 and rows["统计年度"].data_type == "n"
    assert rows["应公布日期"].is_date and rows["应公布日期"].value.date() == date(2026, 1, 31)


def test_the_demo_towns_report_downloads_print_ready_with_chinese_names(demo, demo_client):
    from urllib.parse import quote

    from tests.conftest import login_as

    login_as(demo_client, "supervisor")
    pdf = demo_client.get("/audit/reports/2025.pdf")
    assert pdf.status_code == 200 and unembedded_fonts(pdf.data) == []
    text, _pages = pdf_text(pdf.data)
    assert "\ufffd" not in text and "培训总学时（人·学时）" in "".join(text.split())
    assert f"filename*=UTF-8''{quote('行政执法年度统计_2025年_')}" in pdf.headers["Content-Disposition"]
    xlsx = demo_client.get("/audit/reports/2025.xlsx")
    assert quote("行政执法年度统计_2025年_") in xlsx.headers["Content-Disposition"]
    sheet = next(s for s in load_workbook(io.BytesIO(xlsx.data)).worksheets if "培训" in s.title)
    hours = {r[0].value: r[1] for r in sheet.iter_rows(min_row=3)}["培训总学时（人·学时）"]
    assert hours.data_type == "n" and hours.number_format.startswith("#,##0") and sheet.freeze_panes == "B3"
