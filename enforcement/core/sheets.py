"""Reading import files as offices actually keep them: JSONL, CSV in any Chinese encoding, XLSX laid out for print.

Town offices keep their lists in Excel/WPS sheets made to be printed: a title row
(``西红门镇2026年随机抽查事项清单``) above the header, a 序号 column, headers broken
over two lines or with the unit in brackets, one 检查项目 cell merged down over
its sub-items, blank rows between sections, credential numbers that Excel turned
into floats. ``read_rows`` finds the header row (the first of the top rows that
names the most fields of the record format), fills vertically merged cells
down and says so in ``Table.notes``, skips 序号/签名 columns and blank rows, and
reads "标签：值" cells above the header (``课程编号：T-01`` on a sign-in sheet) as
values for the columns the sheet does not have. Cells are left as the file
holds them; ``Field.coerce`` decides what they mean.

XLSX is read with openpyxl; a file above ``FULL_LOAD_BYTES`` is streamed in
openpyxl's read-only mode, which does not expose merged cells (a printed
layout is never that large). CSV is decoded from UTF-8 or GB18030 (a superset
of GBK), with or without a byte-order mark, and split by the ``csv`` module.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from enforcement.core.records import ImportRejected, RecordSpec, RowError
from enforcement.core.textsafety import check_zip_size

FULL_LOAD_BYTES = 8 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
_GB18030_BOM = b"\x84\x31\x95\x33"
_LABELLED = re.compile(r"^\s*([^:：]{1,20}?)\s*[:：]\s*(.*?)\s*$", re.S)


@dataclass
class Table:
    """Rows of one file as (line, {header as written: cell}), with what reading them found out."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    lenient: bool = True  # cells to coerce (CSV/XLSX); JSONL records are checked strictly against the schema
    unescape: bool = True  # undo the exports' apostrophe before formula-like text (CSV/XLSX only)
    errors: list[RowError] = field(default_factory=list)  # file-level problems (unknown columns, bad lines)
    notes: list[str] = field(default_factory=list)  # what the reader did that the user should know
    headers: dict[str, str] = field(default_factory=dict)  # row key → header as the user wrote it
    missing: set[str] = field(default_factory=set)  # required fields with no column (reported once)

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return iter(self.rows)


def read_rows(path: Path, spec: RecordSpec) -> Table:
    """Read a JSONL, CSV or XLSX file for ``spec``. Raises ImportRejected for a file that cannot be read."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _read_jsonl(path)
    if suffix == ".csv":
        return _read_csv(path, spec)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, spec)
    raise ImportRejected([RowError(0, "", "", f"不支持的文件类型 {suffix or '（无扩展名）'}，请使用 JSONL、CSV 或 XLSX")])


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} 不是有效的 JSON 数值")


def _read_jsonl(path: Path) -> Table:
    table = Table(lenient=False, unescape=False)
    with path.open("rb") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line.decode("utf-8-sig" if line_no == 1 else "utf-8"),
                                 parse_constant=_refuse_constant)
            except UnicodeDecodeError:
                table.errors.append(RowError(line_no, "", "", "不是 UTF-8 编码的文本"))
                continue
            except json.JSONDecodeError as e:
                table.errors.append(RowError(line_no, "", "", f"不是有效的 JSON：{e.msg}（第{e.colno}个字符）"))
                continue
            except RecursionError:
                table.errors.append(RowError(line_no, "", "", "JSON 嵌套层数过多"))
                continue
            except ValueError as e:  # a number longer than Python converts, NaN, Infinity
                table.errors.append(RowError(line_no, "", "", f"不是有效的 JSON：{_number_reason(e)}"))
                continue
            if not isinstance(obj, dict):
                table.errors.append(RowError(line_no, "", "", "每行应为一个 JSON 对象"))
                continue
            table.rows.append((line_no, obj))
    return table


def _number_reason(e: ValueError) -> str:
    text = str(e)
    return "数字位数过多" if "digits" in text or "int" in text else text


def decode(data: bytes) -> str:
    """CSV bytes as text: UTF-8 or GB18030/GBK, with or without a byte-order mark."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        if data.startswith(_GB18030_BOM):
            return data[len(_GB18030_BOM):].decode("gb18030")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        pass
    else:
        for encoding in ("utf-8", "gb18030"):  # Excel in China saves CSV as GBK
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                continue
    raise ImportRejected([RowError(0, "", "", "文件编码无法识别，请保存为 UTF-8 或 GBK 编码的 CSV")])


def _read_csv(path: Path, spec: RecordSpec) -> Table:
    reader = csv.reader(io.StringIO(decode(path.read_bytes()), newline=""))
    grid: list[tuple[int, list[Any]]] = []  # numbered by record, as a spreadsheet shows the rows
    try:
        for row_no, cells in enumerate(reader, 1):
            grid.append((row_no, cells))
    except csv.Error as e:
        raise ImportRejected([RowError(reader.line_num, "", "", f"CSV 格式错误：{e}")]) from None
    return _table(grid, spec, {})


def _read_xlsx(path: Path, spec: RecordSpec) -> Table:
    from openpyxl import load_workbook

    too_big = check_zip_size(path)  # a zip bomb is refused from its directory, before any XML is parsed
    if too_big:
        raise ImportRejected([RowError(0, "", "", too_big)])
    full = path.stat().st_size <= FULL_LOAD_BYTES
    try:
        wb = load_workbook(path, read_only=not full, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected([RowError(0, "", "", f"无法读取 XLSX 文件：{type(e).__name__}")]) from None
    try:
        ws = wb.worksheets[0]
        grid = [(i, list(cells)) for i, cells in enumerate(ws.iter_rows(values_only=True), 1)]
        merges: dict[tuple[int, int], tuple[int, int]] = {}  # (row, col) filled → (first row, last row)
        if full:
            for rng in ws.merged_cells.ranges:
                if rng.max_row == rng.min_row:
                    continue
                value = grid[rng.min_row - 1][1][rng.min_col - 1]
                for row in range(rng.min_row + 1, rng.max_row + 1):
                    grid[row - 1][1][rng.min_col - 1] = value
                    merges[(row, rng.min_col - 1)] = (rng.min_row, rng.max_row)
        return _table(grid, spec, merges)
    finally:
        wb.close()


def _text(cell: Any) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table(grid: list[tuple[int, list[Any]]], spec: RecordSpec, merges: dict) -> Table:
    table = Table()
    filled = [(line, cells) for line, cells in grid if not all(_blank(c) for c in cells)]
    if not filled:
        return table
    head = filled[:HEADER_SEARCH_ROWS]
    scores = [sum(1 for c in cells if not _blank(c) and spec.field_for(_text(c))) for _, cells in head]
    at = scores.index(max(scores))
    header_line, header_cells = head[at]
    context = _context(head[:at], spec)
    columns: dict[int, str] = {}
    taken: dict[str, str] = {}
    for col, cell in enumerate(header_cells):
        text = _text(cell)
        if not text or spec.ignorable(text):
            continue
        f = spec.field_for(text)
        if f is None:
            table.errors.append(RowError(header_line, "", "", "未知字段（可用的列："
                                         + "、".join(x.label for x in spec.fields) + "）", text))
        elif f.name in taken:
            table.errors.append(RowError(header_line, f.name, f.label, f"列“{text}”与列“{taken[f.name]}”是同一字段",
                                         text))
        else:
            taken[f.name] = text
            columns[col] = text
    for label, (f, value) in context.items():
        if f.name not in taken:
            table.notes.append(f"各行的“{f.label}”取自表头上方的“{label}：{_text(value)}”")
    given = set(taken) | {f.name for f, _v in context.values()}
    for f in spec.fields:
        if f.required and f.name not in given:
            table.missing.add(f.name)
            table.errors.append(RowError(header_line, f.name, f.label, f"缺少必填列“{f.label}”（表头在第{header_line}行）"))
    fills: dict[str, list[tuple[int, int]]] = {}
    for line, cells in grid:
        if line <= header_line:
            continue
        row = {columns[c]: cells[c] for c in columns if c < len(cells)}
        if all(_blank(v) for v in row.values()):
            continue
        for label, (f, value) in context.items():
            if f.name not in taken:
                row[label] = value
        for c in columns:
            span = merges.get((line, c))
            if span and span[0] > header_line and span not in fills.setdefault(columns[c], []):
                fills[columns[c]].append(span)
        table.rows.append((line, row))
    for header, spans in fills.items():
        where = "、".join(f"第{a}–{b}行" for a, b in spans[:5]) + ("等" if len(spans) > 5 else "")
        table.notes.append(f"“{header}”列的合并单元格已向下填充（{where}）")
    table.headers = {h: h for h in columns.values()}
    return table


def _context(rows: list[tuple[int, list[Any]]], spec: RecordSpec) -> dict[str, tuple[Any, Any]]:
    """"标签：值" written above the header (in one cell, or the label's cell then the value's)."""
    found: dict[str, tuple[Any, Any]] = {}
    for _line, cells in rows:
        texts = [_text(c) for c in cells]
        for i, text in enumerate(texts):
            m = _LABELLED.match(text) if text else None
            if not m:
                continue
            label, value = m[1], m[2]
            if not value:
                value = next((cells[j] for j in range(i + 1, len(cells)) if not _blank(cells[j])), "")
            f = spec.field_for(label)
            if f is not None and not _blank(value):
                found.setdefault(label, (f, value))
    return found
