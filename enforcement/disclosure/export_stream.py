"""Projecting decisions from plain rows: filtered in SQL, read in keyset batches, masked once.

The public projection (``projection.public_decision``) is applied to light row objects instead of ORM
instances: a batch is one query for the decision columns the projection reads, one for the officers of
the batch's decisions (their names and 执法证号 are public values the masking keeps) and a dictionary of
the few agencies, read once. Only listed decisions are read (``categories.listed_decision_conditions``:
public or withdrawn, never a draft, a minor's case or an expired one), so an export of the 27,000 public
decisions of a town of 100,000 reads 27,000 rows, not 100,000. Memory stays constant: a batch is
dropped before the next is read.

The CSV/XLSX exports do not project at download time: they read the rows ``public_rows`` stored with
``project_rows``. ``decision_rows`` (projection now) serves the JSON lines export and the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from enforcement.disclosure.categories import DECISIONS, decision_row, today
from enforcement.disclosure.models import Agency, Decision, Officer, decision_officers
from enforcement.disclosure.queries import _after, _ordered
from enforcement.extensions import db

BATCH = 2000

# The columns public_decision and masking_context read (never the rest of the row).
_COLUMNS = (
    "id", "number", "kind", "status", "procedure", "agency_id", "title", "party_type", "party_name",
    "party_credit_code", "party_legal_rep", "party_id_number", "party_address", "party_phone",
    "party_bank_account", "party_is_minor", "other_names", "facts", "basis", "result", "penalty_kinds",
    "fine_amount", "confiscation_amount", "is_major", "masking_confirmed", "decided_on", "published_on",
    "ended_on", "ended_reason", "withdrawn_on", "withdrawal_reason", "expires_on",
)


class _DecisionRow(SimpleNamespace):
    """A decision's columns with the relations the projection reads (agency, officers; no powers/records)."""

    @property
    def penalty_kind_list(self) -> list[str]:
        return [k for k in (self.penalty_kinds or "").split(",") if k]


def _agencies() -> dict[int, SimpleNamespace]:
    cols = ("id", "name", "address", "phone", "supervision_phone", "credit_code")
    rows = db.session.execute(select(*[getattr(Agency, c) for c in cols])).all()
    return {r.id: SimpleNamespace(**dict(zip(cols, r, strict=True))) for r in rows}


def _officers(ids: list[int]) -> dict[int, list[SimpleNamespace]]:
    stmt = (select(decision_officers.c.decision_id, Officer.name, Officer.credential_number)
            .join(Officer, Officer.id == decision_officers.c.officer_id)
            .where(decision_officers.c.decision_id.in_(ids)).order_by(Officer.id))
    found: dict[int, list[SimpleNamespace]] = {}
    for decision_id, name, number in db.session.execute(stmt):
        found.setdefault(decision_id, []).append(SimpleNamespace(name=name, credential_number=number))
    return found


def project_rows(rows: list[Any], agencies: dict[int, SimpleNamespace], on: date) -> Iterator[dict[str, Any]]:
    """``categories.decision_row`` of each plain row (selected with ``select(*decision_columns())``), or
    None in its place when nothing may be shown; the officers of the batch are read in one query."""
    officers = _officers([r.id for r in rows])
    for r in rows:
        d = _DecisionRow(**r._asdict())
        d.agency = agencies.get(d.agency_id)
        d.officers = officers.get(d.id, [])
        d.powers = d.records = ()
        yield decision_row(d, on)


def decision_columns() -> list[Any]:
    """The decision columns the projection reads."""
    return [getattr(Decision, c) for c in _COLUMNS]


def agencies() -> dict[int, SimpleNamespace]:
    """Every agency's public values, by id (a town has a few dozen)."""
    return _agencies()


def decision_rows(filters: dict[str, Any], on: date | None = None, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Every decision the public list shows for ``filters`` (as ``queries.parse_filters`` returns them),
    newest first, as ``categories.decision_row`` projects it (masked; withdrawn ones as notices).

    The same rows and values as ``queries.iter_rows(DECISIONS, filters)``, projected now (the masking
    engine runs per row); the export reads the maintained rows of ``public_rows`` instead.
    """
    on = on or today()
    known = _agencies()
    base = _ordered(DECISIONS, select(*decision_columns()).where(*DECISIONS.conditions(filters, on)))
    key: list[Any] | None = None
    while True:
        stmt = base if key is None else base.where(_after(DECISIONS, key))
        rows = db.session.execute(stmt.limit(batch)).all()
        if not rows:
            return
        for row in project_rows(rows, known, on):
            if row is not None:
                yield row
        key = [getattr(rows[-1], name) for name in DECISIONS.order]
        if len(rows) < batch:
            return
