"""Keeping the index fresh from the change log, without ever losing an update.

``sync`` works under the cross-process writer lock. It reads the change log's
horizon first, applies every *settled* row between the index's floor and that
horizon (rows no open transaction can add to, see ``core.changelog``), and only
then moves the floor to the horizon; a writer killed at any point leaves
changes to re-apply (upserts by key are idempotent), never a gap. It then
applies the *unsettled* rows already committed (a staff save made while a long
import is still open) at once, remembering their ids so that they are not
applied twice when they settle. Each sync also sweeps out decisions whose
display period ended since the last sweep: expiry is a date, not a change-log
row.

``rebuild`` builds a new index generation from the database beside the live
one, catches up under the lock with what changed meanwhile, and swaps it in.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice

from sqlalchemy import select

from enforcement.core import clock
from enforcement.core.changelog import horizon, latest_id, settled_changes, unsettled_changes
from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from enforcement.search.analysis import jieba_tokenizer
from enforcement.search.documents import all_docs, dependants, load_docs
from enforcement.search.store import IndexStore, SyncState
from enforcement.search.whoosh_engine import IndexWriter, WhooshEngine, segment

BATCH = 2000
# Unsettled rows applied early are remembered by id until they settle; past this many (an old transaction
# left open for days), newer ones wait for it to end instead.
AHEAD_LIMIT = 5000
# The change log's entity names are the index categories.


def _apply(writer: IndexWriter, changes: dict[str, dict[int, str]], today: date) -> int:
    """Re-project each changed record: upsert what is public, delete what is not (or is gone)."""
    for category, ops in list(changes.items()):
        for extra_category, ids in dependants(category, [i for i, op in ops.items() if op == "upsert"]).items():
            for i in ids:
                changes.setdefault(extra_category, {}).setdefault(i, "upsert")
    n = 0
    for category, ops in changes.items():
        upserts = [i for i, op in ops.items() if op == "upsert"]
        docs = load_docs(category, upserts, today) if upserts else {}
        writer.index([d for d in docs.values() if d is not None])
        gone = [i for i, op in ops.items() if op == "delete" or docs.get(i) is None]
        writer.delete(f"{category}:{i}" for i in gone)
        n += len(ops)
    return n


def _apply_rows(engine: WhooshEngine, generation, rows, state: SyncState, today: date) -> SyncState:
    changes: dict[str, dict[int, str]] = defaultdict(dict)
    for row in rows:
        changes[row.entity][row.entity_id] = row.op
    with engine.writer(generation) as writer:
        _apply(writer, changes, today)
        writer.state = state
        writer.state.applied_id = max(state.applied_id, max(r.id for r in rows))
    db.session.expire_all()
    return writer.state


def _catch_up(engine: WhooshEngine, generation=None, *, today: date, batch: int = BATCH) -> int:
    """Apply the change log and the expiry sweep to generation; the caller holds the writer lock.

    Returns the number of change-log rows applied, each counted once even if it was applied early.
    """
    applied = 0
    state = engine.state(generation)
    target = horizon(db.session)  # read before the rows: everything below it is visible to the reads below
    ahead = set(state.ahead)
    after = 0
    while rows := settled_changes(db.session, state.floor, target, after, limit=batch):
        after = rows[-1].id
        fresh = [r for r in rows if r.id not in ahead]
        ahead.difference_update(r.id for r in rows)
        if fresh:
            state = _apply_rows(engine, generation, fresh, state, today)
            applied += len(fresh)
    after = 0
    while len(ahead) < AHEAD_LIMIT and (
        rows := unsettled_changes(db.session, target, after, limit=min(batch, AHEAD_LIMIT - len(ahead)))
    ):
        after = rows[-1].id
        fresh = [r for r in rows if r.id not in ahead]
        ahead.update(r.id for r in fresh)
        if fresh:
            state = _apply_rows(engine, generation, fresh, state, today)
            applied += len(fresh)
    if state.floor != target or set(state.ahead) != ahead:
        state.floor, state.ahead = target, sorted(ahead)
        IndexStore.write_state(generation or engine.store.current(), state)
    if state.swept_date != today:
        query = select(Decision.id).where(Decision.expires_on <= today)
        if state.swept_date is not None:
            query = query.where(Decision.expires_on > state.swept_date)
        expired = list(db.session.scalars(query))
        with engine.writer(generation) as writer:
            for start in range(0, len(expired), batch):
                _apply(writer, {"decision": dict.fromkeys(expired[start : start + batch], "upsert")}, today)
            writer.state.swept_on = today.isoformat()
    return applied


def sync(engine: WhooshEngine, *, today: date | None = None, wait: bool = True,
         progress: Callable[[int], None] | None = None) -> int:
    """Apply what changed since the last sync; returns the number of change-log rows applied.

    With no usable index it builds one first (progress as for ``rebuild``) and returns 0.
    """
    today = today or clock.today()
    if not engine.exists() or horizon(db.session) < engine.state().floor:
        # No index yet, or the change log went back in time: a restored or replaced database, which
        # this index never followed. Its positions mean nothing there, so build it afresh.
        rebuild(engine, today=today, progress=progress)
        return 0
    with engine.lock(wait) as locked:
        if not locked:
            return 0  # another writer is syncing right now; it will see these changes too
        return _catch_up(engine, today=today)


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def bounded_map(pool, fn: Callable, items: Iterable, *, chunk: int = 500, ahead: int = 8) -> Iterator:
    """fn over items in the pool's processes, in order, with at most ``ahead`` chunks in flight.

    ``Pool.imap`` feeds and collects without limit: while the writer commits a segment, the workers'
    finished records pile up in this process (gigabytes at 1,000,000 records). Here the workers wait
    instead, and still segment the next chunks while this process writes the previous ones.
    """
    pending: deque = deque()
    for part in _chunks(iter(items), chunk):
        pending.append(pool.map_async(fn, part))
        if len(pending) >= ahead:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def rebuild(engine: WhooshEngine, *, today: date | None = None, procs: int = 1,
            progress: Callable[[int], None] | None = None) -> int:
    """Build a fresh generation from the database and swap it in; searches go on meanwhile.

    Returns the number of documents indexed; progress (if given) is called with records read so far.
    """
    today = today or clock.today()
    start = horizon(db.session)  # read before the build: whatever it cannot see is caught up below
    start_id = latest_id(db.session)
    generation = engine.new_build()
    with engine.writer(generation, fresh=True) as writer:
        docs = all_docs(today=today, progress=progress)
        if procs > 1:
            jieba_tokenizer()  # loaded once here and inherited by the forked workers
            with multiprocessing.get_context("fork").Pool(procs) as pool:
                writer.add_segmented(bounded_map(pool, segment, docs))
        else:
            writer.index(docs)
        writer.state = SyncState(applied_id=start_id, floor=start, swept_on=today.isoformat())
        count = writer.written
    with engine.lock():
        _catch_up(engine, generation, today=today)
        engine.publish(generation)
    return count
