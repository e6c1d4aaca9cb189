"""Read side of the public site: filtered lists by page or cursor, keyset export batches, single records.

The categories themselves (filters, order, projection) are defined in
``enforcement.disclosure.categories``; this module runs them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Select, func, select, tuple_
from sqlalchemy.orm import selectinload

from enforcement.core import cache
from enforcement.core.errors import BadParameter
from enforcement.core.numbers import credential_key
from enforcement.core.pagination import MAX_PAGE_SIZE, choice_param, date_param, int_param, param
from enforcement.disclosure import counts, list_keys, projection
from enforcement.disclosure.categories import (
    CATEGORIES,
    CREDENTIAL_STATES,
    DECISIONS,
    Category,
    decision_row,
    today,
)
from enforcement.disclosure.models import Agency, Decision, Officer
from enforcement.extensions import db

__all__ = ["CATEGORIES", "DECISIONS", "Category", "today"]  # re-exported for the views, API and feeds

EXPORT_BATCH = 1000
MAX_DB_ID = 2**31 - 1  # ids beyond a 32-bit integer cannot exist; asking for one is a 404, not a database error


# ---------------------------------------------------------------- parsing, lists, cursors


def parse_filters(cat: Category, args, *, lenient: bool = False) -> dict[str, Any]:
    """Filter values from query parameters; anything not understood raises BadParameter (→ 400).

    ``lenient`` (the open-data API and exports, whose contract is the OpenAPI document): a well-formed id
    of no agency filters to nothing instead of being refused; pages keep the strict answer, which tells
    the reader what is wrong."""
    values: dict[str, Any] = {}
    for f in cat.filters:
        if f.type == "choice":
            values[f.name] = choice_param(args, f.name, f.choices)
        elif f.type == "agency":
            values[f.name] = int_param(args, f.name, None, hi=MAX_DB_ID)
            if not lenient and values[f.name] is not None and db.session.get(Agency, values[f.name]) is None:
                raise BadParameter(f.name, "没有该执法主体")
        elif f.type == "year":
            values[f.name] = int_param(args, f.name, None, lo=1949, hi=2100)
        elif f.type == "date":
            values[f.name] = date_param(args, f.name)
        else:
            values[f.name] = param(args, f.name) or None
    if not lenient and values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
        raise BadParameter("date_to", "结束日期早于开始日期")
    return values


def filtered(cat: Category, filters: dict[str, Any], on: date) -> Select:
    return select(cat.model).where(*cat.conditions(filters, on))


def count(cat: Category, filters: dict[str, Any], on: date) -> int:
    """Rows of the category matching the filters on day ``on``; the decision list from its maintained counts."""
    if cat is DECISIONS:
        maintained = counts.total(filters, on)
        if maintained is not None:
            return maintained
    stmt = select(func.count()).select_from(cat.model).where(*cat.conditions(filters, on))
    return db.session.scalar(stmt) or 0


def _ordered(cat: Category, stmt: Select) -> Select:
    cols = cat.order_columns()
    return stmt.order_by(*[c.desc() if cat.descending else c.asc() for c in cols])


def _after(cat: Category, key: list[Any]) -> Any:
    cols = cat.order_columns()
    if len(cols) == 1:
        return cols[0] < key[0] if cat.descending else cols[0] > key[0]
    return tuple_(*cols) < tuple_(*key) if cat.descending else tuple_(*cols) > tuple_(*key)


def encode_cursor(cat: Category, obj: Any) -> str:
    """The cursor after obj in the category's order (opaque to clients)."""
    return _encode_key([getattr(obj, name) for name in cat.order])


def _encode_key(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, date) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cat: Category, token: str) -> list[Any]:
    """The sort key after which a page starts; a token we did not issue is a 400, never a 500."""
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
        if not isinstance(values, list) or len(values) != len(cat.order):
            raise ValueError
        key = []
        for name, value in zip(cat.order, values, strict=True):
            column = getattr(cat.model, name)
            if isinstance(column.type, Date):
                key.append(date.fromisoformat(value))
            elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DB_ID:
                key.append(value)
            else:
                raise ValueError
        return key
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadParameter("cursor", "无效的翻页游标") from None


@dataclass
class Listing:
    """One page of a filtered list, with what both page and cursor navigation need."""

    category: Category
    filters: dict[str, Any]
    rows: list[dict[str, Any]]
    total: int
    per_page: int
    page: int | None  # None in cursor mode
    next_cursor: str | None
    states: dict[str, int] | None = None  # decisions: {'public', 'withdrawn'} making up the total, when known

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return bool(self.page and self.page > 1)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def listing(cat: Category, args, *, per_page: int = 20, on: date | None = None, lenient: bool = False) -> Listing:
    """A page of the category, by ``page`` (1-based) or by ``cursor`` (stable under inserts).

    Paging design (cost independent of the page number and of a warm cache):

    * ``cursor`` (the API's ``next_cursor``): keyset, ``WHERE (decided_on, id) < key`` along the list
      index; stable while new records arrive.
    * ``page`` (numbered pages, first/last/jump in the pager): the total and the per-year totals come
      from the maintained counts (``enforcement.disclosure.counts``), so the year holding the page's first
      row is known without reading rows; the page is then read from ``decided_on <= 31 December`` of that
      year with a remaining OFFSET of less than one year's rows (an indexed seek, then a short walk along
      the covering list index). The first page's keys need no counts, so they are read in the same
      statement as the counts (``counts.breakdown_and_first_keys``). Filters the counts are not keyed by
      (dates, keyword, party) fall back to ``count(*)`` and a plain OFFSET: they select few rows.

    ``lenient`` (the API): a page past the last is empty rather than refused (see ``parse_filters``).
    Raises BadParameter (→ 400) for a bad filter, page, per_page or cursor."""
    on = on or today()
    filters = parse_filters(cat, args, lenient=lenient)
    size = int_param(args, "per_page", per_page, hi=MAX_PAGE_SIZE)
    token = param(args, "cursor")
    if token and args.get("page"):
        raise BadParameter("page", "不能与 cursor 同时使用")
    page: int | None = None if token else int_param(args, "page", 1, hi=MAX_DB_ID)
    cells, first_keys = None, None
    if cat is DECISIONS:
        both = counts.breakdown_and_first_keys(filters, on, size + 1) if page == 1 else None
        cells, first_keys = both if both is not None else (counts.breakdown(filters, on), None)
    years = counts.per_year(filters, on, cells) if cells is not None else None
    total = sum(years.values()) if years is not None else count(cat, filters, on)
    offset, seek_year = 0, None
    if token:
        after = _after(cat, decode_cursor(cat, token))
    else:
        assert page is not None
        pages = max(1, -(-total // size))
        if page > pages and not lenient:
            raise BadParameter("page", f"超出范围，共{pages}页")
        offset = (page - 1) * size
        found = counts.seek(years, offset) if years is not None and offset else None
        if found is not None:
            seek_year, offset = found

    def where() -> list:
        conds = list(cat.conditions(filters, on))
        if token:
            conds.append(after)
        if seek_year is not None:
            conds.append(Decision.decided_on <= date(seek_year, 12, 31))
        return conds

    prepared = None
    if cat is DECISIONS and not token and years is not None and first_keys is None:
        # rows the keys query matches before its OFFSET: all of them, or those decided in seek_year or earlier
        rows = sum(n for y, n in years.items() if seek_year is None or y <= seek_year)
        prepared = list_keys.prepared(filters, on, seek_year, offset, size + 1, rows)
    keys, rows = _page_rows(cat, where, offset, size + 1, on, prepared, first_keys)
    more = len(keys) > size
    keys, rows = keys[:size], rows[:size]
    rows = [r for r in rows if r is not None]
    next_cursor = _encode_key(keys[-1]) if more and keys else None
    states = counts.by_state(filters, on, cells) if cells is not None and not filters.get("state") else None
    return Listing(cat, filters, rows, total, size, page, next_cursor, states)


def _page_rows(cat: Category, where: Callable[[], list], offset: int, limit: int, on: date,
               prepared: tuple[Select, dict[str, Any], bool] | None = None,
               keys: list[list[Any]] | None = None) -> tuple[list[list[Any]], list]:
    """(sort keys, projected rows or None) of a page. For decisions in a public request, the page's keys
    are read from the covering list index alone and only rows not already projected today are loaded
    and projected (``enforcement.core.cache.ResponseCache.rows_get``): after a save, one row.

    ``where`` builds the page's conditions; ``prepared`` (``list_keys.prepared``): the same keys query as
    a statement built once per filter shape and its parameters, for the lists the counts answer;
    ``keys``: the page's keys already read (the first page, read with the counts)."""
    rc = cache.row_cache() if cat is DECISIONS else None
    if rc is None:
        objs = list(db.session.scalars(
            _ordered(cat, select(cat.model).where(*where()).options(*cat.options())).offset(offset).limit(limit)))
        return [[getattr(o, n) for n in cat.order] for o in objs], [cat.project(o, on) for o in objs]
    if keys is None and prepared is not None:
        keys = list_keys.page_keys(prepared)
    elif keys is None:
        keys = [list(k) for k in db.session.execute(
            _ordered(cat, select(*cat.order_columns()).where(*where())).offset(offset).limit(limit))]
    ids = [k[cat.order.index("id")] for k in keys]
    found = rc.rows_get(cat.slug, ids, on)
    missing = [i for i in ids if i not in found]
    if missing:
        built = {o.id: cat.project(o, on) for o in db.session.scalars(
            select(cat.model).where(cat.model.id.in_(missing)).options(*cat.options()))}
        rc.rows_put(cat.slug, built, on)
        found.update(built)
    return keys, [found.get(i) for i in ids]


def iter_rows(cat: Category, filters: dict[str, Any], on: date | None = None,
              batch: int | None = None) -> Iterator[dict[str, Any]]:
    """Every matching row, in keyset batches: memory stays constant however many rows there are."""
    on = on or today()
    batch = batch or EXPORT_BATCH
    base = _ordered(cat, filtered(cat, filters, on).options(*cat.options()))
    key: list[Any] | None = None
    while True:
        stmt = base if key is None else base.where(_after(cat, key))
        objs = list(db.session.scalars(stmt.limit(batch)))
        if not objs:
            return
        for obj in objs:
            row = cat.project(obj, on)
            if row is not None:
                yield row
        key = [getattr(objs[-1], name) for name in cat.order]
        db.session.expunge_all()
        if len(objs) < batch:
            return


# ---------------------------------------------------------------- single records


def get_public(model: type, ident: int) -> Any | None:
    """The row, or None for an id that cannot exist."""
    if not 0 < ident <= MAX_DB_ID:
        return None
    return db.session.get(model, ident)


def check_credential(number: str, on: date | None = None) -> dict[str, Any] | None:
    """A citizen's credential check: state, holder's name and agency, nothing else."""
    key = credential_key(number)
    if not key:
        return None
    officer = db.session.scalar(select(Officer).where(Officer.credential_key == key))
    if officer is None:
        return None
    state = projection.credential_state(officer, on or today())
    return {"number": officer.credential_number, "state": state, "state_label": CREDENTIAL_STATES.get(state, state),
            "name": officer.name, "agency": officer.agency.name, "officer_id": officer.id}


def home_summary(on: date | None = None) -> dict[str, Any]:
    """The home page: counts per category, the latest decisions and withdrawals."""
    on = on or today()
    totals = {slug: count(cat, {}, on) for slug, cat in CATEGORIES.items() if slug not in ("laws", "decisions")}
    states = counts.by_state({}, on) or {}
    totals["decisions"] = states.get("public", 0)
    totals["withdrawn"] = states.get("withdrawn", 0)
    latest = db.session.scalars(
        _ordered(DECISIONS, filtered(DECISIONS, {"state": "public"}, on).options(*DECISIONS.options())).limit(8))
    withdrawn = db.session.scalars(
        filtered(DECISIONS, {"state": "withdrawn"}, on).options(selectinload(Decision.agency))
        .order_by(Decision.withdrawn_on.desc(), Decision.id.desc()).limit(5))
    return {
        "counts": totals,
        "latest": [r for r in (decision_row(d, on) for d in latest) if r],
        "withdrawn": [r for r in (decision_row(d, on) for d in withdrawn) if r],
    }


def agencies_for_choice() -> list[tuple[int, str]]:
    """[(id, name)] of every agency, for the list filters; in a public request read once until an agency
    (or anything else but a decision) changes. Callers must not modify the list."""
    def read() -> list[tuple[int, str]]:
        return [(a_id, name) for a_id, name in db.session.execute(select(Agency.id, Agency.name).order_by(Agency.id))]
    rc = cache.row_cache()
    return read() if rc is None else rc.derived("agencies-for-choice", read)
