"""The public search page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request
from werkzeug.wrappers import Response

from enforcement.core.enums import DecisionKind
from enforcement.core.errors import BadParameter
from enforcement.core.pagination import check_query_encoding
from enforcement.core.textsafety import printable
from enforcement.search import services
from enforcement.search.documents import CATEGORY_LABELS
from enforcement.search.params import search_args

bp = Blueprint("search", __name__)
bp.before_request(check_query_encoding)  # undecodable bytes (a GBK-encoded 燃气) get a 400, as on the lists

# The search parameters as the page's form names them, for error messages.
LABELS = {"category": "类别", "kind": "决定类型", "agency": "执法主体", "year": "年度", "sort": "排序", "page": "页码",
          "per_page": "每页条数"}


@bp.get("/search")
def search_page():
    context = {"categories": CATEGORY_LABELS, "kinds": DecisionKind.labels(), "sorts": services.SORTS,
               "q": printable(request.args.get("q", ""))}
    try:
        result = services.search(**search_args(request.args))
    except BadParameter as e:
        error = f"检索条件“{LABELS.get(e.name, e.name)}”有误：{e.message}"
        return render_template("search/search.html", result=None, error=error, **context), 400
    if result.intent == "number" and result.total == 1 and len(result.results) == 1 and not result.filters:
        return redirect(result.results[0]["url"])  # an identifier typed in any spelling: straight to its record
    return render_template("search/search.html", result=result, error=None, **context)


@bp.get("/search/export.<fmt>")
def search_export(fmt: str):
    """The search results as CSV or XLSX (capped; see ``search.exporting``)."""
    from enforcement.core.exporting import csv_response, xlsx_response
    from enforcement.search import exporting

    if fmt not in ("csv", "xlsx"):
        return Response("不支持的导出格式，可选：csv、xlsx", status=404, mimetype="text/plain")
    context = {"categories": CATEGORY_LABELS, "kinds": DecisionKind.labels(), "sorts": services.SORTS,
               "q": printable(request.args.get("q", ""))}
    try:
        rows = exporting.export_rows(search_args(request.args), request.host_url)
    except BadParameter as e:
        return render_template("search/search.html", result=None, error=f"无法导出：{e.message}", **context), 400
    name = "search-results"
    if fmt == "csv":
        return csv_response(rows, exporting.COLUMNS, f"{name}.csv")
    return xlsx_response(rows, exporting.COLUMNS, f"{name}.xlsx", title="检索结果")
