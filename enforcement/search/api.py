"""GET /api/v1/search: the search contract as JSON (bad parameters → 400 with a JSON error)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from enforcement.core.pagination import check_query_encoding
from enforcement.search import services
from enforcement.search.params import search_args

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
bp.before_request(check_query_encoding)


@bp.get("/search")
def search_json():
    return jsonify(services.search(**search_args(request.args)).as_json())
