"""Atom feeds: newly published decisions, and withdrawal notices (行政处罚法 art. 48)."""

from __future__ import annotations

from datetime import date, datetime, time
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request, url_for

from enforcement.core import cache, clock
from enforcement.core.pagination import check_query_string
from enforcement.core.textsafety import xml_text
from enforcement.disclosure import queries
from enforcement.disclosure.models import Decision
from enforcement.extensions import db

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
bp.before_request(check_query_string)
cache.cache_blueprint(bp)


def _stamp(day: date | None) -> str:
    """Midnight of day in the town's time zone, as an RFC 3339 timestamp."""
    return datetime.combine(day or date(2000, 1, 1), time(), tzinfo=clock.local_zone()).isoformat()


def _feed(feed_id: str, title: str, entries: list[dict]) -> Response:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = url_for(feed_id, _external=True)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=xml_text(request.url))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url_for("public.decisions",
                                                                                         _external=True))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max((e["updated"] for e in entries), default=_stamp(None))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = current_app.config["TOWN_GOVERNMENT"]
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e["id"]
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(e["title"])
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=e["url"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = e["updated"]
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = xml_text(e["summary"])
        ET.SubElement(entry, f"{{{ATOM}}}category", term=xml_text(e["kind"]), label=xml_text(e["kind_label"]))
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, mimetype="application/atom+xml")


def _latest(state: str, order) -> list[dict]:
    on = queries.today()
    filters = queries.parse_filters(queries.DECISIONS, request.args)
    filters["state"] = state
    stmt = (queries.filtered(queries.DECISIONS, filters, on)
            .options(*queries.DECISIONS.options())
            .order_by(*order).limit(FEED_SIZE))
    return [r for r in (queries.DECISIONS.project(d, on) for d in db.session.scalars(stmt)) if r]


@bp.get("/decisions.atom")
def decisions() -> Response:
    """The latest published decisions (filterable by kind and agency like the list)."""
    entries = [{
        "id": url_for("public.decision", ident=r["id"], _external=True),
        "title": f"{r['number']} {r['title']}",
        "url": url_for("public.decision", ident=r["id"], _external=True),
        "updated": _stamp(r["published_on"]),
        "summary": f"{r['agency']}对{r['party']}作出{r['kind_label']}决定：{r['result']}",
        "kind": r["kind"], "kind_label": r["kind_label"],
    } for r in _latest("public", (Decision.published_on.desc(), Decision.id.desc()))]
    return _feed("feeds.decisions", f"{current_app.config['SITE_TITLE']} - 最新执法决定", entries)


@bp.get("/withdrawals.atom")
def withdrawals() -> Response:
    """Withdrawal notices: which decision, when, and why (the body itself is no longer public)."""
    entries = [{
        "id": url_for("public.decision", ident=r["id"], _external=True) + "#withdrawn",
        "title": f"撤回公示：{r['number']}",
        "url": url_for("public.decision", ident=r["id"], _external=True),
        "updated": _stamp(r["withdrawn_on"]),
        "summary": f"{r['agency']}于{r['withdrawn_on'].isoformat() if r['withdrawn_on'] else ''}撤回该决定的公示。"
                   f"理由：{r['withdrawal_reason']}",
        "kind": r["kind"], "kind_label": r["kind_label"],
    } for r in _latest("withdrawn", (Decision.withdrawn_on.desc(), Decision.id.desc()))]
    return _feed("feeds.withdrawals", f"{current_app.config['SITE_TITLE']} - 撤回公示", entries)

