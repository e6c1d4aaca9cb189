"""Counts of the public decision list without counting the list: maintained counts minus today's expiries.

``enforcement.disclosure.models.counts`` keeps, by trigger, the number of
listed decisions per (agency, kind, year, state) ignoring expiry. The count
the list shows on a day is that sum minus the decisions still in a public
status whose ``expires_on`` has come (the ones ``flask daily`` has not yet
marked expired: none right after it ran, found through
``ix_decisions_status_expires``). So a count costs one statement of two small indexed queries
whatever the number of decisions, right after any write, with no warm cache
(a ``count(*)`` of 100,000 public decisions took two thirds of an uncached
list request).

Only the filters the table is keyed by can be answered this way (``kind``,
``agency``, ``year``, ``state``); any other filter (dates, keyword, party)
returns None and the caller counts the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    extract,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from enforcement.core.enums import DecisionStatus
from enforcement.disclosure import list_keys
from enforcement.disclosure.categories import sql_constant
from enforcement.disclosure.models import Decision
from enforcement.disclosure.models.counts import LISTED_STATUSES, DecisionListCount

KEYED_FILTERS = frozenset({"kind", "agency", "year", "state"})
EXPIRED = "expired"  # the state tag of the unmarked expiries' rows in ``_breakdown_statement``
PUBLIC_STATUSES = tuple(s for s in LISTED_STATUSES if s != DecisionStatus.WITHDRAWN.value)


def answerable(filters: dict[str, Any]) -> bool:
    """True when every filter set is one the maintained counts are keyed by."""
    return all(not v for k, v in filters.items() if k not in KEYED_FILTERS)


def breakdown(filters: dict[str, Any], on: date) -> dict[tuple[int, str], int] | None:
    """{(year decided, state): listed decisions} on day ``on``, the ``state`` filter ignored; None if not answerable.

    States are 'public' and 'withdrawn'; pairs with no listed decision are left out. One statement of two
    indexed queries (UNION ALL): the maintained counts, and the unmarked expiries subtracted from them.
    """
    if not answerable(filters):
        return None
    shape = (bool(filters.get("kind")), bool(filters.get("agency")), bool(filters.get("year")))
    params = {name: filters[name] for name in ("kind", "agency", "year") if filters.get(name)}
    both = list_keys.shaped(("counts", *shape), lambda: _breakdown_statement(*shape))
    return _cells(list_keys.execute(both, {**params, "on": on}))


def _cells(rows: Iterable[tuple]) -> dict[tuple[int, str], int]:
    """``breakdown``'s result from the rows of ``_breakdown_statement``."""
    cells: dict[tuple[int, str], int] = {}
    expired: list[tuple[int, int]] = []
    for y, s, n in rows:
        if s == EXPIRED:
            expired.append((int(y), int(n)))
        else:
            cells[(int(y), s)] = int(n or 0)
    for y, n in expired:
        cells[(y, "public")] = cells.get((y, "public"), 0) - n
    return {k: n for k, n in cells.items() if n > 0}


def breakdown_and_first_keys(filters: dict[str, Any], on: date, limit: int
                             ) -> tuple[dict[tuple[int, str], int], list[list[Any]]] | None:
    """(``breakdown(filters, on)``, the sort keys ``[decided_on, id]`` of the list's first ``limit`` rows,
    newest first) in one statement, so the first page of the list (the page most read, and the API's
    default) costs one round trip to the database instead of two; None if not answerable.

    The first page does not depend on the counts (no year to seek, nothing to read from the far end),
    so both are read together: the counts' rows and the keys' rows, told apart by which columns are
    NULL. The keys are the same rows ``list_keys.page_keys`` reads for offset 0 (tests compare them)."""
    if not answerable(filters):
        return None
    state = filters.get("state") or ""
    shape = (bool(filters.get("kind")), bool(filters.get("agency")), bool(filters.get("year")), state)
    stmt = list_keys.shaped(("counts+first", *shape, limit), lambda: _with_first_keys(*shape, limit))
    params: dict[str, Any] = {"on": on}
    for name in ("kind", "agency", "year"):
        if filters.get(name):
            params[name] = filters[name]
    if filters.get("year"):
        params["year_from"], params["year_to"] = date(filters["year"], 1, 1), date(filters["year"], 12, 31)
    rows = list_keys.execute(stmt, params)
    cells = _cells(r[:3] for r in rows if r[3] is None)
    keys = sorted(([r[3], r[4]] for r in rows if r[3] is not None), reverse=True)  # UNION ALL keeps no order
    return cells, keys


def _with_first_keys(kind: bool, agency: bool, year: bool, state: str, limit: int) -> CompoundSelect:
    """Rows (year, state, n, decided_on, id): ``_breakdown_statement``'s with decided_on and id NULL, then
    the first page's keys with the others NULL (typed: PostgreSQL matches a UNION's columns by type).

    The page size is written into the SQL (one statement per size; sizes are bounded by MAX_PAGE_SIZE):
    with ``LIMIT`` a parameter PostgreSQL kept planning the prepared statement anew at every execution
    (0.3 ms of each first page), its generic plan priced for an unknown number of rows."""
    no_date, no_id = cast(null(), Date), cast(null(), Integer)
    first = (list_keys.keys_statement(kind, agency, year, state, seek=False, backward=False)
             .offset(None).limit(literal_column(str(int(limit)))).subquery())
    return union_all(
        _counts_statement(kind, agency, year).add_columns(no_date, no_id),
        _expired_statement(kind, agency, year, tagged=True).add_columns(no_date, no_id),
        select(cast(null(), Integer), cast(null(), String), cast(null(), BigInteger), first.c.decided_on, first.c.id))


def _breakdown_statement(kind: bool, agency: bool, year: bool) -> CompoundSelect:
    """The maintained counts and the unmarked expiries in one statement (one round trip): rows
    (year, state, n), the expiries' rows with the state ``EXPIRED``."""
    expired = _expired_statement(kind, agency, year, tagged=True)
    return union_all(_counts_statement(kind, agency, year), expired)


def _counts_statement(kind: bool, agency: bool, year: bool) -> Select:
    """The maintained counts per (year, state) for the filters set, their values as placeholders."""
    c = DecisionListCount
    stmt = select(c.year, c.state, func.sum(c.n)).group_by(c.year, c.state)
    if kind:
        stmt = stmt.where(c.kind == bindparam("kind"))
    if agency:
        stmt = stmt.where(c.agency_id == bindparam("agency"))
    if year:
        stmt = stmt.where(c.year == bindparam("year"))
    return stmt


def per_year(filters: dict[str, Any], on: date, cells: dict[tuple[int, str], int] | None = None
             ) -> dict[int, int] | None:
    """{year decided: listed decisions} on day ``on`` for the filters, newest year first; None if not answerable.

    Equal, year by year, to a ``count(*)`` of the public list with the same filters
    (tests/disclosure/test_list_counts.py checks this after random write sequences). ``cells``: a
    ``breakdown`` already read for the same filters.
    """
    cells = breakdown(filters, on) if cells is None else cells
    if cells is None:
        return None
    years: dict[int, int] = {}
    for (year, state), n in cells.items():
        if not filters.get("state") or filters["state"] == state:
            years[year] = years.get(year, 0) + n
    return dict(sorted(years.items(), reverse=True))


def _expired_statement(kind: bool, agency: bool, year: bool, tagged: bool = False) -> Select:
    """Unmarked expiries per year decided, the filters set as placeholders.

    Read through ``ix_decisions_status_expires`` only: the other filters are compared as expressions so
    that SQLite (which plans without statistics) cannot pick the kind or (status, decided_on) index and
    walk every decision of a kind or year instead of the few past their period."""
    decided = extract("year", Decision.decided_on)
    cols = (decided, literal_column(f"'{EXPIRED}'"), func.count()) if tagged else (decided, func.count())
    stmt = select(*cols).where(
        Decision.status.in_([sql_constant(s) for s in PUBLIC_STATUSES]), Decision.expires_on <= bindparam("on", type_=Decision.expires_on.type),
        Decision.party_is_minor.is_(False), Decision.published_on.is_not(None),
        Decision.decided_on.is_not(None)).group_by(decided)
    if kind:
        stmt = stmt.where(Decision.kind + "" == bindparam("kind"))
    if agency:
        stmt = stmt.where(Decision.agency_id + 0 == bindparam("agency"))
    if year:
        stmt = stmt.where(decided == bindparam("year"))
    return stmt


def total(filters: dict[str, Any], on: date) -> int | None:
    """The listed decisions matching the filters on day ``on``; None when a filter is not answerable."""
    years = per_year(filters, on)
    return None if years is None else sum(years.values())


def by_state(filters: dict[str, Any], on: date, cells: dict[tuple[int, str], int] | None = None
             ) -> dict[str, int] | None:
    """{'public': n, 'withdrawn': m} for the filters without their own state: what a list total is made of."""
    cells = breakdown(filters, on) if cells is None else cells
    if cells is None:
        return None
    states = {"public": 0, "withdrawn": 0}
    for (_year, state), n in cells.items():
        states[state] += n
    return states


def seek(years: dict[int, int], offset: int) -> tuple[int, int] | None:
    """(year, offset within the rows decided in that year or earlier) of the row at ``offset`` of the list.

    The list runs newest first, so the row at ``offset`` lies in the first year (newest first) whose
    running total passes it; a page there is read from ``decided_on <= 31 December of that year`` with a
    remaining OFFSET of at most one year's rows instead of every row before it. None past the end.
    """
    before = 0
    for year, n in years.items():
        if offset < before + n:
            return year, offset - before
        before += n
    return None
