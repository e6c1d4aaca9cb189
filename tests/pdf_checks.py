"""Reading a generated PDF back as a reader's software does (pypdf): its text and its fonts."""

from __future__ import annotations

import io


def pdf_text(pdf: bytes) -> tuple[str, int]:
    """(all pages' extracted text, page count)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Base names of the fonts some page uses without carrying a FontFile/FontFile2/FontFile3."""
    from pypdf import PdfReader

    missing, seen = [], 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen += 1
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor):
                missing.append(str(font["/BaseFont"]))
    assert seen, "the PDF uses no font at all"
    return missing
