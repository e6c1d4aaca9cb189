"""PDF output (ReportLab) for reply letters and the annual report: fonts and escaped paragraphs.

The font is embedded when a TrueType CJK font is installed from a system
package (Debian ``fonts-wqy-microhei``, which the project's CI installs; path
overridable with ``PDF_CJK_FONT``), so the letter prints the same everywhere.
Without it the PDF falls back to ReportLab's built-in CID font STSong-Light
(as the audit report does), which readers render from their own Chinese
fonts. Nothing is downloaded at run time. Every paragraph's text is escaped
for ReportLab's mini-markup, so text typed by applicants or staff (``<``,
``&``) can never inject markup.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
_FALLBACK = "STSong-Light"
_EMBEDDED = "CJKEmbedded"


def font_name() -> str:
    """The registered font to use: the embedded TrueType font if one is installed, else STSong-Light."""
    from reportlab.pdfbase import pdfmetrics

    registered = pdfmetrics.getRegisteredFontNames()
    if _EMBEDDED in registered:
        return _EMBEDDED
    for path in (os.environ.get("PDF_CJK_FONT", ""), *CANDIDATES):
        if path and Path(path).is_file():
            from reportlab.pdfbase.ttfonts import TTFont

            try:
                pdfmetrics.registerFont(TTFont(_EMBEDDED, path, subfontIndex=0))
                return _EMBEDDED
            except Exception:  # a damaged or unsupported font file: try the next, then the CID font
                continue
    if _FALLBACK not in registered:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(_FALLBACK))
    return _FALLBACK


def para(text: str, style):
    """A Paragraph of plain ``text`` (escaped; line breaks kept)."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)
