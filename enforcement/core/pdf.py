"""PDF building blocks (ReportLab): an embedded Chinese font, escaped paragraphs, numbered pages.

The font. A PDF that names a font without carrying it prints with whatever the reader substitutes, and
ReportLab's built-in CID font STSong-Light has no glyph for some characters reports use (the middle dot
of 人·学时 came out as a replacement character). So the font is embedded, as a subset of the glyphs the
document uses (ReportLab always subsets TrueType fonts): WenQuanYi Micro Hei (文泉驿微米黑), TrueType
outlines, shipped inside the ``paperang-p2-fonts-cjk`` package (a dependency: installed with the project,
nothing fetched at run time). The font itself is dual-licensed Apache-2.0 / GPL-3.0 with the font
embedding exception, so embedding it in the documents we publish places no condition on them. ``PDF_CJK_FONT``
(environment) names another TrueType/TTC file; Debian's ``fonts-wqy-microhei`` is tried next; the CID font
is the last resort only, for a broken installation.

Paragraphs. Paragraph text is ReportLab mini-markup (``<img>``, ``<a href>``, ``<font>``…): ``para``
escapes every value, so text typed by staff or applicants is printed, never interpreted (ASVS 4.0 V5.3.1).

Pages. ``numbered_canvas(footer)`` prints "第 N 页 共 M 页" (and an optional footer text) on every page;
the total is known only after the last page, so pages are drawn once the document is complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
EMBEDDED = "CJKEmbedded"
FALLBACK = "STSong-Light"


def packaged_font() -> str:
    """The path of the TrueType collection the font package ships, or "" when it is not installed."""
    try:
        from importlib.resources import files

        path = files("paperang_p2_fonts_cjk").joinpath("fonts", "wqy-microhei.ttc")
    except ModuleNotFoundError:
        return ""
    return str(path) if path.is_file() else ""


def font_name() -> str:
    """The registered name of the font to set Chinese in: the embedded TrueType font when one can be read
    (package, ``PDF_CJK_FONT``, system), else the non-embedded CID font STSong-Light."""
    from reportlab.pdfbase import pdfmetrics

    registered = pdfmetrics.getRegisteredFontNames()
    if EMBEDDED in registered:
        return EMBEDDED
    for path in (os.environ.get("PDF_CJK_FONT", ""), packaged_font(), *SYSTEM_FONTS):
        if path and Path(path).is_file():
            from reportlab.pdfbase.ttfonts import TTFont

            try:
                pdfmetrics.registerFont(TTFont(EMBEDDED, path, subfontIndex=0))
                return EMBEDDED
            except Exception:  # a damaged or unsupported font file: try the next, then the CID font
                continue
    if FALLBACK not in registered:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def para(text: str, style):
    """A Paragraph of plain ``text`` (escaped; line breaks kept)."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def numbered_canvas(font: str, footer: str = "", size: float = 9):
    """A canvas class for ``doc.build(story, canvasmaker=…)`` that prints "第 N 页 共 M 页" centred at the
    foot of every page, and ``footer`` (e.g. the issuing body) at the left."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font  # else pages name Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(font, size)
                self.drawCentredString(width / 2, 8 * 2.8346, f"第 {self._pageNumber} 页 共 {total} 页")
                if footer:
                    self.drawString(15 * 2.8346, 8 * 2.8346, footer)
                super().showPage()
            super().save()

    return NumberedCanvas
