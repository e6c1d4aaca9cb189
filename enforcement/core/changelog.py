"""The change log: every change to public data leaves a row in the same transaction.

Search, page caches and replicas tail this table by id. ORM changes are caught
by a flush hook, so no service can forget; bulk paths (imports, the demo
generator) call ``record_changes`` with the same connection they write with.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from enforcement.core.models import ChangeLog, utcnow

_installed = False


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
    return session.scalar(select(func.coalesce(func.max(ChangeLog.id), 0))) or 0


def changes_since(session: Session, after_id: int, limit: int = 5000) -> list[ChangeLog]:
    return list(session.scalars(select(ChangeLog).where(ChangeLog.id > after_id).order_by(ChangeLog.id).limit(limit)))
