"""The public decision list's SQL, built once per filter *shape* and run with bound parameters.

Building a SQLAlchemy statement (coercing every column comparison, generating its cache key) cost
more than running it: a list request's few small indexed queries took well under a millisecond in
the database and about as much again in Python to put together. A list request's filters the
maintained counts answer (``kind``, ``agency``, ``year``, ``state``; see
``enforcement.disclosure.counts``) come in few shapes — which of them are set, and whether the page
starts after a year boundary — so each shape's statement is built once per process with
``bindparam`` placeholders, and every request only binds its values. The statements are the same SQL
as ``enforcement.disclosure.categories._decision_conditions`` builds (tests/disclosure compare the
pages both ways), and are run on the session's connection, skipping the ORM layer that plain column
rows do not need.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Select, bindparam, select

from enforcement.disclosure.categories import DECISIONS, _decision_conditions
from enforcement.disclosure.models import Decision
from enforcement.extensions import db

_built: dict[tuple, Any] = {}
_lock = threading.Lock()


def shaped(key: tuple, build: Callable[[], Any]) -> Any:
    """The statement for ``key`` (a shape: which filters are set), built by ``build()`` the first time.

    Statements are immutable; building one twice in a race is harmless, the lock only keeps the dict sane."""
    stmt = _built.get(key)
    if stmt is None:
        stmt = build()
        with _lock:
            stmt = _built.setdefault(key, stmt)
    return stmt


def execute(stmt: Any, params: dict[str, Any]) -> list[tuple]:
    """Run a shaped statement on the session's connection (its transaction) and return its rows as
    tuples of Python values (dates as ``date``…), flushing first as the session's own ``execute`` would,
    so pending changes are counted.

    The statement is compiled once per dialect (``_Driver``) and its SQL text run as is
    (``exec_driver_sql``): compiling the cached statement at each execution and typing its result cost
    more than SQLite took to answer (0.18 ms against 0.08 ms for the counts). Raises SQLAlchemy's
    ``DBAPIError`` as ``Session.execute`` would."""
    session = db.session()
    if session.autoflush:
        session.flush()
    conn = session.connection()
    driver = _drivers.get((stmt, conn.dialect.name))
    if driver is None:
        driver = _Driver(stmt, conn.dialect)
        with _lock:
            driver = _drivers.setdefault((stmt, conn.dialect.name), driver)
    if driver.sql is None:
        return [tuple(r) for r in conn.execute(stmt, params)]
    return driver.run(conn, params)


_drivers: dict[tuple[Any, str], _Driver] = {}  # (shaped statement, dialect name) -> its compiled form


class _Driver:
    """A shaped statement compiled for one dialect: its SQL text, how to bind each parameter (the bound
    types' own ``bind_processor``) and how to read each column (``result_processor``), so that a run
    returns what SQLAlchemy would. ``sql`` is None when the SQL is only final at execution time
    (an expanding IN): such a statement runs through SQLAlchemy."""

    def __init__(self, stmt: Any, dialect: Any) -> None:
        compiled = stmt.compile(dialect=dialect)
        text = str(compiled)
        self.sql = None if "POSTCOMPILE" in text else text
        # values written into the statement (``literal``); the placeholders are given at each run
        self.defaults = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        self.binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                      for name, bind in compiled.binds.items()}
        self.positions = list(compiled.positiontup) if compiled.positiontup else None
        processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in stmt.selected_columns]
        # only the columns that need converting (on SQLite, dates arrive as text): (position, processor)
        self.columns = [(i, p) for i, p in enumerate(processors) if p is not None]

    def run(self, conn: Any, params: dict[str, Any]) -> list[tuple]:
        values = {**self.defaults, **params}
        for name, process in self.binds.items():
            if process is not None:
                values[name] = process(values[name])
        # exec_driver_sql keeps SQLAlchemy's error handling (a dropped connection is invalidated and
        # reported as such, ``core.connections``) without compiling or wrapping results
        rows = conn.exec_driver_sql(
            self.sql, tuple(values[n] for n in self.positions) if self.positions is not None else values).all()
        if not self.columns:
            return [tuple(r) for r in rows]
        converted = []
        for row in rows:
            values = list(row)
            for i, process in self.columns:
                values[i] = process(values[i])
            converted.append(tuple(values))
        return converted


def prepared(filters: dict[str, Any], on: date, seek_year: int | None, offset: int,
             limit: int, rows: int | None = None) -> tuple[Select, dict[str, Any], bool]:
    """(statement, parameters, backward) reading the sort keys (decided_on, id) of one page of the public
    decision list; ``backward``: the statement reads them oldest first (reverse what it returns).

    ``filters``: parsed list filters, only the keyed ones set (``counts.answerable``); ``on``: the day
    visibility is judged on; ``seek_year``: the page starts among the rows decided in that year or
    earlier (``counts.seek``), None from the top; ``offset``/``limit``: rows to skip and read after that;
    ``rows``: how many rows the statement matches before its OFFSET (from the maintained counts), or None.
    A page nearer the end than the start of those rows is read from the far end, so an OFFSET walks
    the index over the fewer rows (the last page of 100,000 decisions walked a whole year's rows)."""
    state = filters.get("state") or ""
    backward = rows is not None and rows - offset < offset
    if backward:
        assert rows is not None
        last = rows - 1 - offset  # the page's newest row, counted from the oldest
        first = max(0, last - limit + 1)
        offset, limit = first, max(0, last - first + 1)
    shape = ("decision-keys", bool(filters.get("kind")), bool(filters.get("agency")), bool(filters.get("year")),
             state, seek_year is not None, backward)
    stmt = shaped(shape, lambda: keys_statement(*shape[1:]))
    params: dict[str, Any] = {"on": on, "offset_": offset, "limit_": limit}
    if filters.get("kind"):
        params["kind"] = filters["kind"]
    if filters.get("agency"):
        params["agency"] = filters["agency"]
    if filters.get("year"):
        params["year_from"], params["year_to"] = date(filters["year"], 1, 1), date(filters["year"], 12, 31)
    if seek_year is not None:
        params["seek_to"] = date(seek_year, 12, 31)
    return stmt, params, backward


def page_keys(prepared: tuple[Select, dict[str, Any], bool]) -> list[list[Any]]:
    """The sort keys a ``prepared`` statement reads, newest first (the list's order)."""
    stmt, params, backward = prepared
    keys = [list(k) for k in execute(stmt, params)]
    if backward:
        keys.reverse()
    return keys


def keys_statement(kind: bool, agency: bool, year: bool, state: str, seek: bool, backward: bool) -> Select:
    """The keys query of one filter shape: (decided_on, id) of the listed decisions, newest first (oldest
    first if ``backward``), with placeholders ``on``, ``offset_``, ``limit_`` and, as set, ``kind``,
    ``agency``, ``year_from``/``year_to``, ``seek_to``: the keyed part of
    ``categories._decision_conditions``."""
    conds = _decision_conditions({"state": state}, bindparam("on", type_=Decision.expires_on.type))
    if agency:
        conds.append(Decision.agency_id + 0 == bindparam("agency"))
    if kind:
        conds.append(Decision.kind + "" == bindparam("kind"))
    if year:
        conds.append(Decision.decided_on.between(bindparam("year_from"), bindparam("year_to")))
    if seek:
        conds.append(Decision.decided_on <= bindparam("seek_to"))
    cols = DECISIONS.order_columns()
    assert DECISIONS.descending
    return (select(*cols).where(*conds).order_by(*[c.asc() if backward else c.desc() for c in cols])
            .offset(bindparam("offset_")).limit(bindparam("limit_")))
