"""The annual report as an XLSX workbook (numeric cells, no formulas) and an A4 PDF."""

from __future__ import annotations

import io
from decimal import Decimal

from enforcement.requests.codes import AppealResult
from enforcement.requests.reports import COLUMN_LABELS, YearReport

TABLE4_COLUMNS = ["类别", *(r.label for r in AppealResult), "总计"]


def _text(value: str) -> str:
    """A text cell that can never be read as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def report_xlsx(report: YearReport) -> bytes:
    """One sheet per part: 说明 (narrative), 表二, 表三, 表四; counts are numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    cover = wb.active
    cover.title = "说明"
    cover.append([_text(report.title)])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append(["应公布日期", f"{report.publish_by.isoformat()}前"])
    cover.append(["公布日期", report.published_on.isoformat() if report.published_on else "尚未公布"])
    for heading, text in (("一、总体情况", report.overview), ("五、存在的主要问题及改进情况", report.problems),
                          ("六、其他需要报告的事项", report.other_matters)):
        cover.append([heading, _text(text)])
    t2 = wb.create_sheet("二、主动公开")
    t2.append(["项目", "数量"])
    for label, value in report.table2:
        t2.append([label, _number(value)])
    t3 = wb.create_sheet("三、依申请公开")
    t3.append(["项目", "情形", *COLUMN_LABELS])
    for row in report.table3.as_rows():
        t3.append(row)
    t4 = wb.create_sheet("四、复议诉讼")
    t4.append(TABLE4_COLUMNS)
    for row in report.table4_rows():
        t4.append(row)
    from enforcement.core.exporting import COUNT_FORMAT, display_width, fit_width

    for sheet in wb.worksheets:
        sheet.freeze_panes = "A2" if sheet is cover else "B2" if sheet is not t3 else "C2"
        widths: dict[str, int] = {}
        for row in sheet.iter_rows(min_row=1 if sheet is not cover else 2):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = COUNT_FORMAT if isinstance(cell.value, int) else "#,##0.##"
                if cell.value is not None:
                    widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), display_width(str(cell.value)))
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = fit_width(width)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(report: YearReport) -> bytes:
    """The report in the national order: narrative, tables 二–四, problems, other matters."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from enforcement.requests.pdf import font_name, numbered_canvas, para

    font = font_name()
    title = ParagraphStyle("t", fontName=font, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=8)
    heading = ParagraphStyle("h", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("b", fontName=font, fontSize=10, leading=16, firstLineIndent=20, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    right = ParagraphStyle("r", fontName=font, fontSize=11, leading=18, alignment=TA_RIGHT)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=18 * mm, title=report.title, author=report.agency)
    style = TableStyle([("FONT", (0, 0), (-1, -1), font, 8), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])

    def table(header, rows, widths=None, labels=1):
        data = [[para(h, cell) for h in header]]
        data += [[para(v, cell) if isinstance(v, str) else str(_number(v)) for v in row] for row in rows]
        t = Table(data, repeatRows=1, colWidths=widths)
        t.setStyle(style)
        t.setStyle(TableStyle([("ALIGN", (labels, 1), (-1, -1), "RIGHT")]))
        return t

    published = report.published_on.isoformat() if report.published_on else "尚未公布"
    story = [para(report.title, title),
             para(f"应于{report.publish_by.isoformat()}前公布；公布日期：{published}", body),
             para("一、总体情况", heading), para(report.overview or "（未填写）", body),
             para("二、主动公开政府信息情况", heading),
             table(["项目", "数量"], report.table2, [120 * mm, 40 * mm]),
             para("三、收到和处理政府信息公开申请情况", heading),
             table(["项目", "情形", *COLUMN_LABELS], report.table3.as_rows(),
                   [55 * mm, 70 * mm, *[20 * mm] * len(COLUMN_LABELS)], labels=2),
             para("四、政府信息公开行政复议、行政诉讼情况", heading),
             table(TABLE4_COLUMNS, report.table4_rows()),
             para("五、政府信息公开工作存在的主要问题及改进情况", heading), para(report.problems or "（未填写）", body),
             para("六、其他需要报告的事项", heading), para(report.other_matters or "（未填写）", body),
             Spacer(1, 18), para(report.agency, right)]
    if report.published_on:
        d = report.published_on
        story.append(para(f"{d.year}年{d.month}月{d.day}日", right))
    doc.build(story, canvasmaker=numbered_canvas(font, report.agency))
    return out.getvalue()
