"""The public search page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request

from enforcement.core.enums import DecisionKind
from enforcement.core.errors import BadParameter
from enforcement.search import services
from enforcement.search.documents import CATEGORY_LABELS
from enforcement.search.params import search_args

bp = Blueprint("search", __name__)


@bp.get("/search")
def search_page():
    context = {"categories": CATEGORY_LABELS, "kinds": DecisionKind.labels(), "sorts": services.SORTS,
               "q": request.args.get("q", "")}
    try:
        result = services.search(**search_args(request.args))
    except BadParameter as e:
        return render_template("search/search.html", result=None, error=f"参数 {e.name} 有误：{e.message}",
                               **context), 400
    if result.intent == "number" and result.total == 1 and len(result.results) == 1 and not result.filters:
        return redirect(result.results[0]["url"])  # an identifier typed in any spelling: straight to its record
    return render_template("search/search.html", result=result, error=None, **context)
