"""Streaming writers for JSONL, CSV and XLSX: rows go out as they come, never all in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

FORMATS = ("jsonl", "csv", "xlsx")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _flat(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "；".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return value


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=_json_default) + "\n"


def csv_chunks(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], bom: bool = True) -> Iterator[str]:
    """CSV text in chunks; the header row uses the Chinese labels; a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in columns])
    head = buffer.getvalue()
    yield ("\ufeff" + head) if bom else head
    buffer.seek(0)
    buffer.truncate()
    for i, row in enumerate(rows, 1):
        writer.writerow([_flat(row.get(key)) for key, _ in columns])
        if i % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], fh: IO[bytes], title: str = "数据") -> int:
    """Write an XLSX with openpyxl's write-only mode (constant memory); returns the row count."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append([label for _, label in columns])
    count = 0
    for row in rows:
        values = []
        for key, _ in columns:
            v = row.get(key)
            v = float(v) if isinstance(v, Decimal) else _flat(v) if not isinstance(v, (int, float)) else v
            values.append(ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)  # openpyxl refuses them
        ws.append(values)
        count += 1
    wb.save(fh)
    return count


def _attachment(filename: str) -> str:
    """Content-Disposition that keeps a Chinese or ASCII file name intact (RFC 6266/5987)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], filename: str):
    """A CSV download streamed from a generator: rows are written as the database yields them."""
    from flask import Response, stream_with_context

    body = (chunk.encode("utf-8") for chunk in csv_chunks(rows, columns))
    response = Response(stream_with_context(body), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = _attachment(filename)
    return response


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], filename: str, title: str = "数据"):
    """An XLSX download: written in write-only mode to a temporary file, then streamed and deleted.

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
    response.headers["Content-Disposition"] = _attachment(filename)
    response.headers["Content-Length"] = str(size)
    return response
