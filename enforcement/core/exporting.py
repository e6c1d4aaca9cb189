"""Streaming writers for JSONL, CSV and XLSX: rows go out as they come, never all in memory.

Files are safe to open in a spreadsheet: a text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would be taken for a formula
(CSV injection), so it gets a leading apostrophe, as the OWASP "CSV Injection"
guidance recommends; the importer removes exactly that apostrophe again
(``core.values.unescape_text``), so an export re-imports unchanged. Numbers
stay numbers: in XLSX money (``Decimal``) is a numeric cell formatted
``#,##0.00``, a ``Ratio`` a numeric cell formatted ``0.0%`` and ``Hours`` a numeric
cell formatted ``0.0``. Every XLSX sheet has its header row frozen and its
columns sized to their headers and contents (``sheet_layout``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from enforcement.core.textsafety import xml_text

FORMATS = ("jsonl", "csv", "xlsx")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "0.0"
COUNT_FORMAT = "#,##0"
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
# What ``write_xlsx_lists`` must fix in a text cell before XlsxWriter takes it: a character XML 1.0 forbids
# or a CR (``xml_text``, line breaks), or rich-string markup; text without any (nearly all) is written as is.
_XLSX_CARE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|^<r>")


class Ratio(float):
    """A share between 0 and 1: numeric in XLSX (formatted as a percentage), "95.0%" as text."""

    def __str__(self) -> str:
        return f"{self:.1%}"


class Money(Decimal):
    """An amount in yuan: numeric in XLSX (formatted #,##0.00), "1,234.00" as text (pages, PDF)."""

    def __str__(self) -> str:
        return f"{self:,.2f}"


class Hours(Decimal):
    """Training hours (学时): numeric in XLSX (formatted 0.0), "1.5" / "2" as text (re-imports unchanged)."""

    def __str__(self) -> str:
        return f"{self.normalize():f}" if self.is_finite() else Decimal.__str__(self)  # sNaN cannot normalise


def safe_text(text: str) -> str:
    """Text that no spreadsheet evaluates: '=HYPERLINK(…) stays text (OWASP CSV injection guidance).

    Text already starting with apostrophes before such a character gets one more, so that removing
    one on import (``core.values.unescape_text``) always gives back the original.
    """
    return "'" + text if _FORMULA_START.match(text) else text


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _flat(value: Any) -> Any:
    """A value as one CSV/XLSX cell: text neutralised, numbers untouched."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f") if isinstance(value, Money) else str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Ratio):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return safe_text("；".join(str(_plain(v)) for v in value))
    if isinstance(value, dict):
        return safe_text(json.dumps(value, ensure_ascii=False, default=_json_default))
    if isinstance(value, str):
        return safe_text(value)
    return value


def _plain(value: Any) -> Any:
    return "" if value is None else "是" if value is True else "否" if value is False else value


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=_json_default) + "\n"


def csv_chunks(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], bom: bool = True) -> Iterator[str]:
    """CSV text in chunks; the header row uses the Chinese labels; a BOM so Excel reads UTF-8."""
    return csv_lists(([_flat(row.get(key)) for key, _ in columns] for row in rows), columns, bom)


def csv_lists(rows: Iterable[list[Any]], columns: list[tuple[str, str]], bom: bool = True) -> Iterator[str]:
    """``csv_chunks`` for rows already flattened to cell lists (in ``columns`` order), e.g. stored ones."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in columns])
    head = buffer.getvalue()
    yield ("\ufeff" + head) if bom else head
    buffer.seek(0)
    buffer.truncate()
    for i, cells in enumerate(rows, 1):
        writer.writerow(cells)
        if i % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], fh: IO[bytes], title: str = "数据") -> int:
    """Write rows (mappings keyed by ``columns``' keys) as a one-sheet XLSX to ``fh``; returns the row count.

    Cells as ``xlsx_value`` makes them; streamed by ``write_xlsx_lists`` in constant memory."""
    return write_xlsx_lists(([xlsx_value(row.get(key)) for key, _ in columns] for row in rows), columns, fh, title)


def write_xlsx_lists(rows: Iterable[list[Any]], columns: list[tuple[str, str]], fh: IO[bytes],
                     title: str = "数据") -> int:
    """``write_xlsx`` for rows already made cell lists in ``columns`` order; returns the row count.

    Each cell is text (written as text, never a formula: neutralise it first with ``safe_text``), None
    or "" (blank), ``Money``/``Decimal`` (number, ``#,##0.00``), ``Hours`` (``0.0``), ``Ratio``
    (``0.0%``) or another int/float (number); a number a spreadsheet cannot hold unchanged (NaN,
    infinite, beyond Excel's ±9.99999999999999E+307 or nonzero nearer 0 than 2.2E-308: ``_finite``) is
    written as its text. Characters XML 1.0 cannot carry are dropped (text that only then starts like a
    formula, ``"\x00=1"``, gets the apostrophe ``safe_text`` would have given it), a line break is
    written as LF (a CR comes back from a re-import as ``_x000D_``), and text past Excel's 32,767
    UTF-16 units a cell is cut and ends with ``TRUNCATED`` (``fit_cell``; the CSV export keeps it whole).
    Text shaped like XlsxWriter's rich-string markup (``<r>…</r>``) is written escaped, as any text is.

    XlsxWriter's ``constant_memory`` mode writes each row to a temporary file as the next one starts,
    so memory stays flat however long the export; it writes about twice as fast as openpyxl's
    write-only mode (measured by ``tests/benchmarks/export_bench.py``). Raises
    ``xlsxwriter.exceptions.FileCreateError`` (not an OSError) if ``fh`` or the temporary directory cannot
    be written, and whatever ``rows`` raises."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(fh, {"constant_memory": True, "strings_to_numbers": False,
                                  "strings_to_formulas": False, "strings_to_urls": False})
    try:
        ws = wb.add_worksheet(_sheet_title(title))
        sheet_layout(ws, [(label, _WIDE.get(key, 0)) for key, label in columns], header_rows=1)
        formats = {Hours: wb.add_format({"num_format": HOURS_FORMAT}),
                   Ratio: wb.add_format({"num_format": PERCENT_FORMAT}),
                   Decimal: wb.add_format({"num_format": MONEY_FORMAT})}
        formats[Money] = formats[Decimal]
        plain = wb.add_format()
        write_string, write_number, care = ws.write_string, ws.write_number, _XLSX_CARE.search

        def text(r: int, c: int, value: str) -> None:
            if len(value) <= XLSX_CELL_CHARS // 2 and not care(value):  # the common case: nothing to fix
                write_string(r, c, value)
                return
            cleaned = xml_text(value)
            if cleaned != value and not _FORMULA_START.match(value) and _FORMULA_START.match(cleaned):
                cleaned = safe_text(cleaned)  # "\x00=1+1" checked by safe_text, "=1+1" once cleaned
            value = cleaned
            if "\r" in value:
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            value = fit_cell(value)
            if value.startswith("<r>") and value.endswith("</r>"):
                # In constant_memory mode XlsxWriter takes such text for rich-string XML and writes it
                # unescaped (one title "<r>&</r>" made the whole file unreadable): as two plain runs it
                # is escaped like any other text and reads back the same.
                ws.write_rich_string(r, c, value[:1], plain, value[1:])
            else:
                write_string(r, c, value)

        for c, (_key, label) in enumerate(columns):
            text(0, c, safe_text(str(label)))
        count = 0
        for r, cells in enumerate(rows, 1):
            for c, value in enumerate(cells):
                kind = type(value)
                if kind is str:
                    if value:
                        text(r, c, value)
                elif value is None:
                    continue
                elif kind in formats or kind is int or kind is float:
                    number = _finite(value)
                    if number is None:
                        text(r, c, str(value))
                    else:
                        write_number(r, c, number, formats.get(kind))
                else:
                    text(r, c, str(_flat(value)))
            count = r
    finally:
        wb.close()
    return count


XLSX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell, in UTF-16 code units
TRUNCATED = "……（超出表格单元格长度，全文见 CSV 导出）"


def fit_cell(text: str) -> str:
    """``text`` cut to Excel's 32,767 UTF-16 code units a cell, ending with ``TRUNCATED`` when cut.

    Excel counts UTF-16 units, so a character outside the BMP (a rare CJK character of Extension B
    such as 𠀀, an emoji) counts twice: 20,000 of them do not fit, and XlsxWriter would cut them to
    16,383 without a word. Raises nothing; ``text`` must hold no lone surrogates (``xml_text`` drops them)."""
    if len(text) <= XLSX_CELL_CHARS // 2:  # cannot be over the limit: skip the count
        return text
    units = len(text.encode("utf-16-le")) // 2
    if units <= XLSX_CELL_CHARS:
        return text
    room, kept = XLSX_CELL_CHARS - len(TRUNCATED), 0
    for i, ch in enumerate(text):
        kept += 2 if ord(ch) > 0xFFFF else 1
        if kept > room:
            return text[:i] + TRUNCATED
    return text  # not reached: the text was over the limit


EXCEL_MAX_NUMBER = 9.99999999999999e307  # Excel specifications and limits: the largest number a cell holds
EXCEL_MIN_NUMBER = 2.2250738585072014e-308  # the smallest positive one; below it Excel stores 0


def _finite(value: Any) -> float | None:
    """``value`` as a float a spreadsheet holds unchanged, or None: NaN, infinite, signalling NaN, beyond
    Excel's ±9.99999999999999E+307 (the largest double, 1.797…E+308, is written rounded up and reads back
    as infinity), or a non-zero value nearer zero than 2.2E-308 (``Decimal('1E-400')`` would become 0)."""
    try:
        number = float(value)
    except (ValueError, OverflowError, ArithmeticError):
        return None
    size = abs(number)
    if not math.isfinite(number) or size > EXCEL_MAX_NUMBER or (size < EXCEL_MIN_NUMBER and value != 0):
        return None
    return number


_TITLE_ENDS = re.compile(r"^[\s']+|[\s']+$")


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\`` nor what XML cannot
    carry, not blank, not the reserved "History"."""
    name = _TITLE_ENDS.sub("", re.sub(r"[\[\]:*?/\\]", "_", xml_text(title))[:31])  # no apostrophe at either end
    while len(name.encode("utf-16-le")) > 62:  # Excel counts UTF-16 units: an emoji is two of the 31
        name = _TITLE_ENDS.sub("", name[:-1])
    return name if name and name.lower() != "history" else "数据"


# Columns whose contents run long (facts, legal basis…): sized for reading, wrapped by the spreadsheet beyond.
_WIDE = {"facts": 60, "basis": 40, "result": 40, "title": 30, "duties": 50, "supervision_channels": 40,
         "discretion": 50, "basis_text": 40, "conditions": 40, "steps_text": 40, "content": 40, "remark": 30,
         "withdrawal_reason": 30, "address": 30, "agency": 28, "party": 24, "number": 26, "course_title": 30,
         "name": 24, "item": 30, "sub_item": 30, "snippet": 60}


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def fit_width(chars: int) -> int:
    """A spreadsheet column width for ``chars`` display columns of content: that + 2, kept to 8..60."""
    return max(8, min(60, chars + 2))


def column_width(label: str, wanted: int = 0) -> int:
    """A column's width in characters: the header's (Chinese counted double) + 2 or ``wanted``, 8 to 60."""
    return fit_width(max(display_width(label), wanted - 2))


def sheet_layout(ws, columns: list[tuple[str, int]], header_rows: int = 1, first_row: int = 1) -> None:
    """Freeze the header rows and size each column of an XlsxWriter worksheet: ``columns`` is (header
    text, wanted width or 0) per column (``column_width``). Runs before the first row is written."""
    ws.freeze_panes(first_row - 1 + header_rows, 0)
    for i, (label, wanted) in enumerate(columns):
        ws.set_column(i, i, column_width(label, wanted))


def xlsx_value(value: Any) -> Any:
    """One XLSX cell value for ``write_xlsx_lists``: money, ratios and hours stay typed numbers, other
    numbers stay numbers, anything else becomes neutralised text (``_flat``: never a formula)."""
    if isinstance(value, (Decimal, Ratio)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return _flat(value)


def attachment(filename: str, disposition: str = "attachment") -> str:
    """Content-Disposition that keeps a Chinese or ASCII file name intact (RFC 6266/5987): an ASCII
    ``filename=`` for old clients and ``filename*=UTF-8''…`` (percent-encoded) for every current one."""
    from urllib.parse import quote

    filename = re.sub(r"[\x00-\x1f\x7f]", "", filename)
    ascii_name = re.sub(r'[?"\\]', "_", filename.encode("ascii", "replace").decode())
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], filename: str):
    """A CSV download streamed from a generator: rows are written as the database yields them."""
    from flask import Response, stream_with_context

    body = (chunk.encode("utf-8") for chunk in csv_chunks(rows, columns))
    response = Response(stream_with_context(body), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = attachment(filename)
    return response


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], filename: str, title: str = "数据"):
    """An XLSX download: written in constant memory (``write_xlsx``) to a temporary file, then streamed and deleted.

    XLSX is a zip whose directory comes last, so it cannot be produced row by row
    on the wire; the temporary file keeps memory constant instead.
    """
    import os
    import tempfile

    from flask import Response

    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
    try:
        with os.fdopen(fd, "wb") as fh:
            write_xlsx(rows, columns, fh, title=title)
        size = os.path.getsize(path)
        fh = open(path, "rb")  # noqa: SIM115  (closed by the generator below)
    finally:
        os.unlink(path)  # the open handle keeps the data until it is read (POSIX)

    def chunks() -> Iterator[bytes]:
        with fh:
            while block := fh.read(64 * 1024):
                yield block

    response = Response(chunks(), mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = attachment(filename)
    response.headers["Content-Length"] = str(size)
    return response


_attachment = attachment  # the name other modules imported before it was public
