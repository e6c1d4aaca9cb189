"""Record formats for imports and exports: field specs, readers, validation, JSON Schema.

One ``Field`` list per kind is the single source of truth: it validates
imported rows (JSONL, CSV, XLSX), names the columns of exports, and is
published as a JSON Schema in ``docs/schemas/``. Errors are collected for
every line and field, in Chinese, before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from enforcement.core.enums import LabelledEnum
from enforcement.core.textsafety import MAX_LIST_ITEMS, MAX_TEXT, check_zip_size, clean_text, date_problem

LIST_SEPARATORS = re.compile(r"[;；\n]")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "str"  # str | int | bool | date | decimal | enum | list | enum_list | json
    required: bool = False
    max_length: int | None = None
    enum: type[LabelledEnum] | None = None
    default: Any = None
    pattern: str | None = None
    description: str = ""

    def json_schema(self) -> dict[str, Any]:
        base: dict[str, Any]
        if self.type == "int":
            base = {"type": "integer"}
        elif self.type == "bool":
            base = {"type": "boolean"}
        elif self.type == "date":
            base = {"type": "string", "format": "date"}
        elif self.type == "decimal":
            base = {"type": ["number", "string"], "pattern": r"^-?\d+(\.\d{1,2})?$"}
        elif self.type == "enum":
            base = {"type": "string", "enum": [m.value for m in self.enum] + [m.label for m in self.enum]}
        elif self.type == "enum_list":
            base = {"type": "array", "items": {"type": "string", "enum": [m.value for m in self.enum]}}
        elif self.type == "list":
            base = {"type": "array", "items": {"type": "string"}}
        elif self.type == "json":
            base = {}
        else:
            base = {"type": "string"}
            if self.max_length:
                base["maxLength"] = self.max_length
            if self.pattern:
                base["pattern"] = self.pattern
        if not self.required and "type" in base and self.type not in ("list", "enum_list"):
            base["type"] = [*(base["type"] if isinstance(base["type"], list) else [base["type"]]), "null"]
        return {"title": self.label, "description": self.description or self.label, **base}


@dataclass
class RowError:
    line: int
    field: str
    label: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.line}行" if self.line else "文件"
        return f"{where} 字段 {self.field}（{self.label}）：{self.message}" if self.field else f"{where}：{self.message}"


class ImportRejected(Exception):
    """The file has bad records; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} 处错误，未导入任何记录")
        self.errors = errors


@dataclass
class RecordSpec:
    kind: str
    label: str
    key: tuple[str, ...]
    fields: list[Field]
    check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None  # cross-field rules
    _by_header: dict[str, Field] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            self._by_header[f.name] = f
            self._by_header[f.label] = f

    def field_for(self, header: str) -> Field | None:
        return self._by_header.get((header or "").strip())

    def json_schema(self) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{self.kind}.schema.json",
            "title": self.label,
            "description": f"导入/导出记录格式：{self.label}。按 {'、'.join(self.key)} 更新或新增，文件中未出现的记录不会被删除。"
            "CSV/XLSX 的列名可用字段名或中文名；列表字段在 CSV/XLSX 中以分号分隔。",
            "type": "object",
            "properties": {f.name: f.json_schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }


def _parse(f: Field, raw: Any) -> Any:
    """Convert one raw value; raise ValueError with a Chinese message."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if f.required:
            raise ValueError("必填")
        return f.default if f.default is not None else _empty(f)
    if f.type == "str":
        value = raw if isinstance(raw, str) else str(raw)
        value = clean_text(value).strip()
        limit = f.max_length or MAX_TEXT  # a Text column has no length of its own: a sane bound all the same
        if len(value) > limit:
            raise ValueError(f"长度不能超过{limit}个字符")
        if f.pattern and not re.fullmatch(f.pattern, value):
            raise ValueError("格式不正确")
        return value
    if f.type == "int":
        if isinstance(raw, bool):
            raise ValueError("应为整数")
        try:
            return int(str(raw).strip()) if not isinstance(raw, int) else raw
        except ValueError:
            raise ValueError("应为整数") from None
    if f.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "y", "是", "t"):
            return True
        if text in ("0", "false", "no", "n", "否", "f"):
            return False
        raise ValueError("应为 是/否")
    if f.type == "date":
        if isinstance(raw, (date, datetime)):
            value = raw.date() if isinstance(raw, datetime) else raw
            if date_problem(value):
                raise ValueError(date_problem(value))
            return value
        text = str(raw).strip().replace("/", "-").replace(".", "-")
        m = re.fullmatch(r"(\d{4})(?:年|-)(\d{1,2})(?:月|-)(\d{1,2})日?(?:[T ][\d:.]+)?", text)
        try:
            if not m:
                raise ValueError
            value = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValueError("日期格式应为 YYYY-MM-DD") from None
        if date_problem(value):
            raise ValueError(date_problem(value))
        return value
    if f.type == "decimal":
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError("应为金额数字") from None
        if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
            raise ValueError("金额超出范围")
        return value.quantize(Decimal("0.01"))
    if f.type == "enum":
        try:
            return f.enum.from_any(str(raw)).value
        except ValueError:
            raise ValueError("取值无效，可选：" + "、".join(m.label for m in f.enum)) from None
    if f.type in ("list", "enum_list"):
        items = raw if isinstance(raw, list) else [s for s in LIST_SEPARATORS.split(str(raw))]
        items = [clean_text(str(i)).strip() for i in items if clean_text(str(i)).strip()]
        if len(items) > MAX_LIST_ITEMS or any(len(i) > MAX_TEXT for i in items):
            raise ValueError(f"最多{MAX_LIST_ITEMS}项，每项不超过{MAX_TEXT}个字符")
        if f.type == "enum_list":
            try:
                return [f.enum.from_any(i).value for i in items]
            except ValueError as e:
                raise ValueError(f"“{e}”不是有效取值") from None
        return items
    if f.type == "json":
        return raw if not isinstance(raw, str) else json.loads(raw)
    raise AssertionError(f.type)


def _empty(f: Field) -> Any:
    return {"str": "", "list": [], "enum_list": [], "bool": False}.get(f.type)


def validate_rows(spec: RecordSpec, rows: Iterable[tuple[int, dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Parse every row; return the clean records and every error (line, field, reason)."""
    records: list[dict[str, Any]] = []
    errors: list[RowError] = []
    seen_keys: dict[tuple, int] = {}
    for line, raw in rows:
        record: dict[str, Any] = {"_line": line}
        unknown = [k for k in raw if k is not None and spec.field_for(str(k)) is None and str(k).strip()]
        for k in unknown:
            errors.append(RowError(line, str(k), str(k), "未知字段"))
        values = {spec.field_for(str(k)).name: v for k, v in raw.items() if k is not None and spec.field_for(str(k))}
        row_ok = not unknown
        for f in spec.fields:
            try:
                record[f.name] = _parse(f, values.get(f.name))
            except ValueError as e:
                errors.append(RowError(line, f.name, f.label, str(e)))
                row_ok = False
            except (json.JSONDecodeError, TypeError):
                errors.append(RowError(line, f.name, f.label, "格式不正确"))
                row_ok = False
        if row_ok and spec.check:
            for name, message in spec.check(record):
                label = spec.field_for(name).label if spec.field_for(name) else name
                errors.append(RowError(line, name, label, message))
                row_ok = False
        if row_ok:
            key = tuple(record[k] for k in spec.key)
            if key in seen_keys:
                errors.append(RowError(line, spec.key[0], spec.field_for(spec.key[0]).label, f"与第{seen_keys[key]}行重复"))
                continue
            seen_keys[key] = line
            records.append(record)
    return records, errors


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a JSONL, CSV or XLSX file as (line number, raw dict)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _read_jsonl(path)
    elif suffix == ".csv":
        yield from _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        yield from _read_xlsx(path)
    else:
        raise ImportRejected([RowError(0, "", "", f"不支持的文件类型 {suffix or '（无扩展名）'}，请使用 JSONL、CSV 或 XLSX")])


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                raise ImportRejected([RowError(line_no, "", "", f"不是有效的 JSON：{e}")]) from None
            if not isinstance(obj, dict):
                raise ImportRejected([RowError(line_no, "", "", "每行应为一个 JSON 对象")])
            yield line_no, obj


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(0, "", "", "文件编码无法识别，请保存为 UTF-8 或 GBK 编码的 CSV")])


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(_decode(path.read_bytes()), newline=""))
    for row in reader:
        if None in row:
            raise ImportRejected([RowError(reader.line_num, "", "", "列数多于表头")])
        if any((v or "").strip() for v in row.values()):
            yield reader.line_num, row


def _read_xlsx(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    too_big = check_zip_size(path)
    if too_big:
        raise ImportRejected([RowError(0, "", "", too_big)])
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected([RowError(0, "", "", f"无法读取 XLSX 文件：{e}")]) from None
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        for line_no, values in enumerate(rows, 2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield line_no, {h: v for h, v in zip(headers, values, strict=False) if h}
    finally:
        wb.close()


def export_value(f: Field, value: Any, fmt: str) -> Any:
    """A value as written to JSONL (native) or CSV/XLSX (flat text)."""
    if value is None:
        return None if fmt == "jsonl" else ""
    if isinstance(value, Decimal):
        return str(value) if fmt != "xlsx" else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return value if fmt == "jsonl" else "；".join(str(v) for v in value)
    if isinstance(value, bool) and fmt != "jsonl":
        return "是" if value else "否"
    return value
