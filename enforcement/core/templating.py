"""Jinja helpers shared by every domain's templates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from flask import Flask, request
from jinja2 import Environment
from markupsafe import Markup

from enforcement.core import clock, enums, textsafety


def cn_date(value: date | datetime | str | None) -> str:
    """A date as 2026年3月1日 (GB/T 15835 style, no leading zeros), the one date format of every public page.

    Accepts a ``date``, a stored (UTC) ``datetime`` (moved to the configured time zone first) or an
    ISO string as search results and JSON carry them ("2026-03-01", "2026-03-01T08:00:00"); any other
    string comes back unchanged, None as "".
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip()) if "T" in value else date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = clock.to_local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def today_cn() -> str:
    """Today in the configured time zone, as ``cn_date`` writes it (the print footer's date)."""
    return cn_date(clock.today())


_HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff08-\uff09\u201d]"  # Han, CJK punctuation, （）”
_PUNCT_AFTER_HAN = re.compile(rf"(?<={_CJK})\s*([,;:?!])(?!\d)")
_PAREN = re.compile(rf"\(([^()]*{_HAN}[^()]*)\)")
_PERIOD_AFTER_HAN = re.compile(rf"(?<={_HAN})\.(?=\s|$)")


def cn_punct(value: object) -> str:
    """Chinese text with Chinese (full-width) punctuation, as GB/T 15834 asks of Chinese prose.

    ``,;:?!`` directly after a Chinese character become ，；：？！ (not before a digit: "第3:1条"
    stays), a period ending a Chinese sentence becomes 。, and brackets round text holding Chinese become
    （）. Latin-only text, numbers (1,000.50), times (08:30), URLs and codes are left as they are.
    None gives "". Returns plain text; autoescaping still applies where it is printed.
    """
    if value is None:
        return ""
    text = str(value)
    text = _PAREN.sub(lambda m: f"（{m.group(1)}）", text)
    text = _PUNCT_AFTER_HAN.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    return _PERIOD_AFTER_HAN.sub("。", text)


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


def page_link() -> Callable[[int], str]:
    """``page_link()(n)``: the current URL for page ``n`` without a cursor, as ``url_with(page=n,
    cursor=None)`` writes it (``page`` keeps its place among the parameters, else comes last), with the
    rest of the query encoded once for every link of a pager rather than once per link."""
    from urllib.parse import quote_plus, urlencode

    args = request.args.to_dict(flat=True)
    args.pop("cursor", None)
    keys = list(args)
    at = keys.index("page") if "page" in args else len(keys)
    before = urlencode([(k, args[k]) for k in keys[:at]])
    after = urlencode([(k, args[k]) for k in keys[at + 1:]])
    head = f"{request.path}?{before}&page=" if before else f"{request.path}?page="
    tail = f"&{after}" if after else ""
    return lambda n: f"{head}{quote_plus(str(n))}{tail}"


PUBLIC_SECTIONS = (("/", "首页"), ("/agencies", "执法主体"), ("/officers", "执法人员"), ("/powers", "权责清单"),
                   ("/procedures", "执法流程"), ("/inspection-items", "随机抽查事项"), ("/decisions", "执法决定"),
                   ("/stats", "年度统计"), ("/requests/", "依申请公开"), ("/open-data", "开放数据"))


def _public_nav(env: Environment) -> Callable[[str], Markup]:
    """``public_nav(path)``: the public menu (``_public_nav.html``) for a request path, as Markup.

    The menu differs between pages only in which section is marked ``aria-current`` (the same test as
    the template's), so it is rendered once per marked set and kept: rendering it took about a tenth of
    an uncached list page's time."""
    made: dict[tuple[bool, ...], Markup] = {}

    def public_nav(here: str) -> Markup:
        key = tuple(here == href or (href != "/" and here.startswith(href)) for href, _label in PUBLIC_SECTIONS)
        html = made.get(key)
        if html is None:
            html = Markup(env.get_template("_public_nav.html").render(sections=PUBLIC_SECTIONS, here=here))
            made[key] = html
        return html
    return public_nav


MEMO_SIZE = 2048  # blocks kept per application (a pager or page header is 1–3 KB)
MEMO_KEY_CHARS = 1024  # a block with a longer key (a pasted paragraph in the query) is rendered, not kept


def _memo() -> Callable[..., Markup]:
    """``{% call memo('name', input, …) %}…{% endcall %}``: the block's HTML, rendered once per key and kept.

    For a block that is a pure function of the values named in its key (the pager of a page number
    and a query string, a result count, the page header of a path and a text size): on the
    uncached path after a save, the pager, count line, export links and header together took about
    a fifth of a list page's time, and every one of them is the same HTML as the last time the same
    key was rendered. The key must hold every value the block reads, the request values included
    (pass ``request.full_path``, not just the page number); configuration and templates are the
    application's, so each application keeps its own blocks (``app.extensions``). Least recently
    used blocks go beyond ``MEMO_SIZE``, and a key whose text is longer than ``MEMO_KEY_CHARS`` is not
    kept, so memory stays within a few megabytes whatever URLs arrive. Raises ``TypeError`` for an
    unhashable key."""
    import threading
    from collections import OrderedDict

    from flask import current_app

    lock = threading.Lock()

    def memo(*key: object, caller: Callable[[], str]) -> Markup:
        if sum(len(part) for part in key if isinstance(part, str)) > MEMO_KEY_CHARS:
            return Markup(caller())
        blocks = current_app.extensions.setdefault("template_memo", OrderedDict())
        with lock:
            html = blocks.get(key)
            if html is not None:
                blocks.move_to_end(key)
                return html
        html = Markup(caller())
        with lock:
            blocks[key] = html
            if len(blocks) > MEMO_SIZE:
                blocks.popitem(last=False)
        return html
    return memo


def init_app(app: Flask) -> None:
    app.jinja_env.filters["cn_date"] = cn_date
    app.jinja_env.filters["cn_punct"] = cn_punct
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["printable"] = textsafety.printable
    app.jinja_env.globals["today_cn"] = today_cn
    app.jinja_env.globals["qr_svg"] = __import__("enforcement.core.qr", fromlist=["qr_svg"]).qr_svg
    app.jinja_env.filters["safe_href"] = __import__("enforcement.core.urls", fromlist=["safe_href"]).safe_href
    app.jinja_env.filters["localtime"] = clock.local_time
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["page_link"] = page_link
    app.jinja_env.globals["public_nav"] = _public_nav(app.jinja_env)
    app.jinja_env.globals["memo"] = _memo()
    app.jinja_env.globals["enums"] = enums
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
