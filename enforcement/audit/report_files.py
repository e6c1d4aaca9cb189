"""The annual report as an XLSX workbook (one sheet per table) and a printable A4 PDF.

The PDF uses ReportLab's built-in CID font STSong-Light, which every PDF
reader has for Chinese, so no font file is shipped or downloaded.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from enforcement.audit.reports import AnnualReport
from enforcement.core.exporting import MONEY_FORMAT, PERCENT_FORMAT, Money, Ratio, safe_text

_CJK_FONT = "STSong-Light"


def _cell(value):
    """Money and ratios as numbers (formatted below), text never a live formula."""
    if isinstance(value, (Money, Ratio)):
        return float(value) if isinstance(value, Ratio) else value
    return safe_text(value) if isinstance(value, str) else value


def report_xlsx(report: AnnualReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    cover = wb.active
    cover.title = "说明"
    cover.append([report.title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append(["统计年度", report.year])
    cover.append(["生成日期", report.generated_on.isoformat()])
    cover.append(["应公布日期", f"{report.publish_by.isoformat()}前"])
    for note in report.notes:
        cover.append(["说明", note])
    for i, section in enumerate(report.sections, 1):
        sheet = wb.create_sheet(f"{i}.{section.title}"[:31].replace("/", "、"))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(section.columns)
        for row in section.rows:
            sheet.append([_cell(v) for v in row])
            for cell, v in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(v, Money):
                    cell.number_format = MONEY_FORMAT
                elif isinstance(v, Ratio):
                    cell.number_format = PERCENT_FORMAT
        if section.note:
            sheet.append([section.note])
        sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(report: AnnualReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if _CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_CJK_FONT))
    title = ParagraphStyle("title", fontName=_CJK_FONT, fontSize=15, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=_CJK_FONT, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=_CJK_FONT, fontSize=9, leading=13)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=report.title, author=report.agency)
    # Paragraph text is ReportLab markup (<img>, <a href>, <font>…): every value is escaped, so a name
    # typed by staff (an agency's, a course's) is text, never markup (ASVS 4.0 V5.3.1).
    story = [Paragraph(escape(report.title), title),
             Paragraph(f"统计年度：{report.year}年　生成日期：{report.generated_on.isoformat()}　"
                       f"应于{report.publish_by.isoformat()}前公布", body)]
    story += [Paragraph(escape("说明：" + note), body) for note in report.notes]
    for section in report.sections:
        story.append(Paragraph(escape(section.title), heading))
        if not section.rows:
            story.append(Paragraph(escape(section.note or "无数据"), body))
            continue
        table = Table([section.columns, *[[str(v) for v in row] for row in section.rows]], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), _CJK_FONT, 9),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]))
        story += [table, Spacer(1, 4)]
    doc.build(story)
    return out.getvalue()
