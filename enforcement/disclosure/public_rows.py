"""The decisions' public export rows, projected ahead of time and kept current from the change log.

Masking a decision's texts (``projection.public_decision``) costs about half a millisecond and the name
detector's dictionary (over 100 MiB); an export of 28,000 rows cannot pay that per download. So each
decision that may be listed has its export row stored in ``decision_public_rows`` (one JSON list of
cells per decision, ``encode_cells``), and an export only reads them:

1. ``refresh()`` brings the store up to date from the change log (``core.changefeed``, the search
   index's reading scheme): the decisions named there are projected again, and so are the decisions of a
   changed officer (names and 执法证号 are public values the masking keeps) or agency (its name is a
   column and its contacts are kept). No change since the last refresh: two small reads, no write and
   no import of the masking engine. The first refresh, a new ``VERSION`` or a replaced database builds
   every row (``flask demo load`` and ``flask daily`` do it ahead, so no visitor waits for it).
2. ``stored_rows()`` streams the stored cells of the decisions the list shows. Which decisions are
   listed depends on today's date (a display period ends), so that stays a live SQL condition on
   ``decisions`` (``categories.DECISIONS.conditions``) joined to the stored rows. A row is stored for
   every decision listed on the store's day (``as_of``) and so on every later one; rows of decisions
   whose period ended since stay (the SQL leaves them out); an export for an earlier day rebuilds.

Stored values are the ones ``core.exporting`` would write, so a file is byte for byte the one the
projection gives (``tests/disclosure/test_public_rows.py`` compares both).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select

from enforcement.core import changefeed
from enforcement.core.exporting import Money, safe_text
from enforcement.core.models import ChangeLog
from enforcement.disclosure.categories import DECISIONS, listed_decision_conditions, today
from enforcement.disclosure.models import Decision, DecisionPublicRow, decision_officers
from enforcement.disclosure.queries import _ordered
from enforcement.extensions import db

NAME = "decision_public_rows"
# Bump when the projection, the masking engine's rules or the export columns change: the next refresh
# rebuilds every row.
VERSION = "1"
BATCH = 2000
REBUILD_SHARE = 0.3  # more changed decisions than this share of the stored rows: build everything


def encode_cells(row: dict[str, Any]) -> str:
    """The export row as a JSON list, one value per ``DECISIONS.export_columns`` column.

    Text is stored raw (neutralised against spreadsheet formulas when written, as ``core.exporting``
    does); a date as its ISO text; a decimal as ``{"d": "12.50"}`` (a number in XLSX); a boolean, a list
    or a mapping as ``{"c": cell text}``; numbers and None as they are.
    """
    from enforcement.core.exporting import _flat  # the very cell text core.exporting writes

    cells: list[Any] = []
    for key, _label in DECISIONS.export_columns:
        v = row.get(key)
        if isinstance(v, bool) or isinstance(v, (list, dict)):
            cells.append({"c": _flat(v)})
        elif isinstance(v, Decimal):
            cells.append({"d": str(v), "c": _flat(v)})
        elif isinstance(v, (date, datetime)):
            cells.append(v.isoformat())
        elif v is None or isinstance(v, (str, int, float)):
            cells.append(v)
        else:
            raise TypeError(f"export column {key}: {type(v).__name__}")
    return json.dumps(cells, ensure_ascii=False, separators=(",", ":"))


def csv_cells(cells: list[Any]) -> list[Any]:
    """Stored cells as ``csv.writer`` takes them: the same text ``core.exporting.csv_chunks`` writes."""
    return [safe_text(c) if type(c) is str else "" if c is None else c["c"] if type(c) is dict else c
            for c in cells]


def xlsx_cells(cells: list[Any]) -> list[Any]:
    """Stored cells as ``core.exporting.write_xlsx`` makes them, for ``write_xlsx_lists``: decimals as
    ``Money`` (numeric, ``#,##0.00``), text neutralised against formulas (``safe_text``)."""
    out: list[Any] = []
    for c in cells:
        if type(c) is str:
            out.append(safe_text(c))
        elif type(c) is dict:
            out.append(Money(c["d"]) if "d" in c else c["c"])
        else:
            out.append(c)
    return out


def candidate_conditions(on: date) -> list:
    """Decisions that get a stored row: those the list shows on ``on``, and so every decision it shows on
    any later day (a display period only ends as days pass). An export applies the list's conditions
    for its own day on top."""
    return listed_decision_conditions(on)


def _project(ids: list[int], on: date) -> dict[int, str]:
    """{decision id: encoded cells} for those of ``ids`` the projection shows on ``on`` (others absent)."""
    from enforcement.disclosure.export_stream import agencies, decision_columns, project_rows

    found: dict[int, str] = {}
    known = agencies()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        rows = db.session.execute(select(*decision_columns()).where(Decision.id.in_(chunk),
                                                                     *candidate_conditions(on))).all()
        for r, row in zip(rows, project_rows(rows, known, on), strict=True):
            if row is not None:
                found[r.id] = encode_cells(row)
    return found


def _write(ids: list[int], change_id: int, replace: bool, on: date) -> None:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        if replace:
            db.session.execute(delete(DecisionPublicRow).where(DecisionPublicRow.decision_id.in_(chunk)))
        rows = [{"decision_id": i, "change_id": change_id, "cells": c} for i, c in _project(chunk, on).items()]
        if rows:
            db.session.execute(DecisionPublicRow.__table__.insert(), rows)  # Core executemany


def _affected(found: dict[str, dict[int, str]]) -> set[int]:
    """Decisions whose row a change names: their own, their officers' and their agencies'."""
    ids = set(found.get("decision", {}))
    for entity, column, key in (("officer", decision_officers.c.officer_id, decision_officers.c.decision_id),
                                ("agency", Decision.agency_id, Decision.id)):
        changed = sorted(found.get(entity, {}))
        for start in range(0, len(changed), 500):
            ids.update(db.session.scalars(select(key).where(column.in_(changed[start:start + 500]))))
    return ids


def pending(on: date | None = None) -> bool:
    """Whether ``refresh(on)`` has anything to do (two small reads, no write)."""
    return changefeed.pending(NAME, VERSION, on or today())


def refresh(on: date | None = None, *, full: bool = False) -> int:
    """Bring ``decision_public_rows`` up to date for exports on ``on`` (default today) and every later
    day; returns the decisions projected (all listed ones on a build; an earlier day than the store's
    rebuilds it).

    Flushes, never commits (the command or request does). Database errors propagate and leave the
    previous rows (the caller rolls back). Source of the reading scheme: ``core.changefeed``.
    """
    on = on or today()
    if not full and not pending(on):
        return 0
    reader, target = changefeed.claim(NAME)
    latest = db.session.scalar(select(func.coalesce(func.max(ChangeLog.id), 0))) or 0
    rebuild = full or changefeed.must_rebuild(reader, target, VERSION, on)
    if not rebuild:
        found, ahead = changefeed.changes(reader, target)
        ids = _affected(found)
        stored = db.session.scalar(select(func.count()).select_from(DecisionPublicRow)) or 0
        rebuild = len(ids) > max(2000, stored * REBUILD_SHARE)
    if rebuild:
        db.session.execute(delete(DecisionPublicRow))
        ids_all = list(db.session.scalars(select(Decision.id).where(*candidate_conditions(on)).order_by(Decision.id)))
        _write(ids_all, latest, replace=False, on=on)
        changefeed.rebuilt(reader, target, VERSION, on)
        return len(ids_all)
    _write(sorted(ids), latest, replace=True, on=on)
    changefeed.advance(reader, target, ahead, on)
    return len(ids)


def stored_rows(filters: dict[str, Any], on: date, batch: int = BATCH) -> Iterator[list[Any]]:
    """The stored cells of every decision the public list shows for ``filters`` on ``on``, newest first
    (the list's order). One query, read ``batch`` rows at a time (PostgreSQL: a server-side cursor;
    SQLite steps its cursor), so memory stays constant and the rows are sorted once, not once per batch.
    Call ``refresh(on)`` first."""
    stmt = _ordered(DECISIONS, select(DecisionPublicRow.cells)
                    .join(Decision, DecisionPublicRow.decision_id == Decision.id)
                    .where(*DECISIONS.conditions(filters, on)))
    loads = json.loads
    result = db.session.execute(stmt, execution_options={"yield_per": batch})
    try:
        for part in result.partitions():
            for (cells,) in part:
                yield loads(cells)
    finally:
        result.close()
