"""The change log: every change to public data leaves a row in the same transaction.

Search, page caches and replicas tail this table. ORM changes are caught by a
flush hook, so no service can forget; bulk paths (imports, the demo generator)
call ``record_changes`` with the same connection they write with.

Reading it without missing a commit. Ids are handed out when a row is
written, not when it commits, so on PostgreSQL a transaction that wrote early
and commits late adds a row *below* ids a reader has already passed; a reader
that keeps "the last id applied" skips it for ever. So readers keep a
*position* instead: on PostgreSQL each row records the id of the transaction
that wrote it (``txid``, filled by the database with ``pg_current_xact_id()``),
and ``horizon()`` is the oldest transaction still open
(``pg_snapshot_xmin(pg_current_snapshot())``): every transaction below it has
committed or rolled back, so rows with a position below the horizon are
*settled* and no new one can ever appear there. This is the scheme of
PostgreSQL's own documentation for ``pg_snapshot_xmin`` and of outbox readers
built on it. Rows at or above the horizon (*unsettled*: committed while an
older transaction is still open, such as a long import) are visible and may be
applied early, but a reader may only move its position past them once they
settle. On SQLite one writer holds the database at a time, so ids commit in
order: the position is the id itself and the horizon is one past the highest
committed id, and the same reader code runs on both.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import DDL, event, func, insert, select, text
from sqlalchemy.orm import Session

from enforcement.core.models import ChangeLog, utcnow

_installed = False

# On PostgreSQL the database fills txid itself, so raw inserts and bulk paths cannot forget it.
TXID_DEFAULT = "pg_current_xact_id()::text::bigint"
event.listen(
    ChangeLog.__table__, "after_create",
    DDL(f"ALTER TABLE change_log ALTER COLUMN txid SET DEFAULT {TXID_DEFAULT}").execute_if(dialect="postgresql"),
)


def _key(obj) -> tuple[str, int] | None:
    """(entity, id) that a change to obj affects, or None for non-public objects."""
    hook = getattr(obj, "change_log_key", None)
    if hook is not None:
        return hook()
    entity = getattr(obj, "__public_entity__", "")
    if entity and getattr(obj, "id", None) is not None:
        return entity, obj.id
    return None


def _after_flush(session: Session, _ctx) -> None:
    rows: dict[tuple[str, int], str] = {}
    for obj in list(session.new) + list(session.dirty):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        key = _key(obj)
        if key:
            rows.setdefault(key, "upsert")
    # A deleted child (a procedure step) changes its parent; a deleted record is gone, whatever its children say.
    deleted = sorted(session.deleted, key=lambda o: not hasattr(o, "change_log_key"))
    for obj in deleted:
        key = _key(obj)
        if key:
            rows[key] = "delete" if not hasattr(obj, "change_log_key") else rows.get(key, "upsert")
    if rows:
        now = utcnow()
        session.connection().execute(
            insert(ChangeLog),
            [{"entity": e, "entity_id": i, "op": op, "created_at": now} for (e, i), op in rows.items()],
        )


def install() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True


def record_changes(connection, entity: str, ids: Iterable[int], op: str = "upsert") -> int:
    """Write change-log rows for a bulk write made outside the ORM unit of work."""
    now = utcnow()
    rows = [{"entity": entity, "entity_id": i, "op": op, "created_at": now} for i in ids]
    if rows:
        connection.execute(insert(ChangeLog), rows)
    return len(rows)


def latest_id(session: Session) -> int:
    """The highest committed change-log id (0 when empty): for lag reports, not as a reading position."""
    return session.scalar(select(func.coalesce(func.max(ChangeLog.id), 0))) or 0


def changes_since(session: Session, after_id: int, limit: int = 5000) -> list[ChangeLog]:
    """Rows with an id above after_id, in id order. Not a safe reading position (see the module notes)."""
    return list(session.scalars(select(ChangeLog).where(ChangeLog.id > after_id).order_by(ChangeLog.id).limit(limit)))


def _position(session: Session):
    return ChangeLog.txid if session.get_bind().dialect.name == "postgresql" else ChangeLog.id


def horizon(session: Session) -> int:
    """The position below which the change log is settled: no row can ever appear there again.

    PostgreSQL: the oldest transaction id still open in the cluster (``pg_snapshot_xmin``), a 64-bit
    ``xid8`` that never wraps. SQLite: one past the highest committed id (a single writer commits ids in
    order). Read it *before* reading rows: every row below it is then visible to the later reads.
    """
    if session.get_bind().dialect.name == "postgresql":
        return int(session.scalar(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")))
    return latest_id(session) + 1


def settled_changes(session: Session, floor: int, below: int, after_id: int = 0,
                    limit: int = 5000) -> list[ChangeLog]:
    """Rows whose position is in [floor, below) and whose id is above after_id, in id order.

    With ``below`` a horizon read earlier, repeated calls advancing after_id to the last id returned
    see every such row exactly once: the set cannot grow while it is being paged through.
    """
    pos = _position(session)
    return list(session.scalars(
        select(ChangeLog).where(pos >= floor, pos < below, ChangeLog.id > after_id).order_by(ChangeLog.id).limit(limit)
    ))


_ACTIVITY = {
    "postgresql": """
        SELECT count(c.id) FILTER (WHERE c.txid >= :floor), h.h, count(c.id) FILTER (WHERE c.txid >= h.h)
        FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS h) AS h
        LEFT JOIN change_log AS c ON c.txid >= LEAST(:floor, h.h)
        GROUP BY h.h""",
    "sqlite": """
        SELECT count(c.id) FILTER (WHERE c.id >= :floor), h.h, count(c.id) FILTER (WHERE c.id >= h.h)
        FROM (SELECT coalesce(max(id), 0) + 1 AS h FROM change_log) AS h
        LEFT JOIN change_log AS c ON c.id >= min(:floor, h.h)
        GROUP BY h.h""",
}
_NO_FLOOR = 2**62


def activity(session: Session, floor: int | None) -> tuple[int, int, int]:
    """(rows at or above floor, the horizon, rows at or above the horizon), read in one statement.

    For a watcher that must notice *any* new commit, even one with an id below the highest it has seen
    (the page cache): every commit after one call adds a row at or above that call's horizon, so the
    next call's first figure, with that horizon as floor, grows. None as floor (a first call) gives 0.
    Cheap with the index on the position: only rows near the horizon are counted.
    """
    sql = _ACTIVITY["postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"]
    row = session.execute(text(sql), {"floor": _NO_FLOOR if floor is None else floor}).one()
    return int(row[0]), int(row[1]), int(row[2])


def unsettled_changes(session: Session, horizon_: int, after_id: int = 0, limit: int = 5000) -> list[ChangeLog]:
    """Committed rows at or above the horizon (always none on SQLite), in id order.

    More may still appear below any of them, so a reader may apply these early but must read them again
    as settled rows before it moves its position past them.
    """
    pos = _position(session)
    return list(session.scalars(
        select(ChangeLog).where(pos >= horizon_, ChangeLog.id > after_id).order_by(ChangeLog.id).limit(limit)
    ))
