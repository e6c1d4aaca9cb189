"""The annual report as an XLSX workbook (one sheet per table) and a print-ready A4 PDF.

XLSX: counts, money, rates and hours are numeric cells with number formats (``#,##0``, ``#,##0.00``,
``0.0%``, ``#,##0.0``), never text; a figure the report computed as formatted text (the hours total
"1,234.5") is written as the number it says. Every sheet has its title and header rows frozen and its
columns sized to their contents.

PDF: the Chinese font is embedded (``core.pdf``: a subset of WenQuanYi Micro Hei shipped with a
package), so 人·学时 prints the same on every reader and printer; a title block lists year, scope,
date of generation and the date the report must be published by in separate cells; every page is
numbered "第 N 页 共 M 页"; the report ends with the issuing body and the date, as an official document
does (GB/T 9704-2012 §7.3.5 落款).
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from enforcement.audit.reports import AnnualReport
from enforcement.core.exporting import (
    COUNT_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Money,
    Ratio,
    display_width,
    fit_width,
    safe_text,
)

_NUMERIC_TEXT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


def _cell(value) -> tuple[object, str | None]:
    """(cell value, number format): money, ratios, counts and numeric text as numbers; other text never a
    live formula."""
    if isinstance(value, Ratio):
        return float(value), PERCENT_FORMAT
    if isinstance(value, (Money, Decimal)):
        return value, MONEY_FORMAT
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, int):
        return value, COUNT_FORMAT
    if isinstance(value, float):
        return value, "#,##0.0"
    if isinstance(value, str):
        m = _NUMERIC_TEXT.match(value)
        if m:
            decimals = len(m.group(1) or "")
            return float(value.replace(",", "")), "#,##0" + ("." + "0" * decimals if decimals else "")
        return safe_text(value), None
    return value, None


def _chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def issuing_body(report: AnnualReport) -> str:
    """Who issues the report: the town government for the whole town, else the agency it covers."""
    try:
        from flask import current_app

        config = current_app.config
        if report.agency == config.get("TOWN_NAME"):
            return config.get("TOWN_GOVERNMENT") or report.agency
    except RuntimeError:  # rendered outside an application (tests, scripts)
        pass
    return report.agency


def _size_columns(sheet) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=2):  # row 1 is the sheet's title, which may run across
        for cell in row:
            if cell.value is not None:
                text = f"{cell.value:,.2f}" if isinstance(cell.value, float) else str(cell.value)
                widths[cell.column] = max(widths.get(cell.column, 0), display_width(text))
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = fit_width(width)


def report_xlsx(report: AnnualReport) -> bytes:
    """The workbook: 说明 (title, year, dates, issuing body, notes), then one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    cover = wb.active
    cover.title = "说明"
    cover.append([safe_text(report.title)])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append(["项目", "内容"])
    cover.append(["统计年度", report.year])
    cover.append(["统计范围", safe_text(report.agency)])
    cover.append(["发布机关", safe_text(issuing_body(report))])
    cover.append(["生成日期", report.generated_on])
    cover.append(["应公布日期", report.publish_by])
    for note in report.notes:
        cover.append(["说明", safe_text(note)])
    for row in cover.iter_rows(min_row=3):
        if isinstance(row[1].value, date):
            row[1].number_format = "yyyy-mm-dd"
    cover.freeze_panes = "A3"
    for i, section in enumerate(report.sections, 1):
        sheet = wb.create_sheet(f"{i}.{section.title}"[:31].replace("/", "、"))
        sheet.append([safe_text(section.title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe_text(c) for c in section.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in section.rows:
            cells = [_cell(v) for v in row]
            sheet.append([v for v, _fmt in cells])
            for cell, (_v, fmt) in zip(sheet[sheet.max_row], cells, strict=False):
                if fmt:
                    cell.number_format = fmt
        if section.note:
            sheet.append([safe_text(section.note)])
        sheet.freeze_panes = "B3"  # the title and header rows, and the row labels
    for sheet in wb.worksheets:
        _size_columns(sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(report: AnnualReport) -> bytes:
    """The report on landscape A4: title block, one table per section, issuing body and date; the font
    embedded, every page numbered. All text is escaped for ReportLab's markup (ASVS 4.0 V5.3.1)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from enforcement.core.pdf import font_name, numbered_canvas

    font = font_name()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=8,
                           wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, leading=12)
    right = ParagraphStyle("right", parent=body, fontSize=11, leading=18, alignment=TA_RIGHT)
    issuer = issuing_body(report)

    def p(text, style=cell):
        return Paragraph(escape(str(text)), style)

    grid = [("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    block = Table([[p("统计年度"), p(f"{report.year}年"), p("统计范围"), p(report.agency)],
                   [p("生成日期"), p(_chinese_date(report.generated_on)), p("应公布日期"),
                    p(f"{_chinese_date(report.publish_by)}前")]],
                  colWidths=[28 * mm, 70 * mm, 28 * mm, 120 * mm])
    block.setStyle(TableStyle([*grid, ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeeee")),
                               ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#eeeeee"))]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=18 * mm, title=report.title, author=issuer,
                            subject=f"{report.year}年度行政执法数据统计")
    story = [p(report.title, title), block, Spacer(1, 4)]
    story += [p("说明：" + note, body) for note in report.notes]
    for section in report.sections:
        story.append(p(section.title, heading))
        if not section.rows:
            story.append(p(section.note or "无数据", body))
            continue
        table = Table([[p(c) for c in section.columns], *[[p(v) if isinstance(v, str) else str(v) for v in row] for row in section.rows]],
                      repeatRows=1)
        table.setStyle(TableStyle([*grid, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                                   ("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
        story.append(table)
        if section.note:
            story.append(p(section.note, body))
        story.append(Spacer(1, 4))
    story.append(KeepTogether([Spacer(1, 16), p(issuer, right), p(_chinese_date(report.generated_on), right)]))
    doc.build(story, canvasmaker=numbered_canvas(font, issuer))
    return out.getvalue()
