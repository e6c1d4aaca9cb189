"""Pagination and query-parameter parsing that turns bad input into a clear 400."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from enforcement.core.errors import BadParameter
from enforcement.core.textsafety import printable
from enforcement.core.values import lenient_date
from enforcement.extensions import db

MAX_PARAM_LENGTH = 200
MAX_PAGE_SIZE = 100


def param(args, name: str, default: str = "") -> str:
    """A query parameter as text, control characters removed (PostgreSQL refuses a NUL in any text: 500),
    and invisible ones too (``textsafety.printable``: a BOM or zero-width space pasted with 2021 made it
    "not a whole number" while the box showed 2021).

    Raises BadParameter (→ 400) past MAX_PARAM_LENGTH characters."""
    # ``in`` first: werkzeug's MultiDict.get builds a BadRequestKeyError for each missing name (a list
    # request asks for a dozen filters, most of them absent)
    value = (args.get(name, default) if name in args else default) or ""
    if not value:
        return ""
    if len(value) > MAX_PARAM_LENGTH:
        raise BadParameter(name, f"长度不能超过{MAX_PARAM_LENGTH}个字符")
    return printable(value).strip()


def _absent(args, name: str) -> bool:
    """The parameter is missing or blank. A value of invisible characters only (a soft hyphen) is not
    absent: for a number, date or choice it is a value that is none of those, and gets the type's 400."""
    return name not in args or not (args.get(name) or "").strip()


_INTEGER = re.compile(r"[+-]?\d+")  # any script's digits, full-width included (int() reads them)


def int_param(args, name: str, default: int | None = None, *, lo: int = 1, hi: int = 10**9) -> int | None:
    raw = param(args, name)
    if not raw and _absent(args, name):
        return default
    if not _INTEGER.fullmatch(raw):  # int() would also take 1_0 (as 10) and "1 "; people mean neither
        raise BadParameter(name, "应为整数")
    value = int(raw)
    if not lo <= value <= hi:
        raise BadParameter(name, f"应在{lo}到{hi}之间")
    return value


def date_param(args, name: str) -> date | None:
    """A date filter as ``values.lenient_date`` reads it (2024-01-05, 2024/1/5, 2024年1月5日, full-width
    digits); None when absent. Raises BadParameter (→ 400) for anything else or a day that does not exist."""
    raw = param(args, name)
    if not raw and _absent(args, name):
        return None
    day = lenient_date(raw)
    if day is None:
        raise BadParameter(name, "日期应为 YYYY-MM-DD 格式的真实日期，如 2024-01-05（也可写 2024年1月5日）")
    return day


def choice_param(args, name: str, choices: dict[str, Any] | list[str]) -> str | None:
    raw = param(args, name)
    if not raw and _absent(args, name):
        return None
    if raw not in choices:
        raise BadParameter(name, "取值无效，可选：" + "、".join(choices))
    return raw


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: Select, args, *, per_page: int = 20, scalars: bool = True) -> Page:
    page = int_param(args, "page", 1)
    size = int_param(args, "per_page", per_page, hi=MAX_PAGE_SIZE)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // size))
    if page > pages:
        raise BadParameter("page", f"超出范围，共{pages}页")
    query = stmt.limit(size).offset((page - 1) * size)
    rows = db.session.scalars(query) if scalars else db.session.execute(query)
    return Page(list(rows), page, size, total)


MAX_QUERY_STRING = 4096


def check_query_string() -> None:
    """Refuse a query string that is huge or not UTF-8 with a clear 400 (a before_request hook).

    Werkzeug keeps undecodable bytes percent-encoded, so they would otherwise be
    taken silently as odd text; the citizen should be told instead.
    """
    from flask import request

    if len(request.query_string) > MAX_QUERY_STRING:
        raise BadParameter("query", f"查询参数过长（超过{MAX_QUERY_STRING}字节）")
    check_query_encoding()


def check_query_encoding() -> None:
    """Refuse a query string that is not UTF-8 (燃气 sent as GBK, ``%C8%BC%C6%F8``) with a clear 400; the
    before_request hook of the search, which takes a pasted paragraph of any length (it searches the
    first 200 characters and says so) where the lists refuse a query string past ``MAX_QUERY_STRING``."""
    from urllib.parse import unquote_to_bytes

    from flask import request

    try:
        unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadParameter("query", "查询参数不是有效的 UTF-8 编码") from None
