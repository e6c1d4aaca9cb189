"""The open-data JSON API, /api/v1/: every public category, filtered, paginated, with stable ids.

Lists answer ``{"items", "total", "page", "per_page", "next_cursor", "links"}``;
a client may page with ``page`` or follow ``next_cursor`` (stable while new
records arrive). Dates are ISO 8601 strings, money is a decimal string.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, json, request

from enforcement.core import cache
from enforcement.core.connections import read_only
from enforcement.core.errors import error_response
from enforcement.core.pagination import check_query_string
from enforcement.disclosure import projection, queries, stats
from enforcement.disclosure.laws import resolve_text_citations
from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    Law,
    Officer,
    Power,
    ProcedureGuide,
)
from enforcement.disclosure.remedies import channels_as_data, remedy_channels

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(check_query_string)
cache.cache_blueprint(bp)

MODELS = {"agencies": Agency, "officers": Officer, "powers": Power, "procedures": ProcedureGuide,
          "inspection-items": InspectionItem, "decisions": Decision, "laws": Law}


def plain(value: Any) -> Any:
    """JSON-ready values: ISO dates, exact decimal strings."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime):  # stored as naive UTC: say so (RFC 3339 date-time needs an offset)
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def json_response(body: Any, status: int = 200) -> Response:
    return Response(_dumps(body), status=status, mimetype="application/json")


def _link(**changes: Any) -> str:
    args = request.args.to_dict(flat=True)
    args.pop("page", None)
    args.pop("cursor", None)
    args.update({k: v for k, v in changes.items() if v is not None})
    return request.path + ("?" + urlencode(args) if args else "")


@read_only
def list_view(slug: str) -> Response:
    result = queries.listing(queries.CATEGORIES[slug], request.args, lenient=True)
    links: dict[str, str | None] = {"next": _link(cursor=result.next_cursor) if result.next_cursor else None}
    if result.page is not None:
        links["next_page"] = _link(page=result.page + 1) if result.has_next else None
        links["prev_page"] = _link(page=result.page - 1) if result.has_prev else None
    body = {"total": result.total, "page": result.page, "per_page": result.per_page,
            "next_cursor": result.next_cursor, "links": links}
    rc = cache.row_cache() if slug == "decisions" else None
    if rc is None:
        return json_response({"items": result.rows, **body})
    # The decision rows come from the row cache: each row's JSON is encoded once while the row is kept
    # (ResponseCache.fragment). Same text as json_response: keys sorted, so "items" comes first.
    items = ",".join(rc.fragment(("api-decision", row["id"]), row, lambda row=row: _dumps(row))
                     for row in result.rows)
    return Response('{"items":[' + items + "]," + _dumps(body)[1:], mimetype="application/json")


def _dumps(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))


def detail_view(slug: str, ident: int) -> Response:
    obj = queries.get_public(MODELS[slug], ident)
    if obj is None:
        abort(404)
    on = queries.today()
    if slug == "decisions":
        state = projection.decision_visibility(obj, on)
        if state == "hidden":
            abort(404)
        if state == "expired":
            return error_response(410, "该决定公示期已满，已不再公开", id=obj.id, expires_on=plain(obj.expires_on))
    row = queries.CATEGORIES[slug].project(obj, on)
    if slug == "decisions" and row.get("state") == "public" and obj.decided_on is not None:
        # the law of the decision's own date: the version of each cited article, the remedy channels
        row["citations"] = [{"citation": c["citation"], "version_date": c.get("version_date"),
                             "url": f"/laws/{c['law_id']}#a{c['number']}" if "law_id" in c else None,
                             "in_force_on_decision_date": not c.get("pinned_not_in_force", True),
                             "error": c.get("error")}
                            for c in resolve_text_citations(obj.basis, obj.decided_on)]
        row["remedy_channels"] = channels_as_data(remedy_channels(obj.agency, obj.decided_on, obj.procedure))
    if slug == "laws":
        row["articles"] = [{"number": a.number, "label": a.label, "chapter": a.chapter, "text": a.text,
                            "url": f"/laws/{obj.id}#a{a.number}"} for a in obj.articles]
    return json_response(row)


for _slug in queries.CATEGORIES:
    _name = _slug.replace("-", "_")
    bp.add_url_rule(f"/{_slug}", f"list_{_name}", lambda _s=_slug: list_view(_s))
    bp.add_url_rule(f"/{_slug}/<int:id>", f"get_{_name}", lambda id, _s=_slug: detail_view(_s, id))  # noqa: A006


@bp.get("/stats/<int:year>")
def year_stats(year: int) -> Response:
    if not stats.MIN_YEAR <= year <= stats.MAX_YEAR:
        abort(404)
    return json_response(stats.year_stats(year).as_dict())


@bp.get("/openapi.json")
def openapi() -> Response:
    from enforcement.disclosure.openapi import document

    return json_response(document())
