"""Search results as a file: the same query, filters and order as the page, every page of them.

An export is capped at ``EXPORT_CAP`` results; a query that finds more is
refused with a message saying how many it found and how to narrow it (a
category, year or agency, or the public list's own export, which streams any
number of rows). Only what the results page shows leaves: category, title,
number, date and the link, never the indexed text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from enforcement.core.errors import BadParameter
from enforcement.core.pagination import MAX_PAGE_SIZE
from enforcement.search import services
from enforcement.search.documents import CATEGORY_LABELS

EXPORT_CAP = 5000
COLUMNS = [("category_label", "类别"), ("title", "标题"), ("number", "文号或编号"), ("date", "日期"),
           ("snippet", "摘要"), ("url", "链接")]
_TAGS = re.compile(r"<[^>]+>")


def export_rows(args: dict[str, Any], base_url: str) -> Iterator[dict[str, Any]]:
    """Every result of the search ``args`` (as ``params.search_args`` reads them), as flat rows.

    Raises BadParameter("q", …) before the first row when the query finds more than EXPORT_CAP results.
    """
    args = {**args, "page": 1, "per_page": MAX_PAGE_SIZE}
    first = services.search(**args)
    if first.total > EXPORT_CAP:
        raise BadParameter("q", f"共检索到 {first.total} 条，超过导出上限 {EXPORT_CAP} 条；请按类别、年度或执法主体缩小范围，"
                                "或到相应公开列表页按条件下载全部结果")
    return _rows(first, args, base_url)


def _rows(result, args: dict[str, Any], base_url: str) -> Iterator[dict[str, Any]]:
    page = 1
    while result.results:
        for r in result.results:
            yield {"category_label": CATEGORY_LABELS.get(r["category"], r["category"]), "title": r["title"],
                   "number": r["number"] or "", "date": r["date"] or "",
                   "snippet": html.unescape(_TAGS.sub("", r["snippet"] or "")),
                   "url": base_url.rstrip("/") + r["url"]}
        if page >= result.pages:
            return
        page += 1
        result = services.search(**{**args, "page": page})
