"""Record formats for imports and exports: field specs, validation, JSON Schema.

One ``Field`` list per kind is the single source of truth: it validates
imported rows (JSONL, CSV, XLSX), names the columns of exports, and is
published as a JSON Schema in ``docs/schemas/``. The schema and the check of
each field are built side by side in ``enforcement.core.values`` so they
cannot disagree. Errors are collected for every line and field, in Chinese,
before anything is written. Files are read by ``enforcement.core.sheets``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from enforcement.core import values
from enforcement.core.enums import LabelledEnum
from enforcement.core.textsafety import date_problem

LIST_SEPARATORS = values.LIST_SEPARATORS

# Bracketed words in a header that are units: they must agree with the field's own unit.
UNITS = {"元", "万元", "千元", "百元", "角", "分", "日", "天", "工作日", "个工作日", "月", "个月", "年", "小时", "学时",
         "%", "人", "次", "件"}
IGNORED_HEADERS = {"序号", "编号序号", "签名", "签字", "本人签名", "本人签字"}


def header_key(text: Any) -> str:
    """A header as compared: width folded (NFKC), no spaces or line breaks, one bracket style, no * or colon.

    ``罚款金额(元)``, ``罚款金额（元）`` and ``罚款\\n金额 （元）`` give the same key.
    """
    key = unicodedata.normalize("NFKC", str(text or ""))
    key = "".join(key.split()).translate(str.maketrans("〔〕[]【】［］﹝﹞{}", "()()()()()()"))
    return key.strip("*※:：").lower()


_BRACKETED = re.compile(r"\(([^()]*)\)")


def _split_header(key: str) -> tuple[str, list[str]]:
    """(base without bracketed parts, the bracketed parts)."""
    return _BRACKETED.sub("", key), _BRACKETED.findall(key)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "str"  # str | int | bool | date | decimal | enum | list | enum_list
    required: bool = False
    max_length: int | None = None
    enum: type[LabelledEnum] | None = None
    default: Any = None
    pattern: str | None = None
    description: str = ""
    aliases: tuple[str, ...] = ()  # other headers real sheets use for this column
    clean: str = ""  # "code": identifier (width, spaces, Excel floats); "name": a person's name padded for print
    minimum: int | None = None
    maximum: int | None = None

    def bounds(self) -> tuple[int, int]:
        return (values.INT_MIN if self.minimum is None else self.minimum,
                values.INT_MAX if self.maximum is None else self.maximum)

    def enum_choices(self) -> list[str]:
        return [m.value for m in self.enum] + [m.label for m in self.enum]

    def empty(self) -> Any:
        if self.default is not None:
            return self.default
        return {"str": "", "list": [], "enum_list": [], "bool": False}.get(self.type)

    def json_schema(self) -> dict[str, Any]:
        return {"title": self.label, "description": self.description or self.label, **values.schema(self)}

    def check(self, value: Any) -> Any:
        """A JSON value → the stored value; ValueError (Chinese) exactly when the schema refuses it."""
        return values.check(self, value)

    def coerce(self, cell: Any, *, unescape: bool = False) -> Any:
        """A spreadsheet cell → the JSON value it stands for (see ``values.coerce``)."""
        return values.coerce(self, cell, unescape=unescape)


@dataclass
class RowError:
    line: int
    field: str
    label: str
    message: str
    header: str = ""  # the column header as written in the file, when it differs from the field name

    def __str__(self) -> str:
        where = f"第{self.line}行" if self.line else "文件"
        if self.header and self.header != self.field:
            name = f"（{self.field}）" if self.field else ""
            return f"{where} 列“{self.header}”{name}：{self.message}"
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
    ignore: tuple[str, ...] = ()  # headers of columns real sheets carry that the import does not use
    key_normaliser: Callable[[str], str] | None = None  # e.g. numbers.number_key: spellings of one key
    _by_name: dict[str, Field] = field(default_factory=dict, init=False, repr=False)
    _by_key: dict[str, Field] = field(default_factory=dict, init=False, repr=False)
    _by_base: dict[str, list[tuple[Field, list[str]]]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            self._by_name[f.name] = f
            for header in (f.name, f.label, *f.aliases):
                self._by_key.setdefault(header_key(header), f)
                base, parts = _split_header(header_key(header))
                self._by_base.setdefault(base, []).append((f, parts))

    def field_for(self, header: Any) -> Field | None:
        """The field a column header means: by name, Chinese label or alias, however it is spaced,
        bracketed or broken over lines; a bracketed note (不公开, 必填) may be added or left out, but a
        bracketed unit must be the field's own (罚款金额（万元） is not 罚款金额（元）)."""
        if header is None:
            return None
        if header in self._by_name:
            return self._by_name[header]
        key = header_key(header)
        if key in self._by_key:
            return self._by_key[key]
        base, parts = _split_header(key)
        units = [p for p in parts if p in UNITS]
        for f, field_parts in self._by_base.get(base, []):
            field_units = [p for p in field_parts if p in UNITS]
            if units == field_units or (not units and f.type != "decimal") or (
                    units and not field_units and f.type not in ("decimal", "int")):
                return f
        return None

    def ignorable(self, header: Any) -> bool:
        """A column such as 序号 or 签名 that printed sheets carry and the import skips."""
        key = header_key(header)
        return self.field_for(header) is None and (
            key in IGNORED_HEADERS or key in {header_key(h) for h in self.ignore})

    def key_value(self, record: dict[str, Any]) -> tuple:
        """The natural key of a clean record, normalised: two spellings of one 文号 are one key."""
        norm = self.key_normaliser
        return tuple(norm(record[k]) if norm and isinstance(record[k], str) else record[k] for k in self.key)

    def json_schema(self) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{self.kind}.schema.json",
            "title": self.label,
            "description": f"导入/导出记录格式：{self.label}。按 {'、'.join(self.key)} 更新或新增，文件中未出现的记录不会被删除。"
            "CSV/XLSX 的列名可用字段名、中文名或别名（不计全半角、空格、换行和括号样式）；"
            "列表字段在 CSV/XLSX 中以分号分隔；金额为不超过两位小数的文本或整数。",
            "type": "object",
            "properties": {f.name: f.json_schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }


def validate_record(spec: RecordSpec, raw: dict[str, Any], line: int = 0, *, lenient: bool = False,
                    headers: dict[str, str] | None = None, rules: bool = True, unescape: bool = False,
                    ) -> tuple[dict[str, Any] | None, list[RowError]]:
    """One record: (the clean record or None, its errors). Field checks mirror the JSON Schema exactly;
    the spec's cross-field rules run only on a record whose every field is valid.

    ``lenient`` reads spreadsheet cells (``Field.coerce``) first; ``headers`` maps a key of ``raw`` to
    the column header as written, for messages; ``rules=False`` skips the cross-field rules (what the
    JSON Schema itself expresses is then exactly what is checked).
    """
    errors: list[RowError] = []
    given: dict[str, tuple[str, Any]] = {}
    for k, v in raw.items():
        f = spec._by_name.get(k) if not lenient else spec.field_for(k)
        if f is None:
            if not lenient or str(k).strip():
                errors.append(RowError(line, str(k), str(k), "未知字段"))
            continue
        given[f.name] = (str(k), v)
    record: dict[str, Any] = {"_line": line}
    for f in spec.fields:
        written, value = given.get(f.name, (f.name, None))
        header = (headers or {}).get(written, written) if lenient else ""
        try:
            if lenient:
                value = f.coerce(value, unescape=unescape)
            record[f.name] = f.check(value)
        except ValueError as e:
            errors.append(RowError(line, f.name, f.label, str(e), header))
    if errors:
        return None, errors
    if rules:  # dates a town office can mean (a draft dated 9999-12-31 broke the workbench's calendar)
        for f in spec.fields:
            if f.type == "date" and record.get(f.name) and date_problem(record[f.name]):
                errors.append(RowError(line, f.name, f.label, date_problem(record[f.name])))
    if spec.check and rules and not errors:
        for name, message in spec.check(record):
            f = spec._by_name.get(name)
            errors.append(RowError(line, name, f.label if f else name, message))
    return (None if errors else record), errors


def validate_rows(spec: RecordSpec, rows: Iterable[tuple[int, dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Parse every row; return the clean records and every error (line, field, reason).

    ``rows`` is a ``sheets.Table`` (CSV/XLSX cells, or JSONL records read strictly against the schema)
    or any iterable of (line, dict) from Python code, read like spreadsheet cells.
    """
    lenient = getattr(rows, "lenient", True)
    headers = getattr(rows, "headers", None)
    missing = getattr(rows, "missing", set())  # already reported once for the whole file
    unescape = getattr(rows, "unescape", False)  # CSV/XLSX: our exports escaped formula-like text
    records: list[dict[str, Any]] = []
    errors: list[RowError] = list(getattr(rows, "errors", []))
    seen_keys: dict[tuple, int] = {}
    for line, raw in rows:
        record, row_errors = validate_record(spec, raw, line, lenient=lenient, headers=headers, unescape=unescape)
        errors.extend(e for e in row_errors if e.field not in missing)
        if record is None:
            continue
        key = tuple(spec.key_value(record))
        if key in seen_keys:
            f = spec._by_name[spec.key[0]]
            errors.append(RowError(line, f.name, f.label, f"与第{seen_keys[key]}行重复"))
            continue
        seen_keys[key] = line
        records.append(record)
    return records, errors

