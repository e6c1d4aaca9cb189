"""A maintained store kept current from the change log: the reading scheme shared by derived tables.

A store (the decisions' public export rows; any table derived from public data) keeps one
``ChangeReader`` row: its *floor* (every change-log row with a position below it is applied) and the
unsettled rows it applied early (*ahead*). This is the search index's scheme (``search.indexing``),
kept in the database instead of a state file, on the positions and horizon of ``core.changelog``:

- ``pending(name)`` says, in two small reads (one indexed count) and no write, whether anything is left
  to apply;
- ``claim(name)`` takes the reader row for update (PostgreSQL: a row lock; SQLite: the write lock),
  so two processes never apply the same rows at once, and reads the horizon *after* the lock;
- ``changes(reader, target)`` (``changed_ids`` for a store keeping its position elsewhere, as the
  stored audit does in its own state row) returns ``{entity: {id: op}}`` for the settled rows in [floor, target)
  not applied early, plus the unsettled rows committed at or above target (applied early once and
  remembered in ``ahead``, so they are not applied again when they settle);
- ``advance(reader, target, ahead)`` moves the floor only after the caller applied those changes.

A reader with no row, another version, or a floor above the horizon (a restored or replaced database)
must rebuild; ``rebuilt(reader, target)`` then records that the build saw everything committed.
Nothing here commits: the command or request commits once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import func, select, update

from enforcement.core.changelog import horizon, settled_changes, unsettled_changes
from enforcement.core.models import ChangeLog, ChangeReader, utcnow
from enforcement.extensions import db

AHEAD_LIMIT = 1_000_000  # unsettled rows remembered as applied early (stored as runs: a bulk load is one)


def position():
    """The change log's reading position column (``core.changelog``): txid on PostgreSQL, else id."""
    return ChangeLog.txid if db.session.get_bind().dialect.name == "postgresql" else ChangeLog.id


def pack(ids: set[int]) -> str:
    """Ids as JSON runs [[first, last], ...]."""
    runs: list[list[int]] = []
    for i in sorted(ids):
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return json.dumps(runs)


def unpack(text: str) -> set[int]:
    return {i for first, last in json.loads(text or "[]") for i in range(first, last + 1)}


def pending(name: str, version: str, on: date | None = None) -> bool:
    """Whether the store ``name`` has anything to apply or must be built (no write, no lock); with ``on``,
    also when the store was made for a later day (see ``must_rebuild``)."""
    reader = db.session.get(ChangeReader, name)
    if reader is None or reader.built_at is None or reader.version != version:
        return True
    if on is not None and (reader.as_of is None or on < reader.as_of):
        return True
    # Every row at or above the floor is either applied early (``ahead``, all at or above it) or still to
    # apply. Compared with the horizon instead, PostgreSQL would always find work: the horizon moves on
    # whenever any transaction in the cluster ends, the reader's own included.
    waiting = db.session.scalar(select(func.count(ChangeLog.id)).where(position() >= reader.floor)) or 0
    return waiting > len(unpack(reader.ahead))


def claim(name: str) -> tuple[ChangeReader, int]:
    """The reader row, locked for this transaction (created if missing), and the horizon read after the lock."""
    reader = db.session.get(ChangeReader, name)
    if reader is None:
        reader = ChangeReader(name=name, floor=0, ahead="[]", version="", applied_id=0)
        db.session.add(reader)
        db.session.flush()
    db.session.execute(update(ChangeReader).where(ChangeReader.name == name).values(floor=ChangeReader.floor))
    db.session.refresh(reader)
    return reader, horizon(db.session)


def must_rebuild(reader: ChangeReader, target: int, version: str, on: date | None = None) -> bool:
    """No build yet, another derivation version, a change log that went back in time, or (with ``on``) a
    day before the one the store was made for: it may lack what showed then and no longer does."""
    return (reader.built_at is None or reader.version != version or target < reader.floor
            or (on is not None and (reader.as_of is None or on < reader.as_of)))


def changed_ids(floor: int, target: int, ahead: set[int], limit: int = 5000) -> tuple[dict[str, dict[int, str]], set[int]]:
    """({entity: {id: op}} to apply, the new set of early-applied ids) for a reader at ``floor`` with
    ``ahead`` applied early, up to the horizon ``target``; the last op of an id wins.

    Settled rows in [floor, target) are returned unless they were applied early (then they leave
    ``ahead``); rows committed at or above ``target`` (unsettled: an older transaction is still open
    somewhere) are returned once and remembered in ``ahead``, up to AHEAD_LIMIT of them.
    """
    found: dict[str, dict[int, str]] = defaultdict(dict)
    ahead = set(ahead)
    after = 0
    while rows := settled_changes(db.session, floor, target, after, limit=limit):
        after = rows[-1].id
        for r in rows:
            if r.id in ahead:
                ahead.discard(r.id)
            else:
                found[r.entity][r.entity_id] = r.op
    after = 0
    while len(ahead) < AHEAD_LIMIT and (
        rows := unsettled_changes(db.session, target, after, limit=min(limit, AHEAD_LIMIT - len(ahead)))
    ):
        after = rows[-1].id
        for r in rows:
            if r.id not in ahead:
                ahead.add(r.id)
                found[r.entity][r.entity_id] = r.op
    return found, ahead


def changes(reader: ChangeReader, target: int, limit: int = 5000) -> tuple[dict[str, dict[int, str]], set[int]]:
    """``changed_ids`` for a ``ChangeReader`` row."""
    return changed_ids(reader.floor, target, unpack(reader.ahead), limit)


def advance(reader: ChangeReader, target: int, ahead: set[int], on: date | None = None) -> None:
    """Record that everything below target (and the ``ahead`` ids) is applied (with ``on``: as of that day,
    which only moves forward)."""
    reader.floor, reader.ahead = target, pack(ahead)
    if on is not None and (reader.as_of is None or on > reader.as_of):
        reader.as_of = on
    reader.applied_id = db.session.scalar(select(func.coalesce(func.max(ChangeLog.id), 0))) or 0
    db.session.flush()


def rebuilt(reader: ChangeReader, target: int, version: str, on: date | None = None) -> None:
    """Record a full build that read every table as committed after target was read: the unsettled rows
    visible then are in it already."""
    ahead = set(db.session.scalars(select(ChangeLog.id).where(position() >= target).limit(AHEAD_LIMIT)))
    reader.version, reader.built_at, reader.as_of = version, utcnow(), on
    advance(reader, target, ahead)
