"""One field's values: the JSON Schema it publishes, the strict check that mirrors it, and sheet coercion.

The three live side by side so they cannot drift apart:

* ``schema(f)`` is the JSON Schema (draft 2020-12) fragment published in
  ``docs/schemas/`` for a field;
* ``check(f, value)`` accepts exactly the JSON values that fragment accepts
  (a property test, ``tests/core/test_record_schemas.py``, proves it) and
  returns the stored Python value, or raises ``ValueError`` with a Chinese
  reason;
* ``coerce(f, cell)`` turns what a spreadsheet cell holds (text typed by
  hand, Excel floats, dates) into such a JSON value first. It never rounds or
  guesses: money keeps its exact value or stays as written to be refused.

JSONL records go to ``check`` as they are; CSV/XLSX cells go through
``coerce`` then ``check``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from enforcement.core.numbers import chinese_to_int, credential_key
from enforcement.core.textsafety import MAX_LIST_ITEMS, MAX_TEXT, clean_text, printable

if TYPE_CHECKING:
    from enforcement.core.records import Field

# Text may hold anything but control characters other than tab and line breaks (PostgreSQL refuses NUL;
# XML 1.0, hence XLSX and Atom, refuses the others) and lone surrogates (not encodable as UTF-8).
_BAD = r"\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF"
TEXT = f"^[^{_BAD}]*$"
TEXT_REQUIRED = f"^[^{_BAD}]*[^\\s{_BAD}][^{_BAD}]*$"
MONEY = r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$"  # yuan, at most two decimals, below one trillion
MONEY_MAX = 999_999_999_999
INT_MIN, INT_MAX = 0, 2**31 - 1  # what every database integer column holds
LIST_SEPARATORS = re.compile(r"[;；\n]")
_DANGEROUS_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")  # written by core.exporting.safe_text


def schema(f: Field) -> dict[str, Any]:
    """The JSON Schema of one field (without title/description)."""
    nullable = not f.required
    if f.type == "int":
        lo, hi = f.bounds()
        base: dict[str, Any] = {"type": "integer", "minimum": lo, "maximum": hi}
    elif f.type == "bool":
        base = {"type": "boolean"}
    elif f.type == "date":
        base = {"type": "string", "format": "date"}
    elif f.type == "decimal":
        base = {"type": ["string", "integer"], "pattern": MONEY, "minimum": 0, "maximum": MONEY_MAX}
    elif f.type == "enum":
        base = {"type": "string", "enum": f.enum_choices()}
        if nullable:
            base["enum"] = [*base["enum"], None]
    elif f.type == "enum_list":
        base = {"type": "array", "items": {"type": "string", "enum": f.enum_choices()}, "maxItems": MAX_LIST_ITEMS}
    elif f.type == "list":
        base = {"type": "array", "items": {"type": "string", "pattern": TEXT}, "maxItems": MAX_LIST_ITEMS}
    else:
        base = {"type": "string", "pattern": _text_pattern(f), "maxLength": f.max_length or MAX_TEXT}
    if nullable:
        types = base["type"] if isinstance(base["type"], list) else [base["type"]]
        base["type"] = [*types, "null"]
    return base


def _text_pattern(f: Field) -> str:
    if f.pattern:
        return f"^({f.pattern})$" if f.required else f"^(|{f.pattern})$"
    return TEXT_REQUIRED if f.required else TEXT


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, (int, float)):
        return "数字"
    return "文本"


def _integral(value: Any) -> int | None:
    """JSON Schema's "integer": an int, or a float with no fractional part (never a bool)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def check(f: Field, value: Any) -> Any:
    """Accept exactly what ``schema(f)`` accepts; return the stored value. ValueError says why not."""
    if value is None:
        if f.required:
            raise ValueError("必填")
        return f.empty()
    if f.type in ("str", "date", "enum") and not isinstance(value, str):
        raise ValueError(f"应为文本，不能是{_kind(value)}")
    if f.type == "str":
        limit = f.max_length or MAX_TEXT  # a Text column has no length of its own: a sane bound all the same
        if len(value) > limit:
            raise ValueError(f"长度不能超过{limit}个字符")
        if not re.search(_text_pattern(f), value):
            if f.required and not value.strip():
                raise ValueError("必填")
            if not re.search(TEXT, value):
                raise ValueError("含有无效字符（控制字符或不成对的代理码位）")
            raise ValueError("格式不正确")
        return value.strip()
    if f.type == "int":
        n = _integral(value)
        if n is None:
            raise ValueError("应为整数")
        lo, hi = f.bounds()
        if not lo <= n <= hi:
            raise ValueError(f"应在{lo}到{hi}之间")
        return n
    if f.type == "bool":
        if not isinstance(value, bool):
            raise ValueError("应为 是/否")
        return value
    if f.type == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
            raise ValueError("日期格式应为 YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("日期格式应为 YYYY-MM-DD（该日期不存在）") from None
    if f.type == "decimal":
        return _money(value)
    if f.type == "enum":
        if value not in f.enum_choices():
            raise ValueError("取值无效，可选：" + "、".join(m.label for m in f.enum))
        return f.enum.from_any(value).value
    if f.type in ("list", "enum_list"):
        if not isinstance(value, list):
            raise ValueError(f"应为列表，不能是{_kind(value)}")
        if len(value) > MAX_LIST_ITEMS:
            raise ValueError(f"最多{MAX_LIST_ITEMS}项")
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"列表的每一项应为文本，不能是{_kind(item)}")
            if f.type == "list" and not re.search(TEXT, item):
                raise ValueError("含有无效字符（控制字符或不成对的代理码位）")
            if f.type == "enum_list" and item not in f.enum_choices():
                raise ValueError(f"“{item}”不是有效取值")
        items = [i.strip() for i in value if i.strip()]
        return [f.enum.from_any(i).value for i in items] if f.type == "enum_list" else items
    raise AssertionError(f.type)


def _money(value: Any) -> Decimal:
    if isinstance(value, str):
        if not re.search(MONEY, value):
            text = value.strip()
            if text.startswith("-"):
                raise ValueError("金额不能为负数")
            if re.fullmatch(r"\d+\.\d{3,}", text):
                raise ValueError("金额最多两位小数（不会自动四舍五入）")
            if re.search(r"\d[, ]\d", text):
                raise ValueError("千位分隔符应每三位一组，如 1,234.50（“1,00”“12,34,567”这类写法无法确定金额）")
            raise ValueError("应为金额数字，如 1234.50")
        return Decimal(value).quantize(Decimal("0.01"))
    n = _integral(value)
    if n is None:
        if isinstance(value, float):
            raise ValueError("金额有小数时请写成文本，如 \"1234.50\"（避免二进制小数误差）")
        raise ValueError(f"应为金额数字，不能是{_kind(value)}")
    if n < 0:
        raise ValueError("金额不能为负数")
    if n > MONEY_MAX:
        raise ValueError("金额超出范围")
    return Decimal(n).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- what a spreadsheet cell means

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_FLOAT_TEXT = re.compile(r"\d+\.0+")
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
# 2024-01-05, 2024/1/5, 2024.1.5, 2024。1。5 (a Chinese IME's full stop), 2024年1月5日 or 号, spaces around the
# parts (Word pads them), then optionally a real time of day and a zone, which are ignored.
_LENIENT_DATE = re.compile(
    r"(\d{4})\s*(?:年|-|/|\.|。)\s*(\d{1,2})\s*(?:月|-|/|\.|。)\s*(\d{1,2})\s*(?:日|号)?"
    r"(?:(?:T|\s+|(?<=[日号]))(?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?)?(?:\s?(?:Z|[+-]\d{2}:?\d{2}))?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 20240105 (ISO 8601 basic format)
# 二〇二一年九月三十日, as a 决定书 dates itself (○ for zero in many), or 2021年九月三十日.
_CHINESE_DATE = re.compile(r"(\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[元一二三四五六七八九十]{1,3})\s*月"
                           r"\s*(\d{1,2}|[一二三四五六七八九十廿卅]{1,3})\s*[日号]")
# What people write around a date and mean nothing by: dashes other than "-" (Word's en dash, Excel's minus
# sign), quotes and brackets it was pasted with, a closing 。, 起/止 of a period, and a weekday (checked)
# or a time in words (上午9时, ignored like any time).
_DASHES = str.maketrans({ch: "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"})
_WRAPPING = " \"'“”‘’()【】[]「」《》〈〉"
_WEEKDAY = re.compile(r"\s*\(?\s*(?:星期|周|礼拜)([一二三四五六日天])\s*\)?$")
_TIME_IN_WORDS = re.compile(r"\s*(?:上午|下午|中午|晚上|凌晨|早上)?\s*(?<!\d)(?:[01]?\d|2[0-3])\s*[时点]"
                            r"(?:\s*[0-5]?\d\s*分)?(?:\s*[0-5]?\d\s*秒)?$")
_WEEKDAYS = "一二三四五六日"
_TRUE = {"1", "true", "yes", "y", "是", "t", "√"}
_FALSE = {"0", "false", "no", "n", "否", "f", "×"}


def unescape_text(text: str) -> str:
    """Undo the export's formula neutralisation ('=… → =…), so an export re-imports unchanged."""
    return text[1:] if _DANGEROUS_ESCAPED.match(text) else text


def _cell_text(cell: Any) -> Any:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if isinstance(cell, (int, float)):
        return repr(cell) if isinstance(cell, float) else str(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def clean_code(text: str) -> str:
    """A credential number, credit code or phone as typed: full width, spaces, invisible characters (a
    zero-width space or BOM from a paste, which made 11011500009 a second officer) and case do not matter."""
    return credential_key(text)


def coerce(f: Field, cell: Any, *, unescape: bool = False) -> Any:
    """A spreadsheet cell as the JSON value ``check`` expects; anything not understood passes unchanged.

    ``unescape`` (cells of a CSV/XLSX file) removes the apostrophe our exports put before text that
    looks like a formula; form input and Python callers keep their text as typed. Control characters
    (text pasted from Word or a terminal) are stripped here; strict JSONL refuses them instead.

    Raises ValueError only for a value the sheet itself destroyed (an identifier Excel turned into
    scientific notation): the digits are gone and the user must retype them as text.
    """
    if isinstance(cell, str):
        cell = clean_text(cell).strip()
        cell = unescape_text(cell) if unescape else cell
        if cell == "":
            return None
    if isinstance(cell, list):
        return [clean_text(i) if isinstance(i, str) else i for i in cell]
    if cell is None or isinstance(cell, dict):
        return cell
    if f.type == "str":
        text = _cell_text(cell)
        if not isinstance(text, str):
            return text
        if f.clean == "code":
            text = clean_code(text)
            if _FLOAT_TEXT.fullmatch(text):  # 110115020338.0: Excel stored the number as a float
                text = text.split(".")[0]
            elif _SCIENTIFIC.fullmatch(text):
                raise ValueError("已被表格软件转成科学计数法，数字已丢失；请把该列设为“文本”后重新录入")
        elif f.clean == "name":
            text = _CJK_SPACE.sub("", unicodedata.normalize("NFKC", text)).strip()
        return text
    if f.type == "int":
        text = ungrouped(unicodedata.normalize("NFKC", str(_cell_text(cell))).strip())
        if re.fullmatch(r"[+-]?\d{1,18}(\.0+)?", text):
            return int(text.split(".")[0])
        return cell
    if f.type == "decimal":
        return _coerce_money(cell)
    if f.type == "bool":
        text = str(cell).strip().lower()
        return True if text in _TRUE else False if text in _FALSE else cell
    if f.type == "date":
        text = _cell_text(cell)
        day = lenient_date(text) if isinstance(text, str) else None
        return day.isoformat() if day else text
    if f.type == "enum":
        return unicodedata.normalize("NFKC", str(_cell_text(cell))).strip()
    if f.type in ("list", "enum_list"):
        return [s.strip() for s in LIST_SEPARATORS.split(str(_cell_text(cell))) if s.strip()]
    return cell


def lenient_date(text: str) -> date | None:
    """A calendar day as people write it, or None.

    Read: ``2024-01-05``, ``2024/1/5``, ``2024.1.5``, ``2024。1。5``, ``2024年1月5日`` (or 号, spaces around
    the parts), ``20240105``, in full-width digits too (NFKC), or in Chinese numerals as a 决定书 dates
    itself (``二〇二四年一月五日``, 廿/卅, 元月). Ignored: what it was pasted with (quotes, brackets, a
    closing 。, 起/止, Word's en dash, a zero-width space or BOM) and a valid time of day and zone after it
    (``2024-01-05T10:30:00+08:00``, ``上午9时``). Checked: a weekday after it (``2024年1月5日（星期五）``;
    the wrong one makes it no date). None for anything else, an impossible time (``25:61``) and a day that
    does not exist (2023-02-29). Shared by imports (``coerce``) and the lists' date filters
    (``pagination.date_param``), so a date the import takes is one a filter takes."""
    text = printable(unicodedata.normalize("NFKC", text)).translate(_DASHES).strip(_WRAPPING).rstrip("。.起止").strip()
    weekday = None
    text = _TIME_IN_WORDS.sub("", text)
    if w := _WEEKDAY.search(text):
        weekday, text = _WEEKDAYS.index(w[1].replace("天", "日")), text[:w.start()]
    text = _arabic_date(_TIME_IN_WORDS.sub("", text).strip(_WRAPPING))
    m = _LENIENT_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return day if weekday is None or day.weekday() == weekday else None  # 9月1日（星期四）: which one?


def _arabic_date(text: str) -> str:
    """二〇二一年九月三十日 → 2021年9月30日 (what follows the date kept); other text unchanged."""
    m = _CHINESE_DATE.match(text)
    if not m:
        return text
    try:
        year = "".join(str(chinese_to_int(ch)) for ch in m[1].replace("○", "〇"))
        month = chinese_to_int(m[2].replace("元", "一"))  # 元月: January
        day = chinese_to_int(m[3].replace("廿", "二十").replace("卅", "三十"))
        return f"{year}年{month}月{day}日{text[m.end():]}"
    except ValueError:  # 十十: not a number
        return text


_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([, ])\d{3})(?:\1\d{3})*(?:\.\d+)?")


def ungrouped(text: str) -> str:
    """``text`` without its thousands separators when it is a number grouped by threes (``1,234,567.50``,
    ``1 000``), else unchanged, so that a check refuses it: ``1,00`` (one yuan, European style) or
    ``12,34,567`` (grouped by the Indian lakh) cannot be read as one amount, and dropping their commas
    published fines 100 times too large. Expects NFKC text (a full-width ``，`` is then ``,``)."""
    if "," not in text and " " not in text:
        return text
    return text.replace(",", "").replace(" ", "") if _GROUPED.fullmatch(text) else text


def _coerce_money(cell: Any) -> Any:
    """Money as written: 1,234.50 / ¥1234.5 / 1234.5元 / an Excel number. Exact, or left to be refused."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)):
        text = repr(cell) if isinstance(cell, float) else str(cell)
    else:
        text = unicodedata.normalize("NFKC", str(cell))
    text = ungrouped(text.strip().removeprefix("¥").removesuffix("元").strip())
    if not re.fullmatch(r"\d{1,13}(\.\d{1,20})?", text):
        return text
    try:
        exact = Decimal(text)
        cents = exact.quantize(Decimal("0.01"))
    except InvalidOperation:
        return text
    if cents != exact:
        return text  # a third decimal: refused by check, never rounded
    return f"{cents:f}".removesuffix(".00") if "." not in text else f"{cents:f}"
