"""Jinja helpers shared by every domain's templates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, request

from enforcement.core import clock, enums


def cn_date(value: date | datetime | str | None) -> str:
    """A date as 2026年3月1日; a stored (UTC) timestamp is first moved to the configured time zone.

    An ISO date string (``2026-03-01``, as search results and JSON carry dates) is read first; any other
    string is shown as it is. None and "" give "".
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = clock.to_local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def money(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return f"{int(value):,}元"
    return f"{value:,.2f}元"


def url_with(**changes) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    from urllib.parse import urlencode

    args = request.args.to_dict(flat=True)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = value
    query = urlencode(args)
    return request.path + (f"?{query}" if query else "")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["cn_date"] = cn_date
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["safe_href"] = __import__("enforcement.core.urls", fromlist=["safe_href"]).safe_href
    app.jinja_env.filters["localtime"] = clock.local_time
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["enums"] = enums
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
