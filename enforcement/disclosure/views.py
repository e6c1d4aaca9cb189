"""The public disclosure site: every page a citizen reads, in Chinese, from the public projection only."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response

from enforcement.core import cache
from enforcement.core.connections import read_only
from enforcement.core.errors import BadParameter
from enforcement.core.limits import limited_export
from enforcement.core.pagination import check_query_string, param
from enforcement.core.textsafety import printable
from enforcement.core.urls import safe_next
from enforcement.disclosure import categories, counts, projection, queries, stats
from enforcement.disclosure.laws import (
    LAW_STATUS_LABELS,
    law_status,
    resolve_text_citations,
    version_in_force,
    versions_of,
)
from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    Law,
    Officer,
    Power,
    ProcedureGuide,
)
from enforcement.disclosure.remedies import remedy_channels

bp = Blueprint("public", __name__)
bp.before_request(check_query_string)
cache.cache_blueprint(bp)


def _list_page(slug: str, template: str, *, per_page: int = 20, **extra: Any):
    """Render a filtered list; bad filters keep the form and say what is wrong, with a 400."""
    cat = queries.CATEGORIES[slug]
    result, error = None, None
    try:
        result = queries.listing(cat, request.args, per_page=per_page)
    except BadParameter as e:
        label = next((f.label for f in cat.filters if f.name == e.name), {"page": "页码", "per_page": "每页条数"}.get(
            e.name, e.name))
        error = f"筛选条件“{label}”有误：{e.message}"
    body = render_template(template, cat=cat, result=result, error=error, agencies=queries.agencies_for_choice(),
                           shown=_shown(cat, result), **extra)
    return body, 400 if error else 200


def _shown(cat: queries.Category, result: queries.Listing | None) -> dict[str, str]:
    """What each filter box shows: the value applied, written as the form writes it (2021-09-01, 2021, the
    option's code), since a date or number box shows nothing for other spellings (2021/9/1, ２０２１) and a
    drop-down with no matching option says 全部: the list would be filtered while the form says it is not,
    and the next submit would drop the filter. When the filters were refused: what was typed, control and
    invisible characters removed (``printable``), so the reader can correct it."""
    if result is None:
        return {f.name: printable(request.args.get(f.name, "")) for f in cat.filters}
    return {name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in result.filters.items() if value not in (None, "")}


def _found(model: type, ident: int):
    obj = queries.get_public(model, ident)
    if obj is None:
        abort(404)
    return obj


@bp.get("/")
def home():
    return render_template("disclosure/home.html", summary=queries.home_summary(), year=queries.today().year)


@bp.get("/agencies")
def agencies():
    return _list_page("agencies", "disclosure/agencies.html")


@bp.get("/agencies/<int:ident>")
def agency(ident: int):
    a = _found(Agency, ident)
    counts = {slug: queries.count(queries.CATEGORIES[slug], {"agency": a.id}, queries.today())
              for slug in ("officers", "powers", "procedures", "decisions")}
    on = queries.today()
    return render_template("disclosure/agency.html", agency=projection.public_agency(a), counts=counts,
                           remedies=remedy_channels(a, on), remedies_on=on)


@bp.get("/officers")
def officers():
    return _list_page("officers", "disclosure/officers.html", per_page=30)


@bp.get("/officers/<int:ident>")
def officer(ident: int):
    o = _found(Officer, ident)
    return render_template("disclosure/officer.html", officer=categories.OFFICERS.project(o, queries.today()))


@bp.get("/officers/check")
def credential_check():
    """执法证号 check: valid / expired / not found, and only the holder's name and agency."""
    number, error, result = "", None, None
    try:
        number = param(request.args, "number")
    except BadParameter as e:
        error = e.message
    if number and not error:
        if len(number) > 40:
            error = "执法证号过长"
        else:
            result = queries.check_credential(number)
    status = 400 if error else 200
    return render_template("disclosure/credential_check.html", number=number, result=result, error=error,
                           checked=bool(number) and not error), status


@bp.get("/powers")
def powers():
    return _list_page("powers", "disclosure/powers.html")


@bp.get("/powers/<int:ident>")
def power(ident: int):
    p = _found(Power, ident)
    return render_template("disclosure/power.html", power=categories.POWERS.project(p, queries.today()))


@bp.get("/procedures")
def procedures():
    return _list_page("procedures", "disclosure/procedures.html")


@bp.get("/procedures/<int:ident>")
def procedure(ident: int):
    p = _found(ProcedureGuide, ident)
    return render_template("disclosure/procedure.html", procedure=projection.public_procedure(p))


@bp.get("/inspection-items")
def inspection_items():
    return _list_page("inspection-items", "disclosure/inspection_items.html", per_page=50)


@bp.get("/inspection-items/<int:ident>")
def inspection_item(ident: int):
    i = _found(InspectionItem, ident)
    return render_template("disclosure/inspection_item.html", item=projection.public_inspection_item(i))


@bp.get("/decisions")
@read_only
def decisions():
    return _list_page("decisions", "disclosure/decisions.html", decision_rows=_decision_rows(),
                      filter_form=_filter_form)


def _filter_form(cat: queries.Category, agencies: list[tuple[int, str]], action: str,
                 shown: dict[str, str]) -> Markup:
    """The list's filter form (``_macros.filter_form``), rendered once per set of shown values while
    the agency choices stay the same list (``agencies_for_choice``) in a public request."""
    macro = current_app.jinja_env.get_template("disclosure/_macros.html").module.filter_form
    rc = cache.row_cache()
    if rc is None:
        return Markup(macro(cat, agencies, action, shown))
    chosen = tuple(shown.get(f.name, "") for f in cat.filters)
    return Markup(rc.fragment(("filter-form", cat.slug, action, chosen), agencies,
                              lambda: str(macro(cat, agencies, action, shown))))


def _decision_rows():
    """The list's rows as one piece of HTML (one template call, not one per row): each row rendered once
    per projected row while the row cache keeps it (a public GET), else every time."""
    template = current_app.jinja_env.get_template("disclosure/_decision_item.html")
    rc = cache.row_cache()

    def item(d: dict[str, Any]) -> str:
        if rc is None:
            return template.render(d=d).strip()
        return rc.fragment(("decision-item", d["id"]), d, lambda: template.render(d=d).strip())

    def render(rows: list[dict[str, Any]]) -> Markup:
        return Markup("\n".join(item(d) for d in rows))
    return render


@bp.get("/decisions/<int:ident>")
def decision(ident: int):
    """Public: the masked projection; withdrawn: the notice only; expired: 410; never public: 404."""
    d = _found(Decision, ident)
    on = queries.today()
    state = projection.decision_visibility(d, on)
    if state == "hidden":
        abort(404)
    if state == "expired":
        return render_template("disclosure/decision_expired.html", header=projection.decision_header(d),
                               expires_on=d.expires_on), 410
    row = queries.DECISIONS.project(d, on)
    if row is None or row["state"] != "public" or d.decided_on is None:
        return render_template("disclosure/decision.html", d=row)
    # The law of the decision's own date: its basis and the remedy channels it must state.
    return render_template("disclosure/decision.html", d=row,
                           citations=resolve_text_citations(d.basis, d.decided_on),
                           remedies=remedy_channels(d.agency, d.decided_on, d.procedure), remedies_on=d.decided_on,
                           agency=projection.public_agency(d.agency))


@bp.get("/laws")
def laws():
    return _list_page("laws", "disclosure/laws.html", per_page=50)


@bp.get("/laws/<int:law_id>")
def law(law_id: int):
    law = _found(Law, law_id)
    on = queries.today()
    versions = [{"law": v, "status": law_status(v, on)} for v in versions_of(law.title)]
    return render_template("disclosure/law.html", law=law, current=version_in_force(law.title, on),
                           status=law_status(law, on), versions=versions, labels=LAW_STATUS_LABELS, today=on)


@bp.get("/stats")
def stats_index():
    years = stats.years()
    if not years:
        return redirect(f"/stats/{queries.today().year}")
    return redirect(f"/stats/{years[-1]}")


@bp.get("/stats/<int:year>")
def year_stats(year: int):
    if not stats.MIN_YEAR <= year <= stats.MAX_YEAR:
        abort(404)
    listed = counts.by_state({"year": year}, queries.today())  # what the list shows, to explain the difference
    return render_template("disclosure/stats.html", s=stats.year_stats(year), years=stats.years(), listed=listed)


@bp.get("/open-data")
def open_data():
    return render_template("disclosure/open_data.html", categories=queries.CATEGORIES)


def _export(slug: str, fmt: str) -> Response:
    """The filtered list as a file named after the filter: from the export cache while nothing has
    changed, else streamed in keyset batches (a million rows never sit in memory)."""
    from enforcement.disclosure.export_files import export_response

    cat = queries.CATEGORIES[slug]
    filters = queries.parse_filters(cat, request.args, lenient=True)  # an open-data export: the API's rules
    return export_response(cat, filters, fmt,
                           lambda build: limited_export(request.remote_addr or "", build))  # a few builds per client


for _slug in queries.CATEGORIES:
    if _slug == "laws":
        continue
    for _fmt in ("csv", "xlsx"):
        bp.add_url_rule(f"/{_slug}/export.{_fmt}", f"export_{_slug.replace('-', '_')}_{_fmt}",
                        lambda _s=_slug, _f=_fmt: _export(_s, _f))


@bp.get("/preferences/text-size")
def text_size():
    """适老化 large-text mode without JavaScript: a cookie, then back to the page the reader was on."""
    size = request.args.get("size", "")
    target = safe_next(request.args.get("next"), "/")
    response = redirect(target, code=303)
    if size == "large":
        response.set_cookie(cache.TEXT_SIZE_COOKIE, "large", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(cache.TEXT_SIZE_COOKIE)
    return response
