"""The reply letter (答复告知书) as an A4 PDF."""

from __future__ import annotations

import io

from enforcement.requests.pdf import font_name, para
from enforcement.requests.replies import Letter


def letter_pdf(letter: Letter) -> bytes:
    """Render one letter (see ``replies.letter``) to PDF bytes; all text escaped, CJK font as in ``pdf``."""
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    font = font_name()
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=28, alignment=TA_CENTER, spaceAfter=4)
    number = ParagraphStyle("n", fontName=font, fontSize=11, leading=18, alignment=TA_CENTER, spaceAfter=12)
    body = ParagraphStyle("b", fontName=font, fontSize=12, leading=22, firstLineIndent=24, spaceAfter=6,
                          wordWrap="CJK")
    plain = ParagraphStyle("p", parent=body, firstLineIndent=0)
    right = ParagraphStyle("r", parent=body, alignment=TA_RIGHT, firstLineIndent=0)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=30 * mm, title=letter.title, author=letter.agency)
    story = [para(letter.title, title), para(letter.number, number), para(f"{letter.addressee}：", plain),
             para(letter.opening, body), para(letter.body, body), para(letter.remedies, body),
             Spacer(1, 24), para(letter.agency, right),
             para(f"{letter.answered_on.year}年{letter.answered_on.month}月{letter.answered_on.day}日", right)]
    doc.build(story)
    return out.getvalue()
