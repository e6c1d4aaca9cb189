"""The append-only audit log, each entry chained to the previous one by SHA-256.

Every write path calls ``record`` inside its own transaction, so an entry
exists exactly when the change does. Refused attempts are recorded by
``record_refusal`` after the refused transaction has been rolled back. The
head row advances under a write lock, so entries get gap-free sequence
numbers even with several workers; ``verify`` names the first entry that was
edited, deleted or inserted out of chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, mapped_column

from enforcement.core.models import BigId, utcnow
from enforcement.extensions import db

GENESIS = "0" * 64


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    actor: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    remote_addr: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    entity_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    outcome: Mapped[str] = mapped_column(String(10), nullable=False, default="ok")  # ok | refused
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON: before/after/reason
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditHead(db.Model):
    """One row: the last sequence number and hash, advanced under a write lock."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigId, nullable=False, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False, default=GENESIS)


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _fields(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at.isoformat(timespec="microseconds"),
        "actor": e.actor,
        "remote_addr": e.remote_addr,
        "action": e.action,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "outcome": e.outcome,
        "detail": e.detail,
    }


def _request_context() -> tuple[str, str]:
    from flask import has_request_context, request
    from flask_login import current_user

    if not has_request_context():
        return "cli", "local"
    actor = current_user.username if getattr(current_user, "is_authenticated", False) else "anonymous"
    return actor, request.remote_addr or ""


@dataclass(frozen=True)
class Entry:
    """One entry to append with ``record_many``: the arguments of ``record`` but the actor's."""

    action: str
    entity: str = ""
    entity_id: Any = ""
    before: dict | None = None
    after: dict | None = None
    reason: str = ""
    outcome: str = "ok"


def record(
    action: str,
    entity: str = "",
    entity_id: Any = "",
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    outcome: str = "ok",
    actor: str | None = None,
    remote_addr: str | None = None,
) -> AuditEvent:
    """Append one entry in the current transaction (flushes; the caller commits)."""
    entry = Entry(action, entity, entity_id, before, after, reason, outcome)
    return record_many([entry], actor=actor, remote_addr=remote_addr)[0]


def record_many(entries: Sequence[Entry], *, actor: str | None = None,
                remote_addr: str | None = None) -> list[AuditEvent]:
    """Append ``entries`` in order in the current transaction, advancing the head once (flushes; the caller commits).

    Same chain as one ``record`` per entry, but two writes of the head row for the whole batch: every
    write of that one row inside a long transaction leaves a row version PostgreSQL cannot prune before
    the commit, and each later write walks them all (a nightly expiry of 70,000 decisions, one ``record``
    each, took 40 minutes on PostgreSQL). Returns the events, in order.
    """
    if not entries:
        return []
    session = db.session
    if session.get(AuditHead, 1) is None:
        _restore_head(session)
    # UPDATE first: takes the write lock on both SQLite and PostgreSQL before reading.
    last_seq, prev_hash = session.execute(
        text("UPDATE audit_head SET last_seq = last_seq + :n WHERE id = 1 RETURNING last_seq, last_hash"),
        {"n": len(entries)},
    ).one()
    ctx_actor, ctx_addr = _request_context()
    events = []
    for seq, e in enumerate(entries, start=last_seq - len(entries) + 1):
        detail = {k: v for k, v in (("before", e.before), ("after", e.after), ("reason", e.reason)) if v}
        event = AuditEvent(
            seq=seq,
            at=utcnow(),
            actor=actor if actor is not None else ctx_actor,
            remote_addr=remote_addr if remote_addr is not None else ctx_addr,
            action=e.action,
            entity=e.entity,
            entity_id=str(e.entity_id or ""),
            outcome=e.outcome,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = _digest(prev_hash, _fields(event))
        events.append(event)
    session.add_all(events)
    session.execute(text("UPDATE audit_head SET last_hash = :h WHERE id = 1"), {"h": prev_hash})
    session.flush()
    session.expire(session.get(AuditHead, 1))
    return events


def _restore_head(session) -> None:
    """Create the head row: at genesis for an empty log, else re-anchored on the newest entry.

    A lost head row (deleted, or a partial restore) must not stop every write path with a duplicate
    sequence number. The chain continues from its newest entry, and the first entry after the re-anchor
    says so; entries lost with the head are found by ``verify`` against the anchor file.
    """
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    session.add(AuditHead(id=1, last_seq=last.seq if last else 0, last_hash=last.hash if last else GENESIS))
    session.flush()
    if last is not None:
        record("audit.head_restored", "audit_head", 1, reason=f"链头记录缺失，已从第{last.seq}条续接",
               actor="system", remote_addr="")


def record_refusal(action: str, entity: str, entity_id: Any, reason: str, **kw: Any) -> None:
    """Log an attempt the rules refused, in a transaction of its own (the attempt rolled back)."""
    db.session.rollback()
    record(action, entity, entity_id, reason=reason, outcome="refused", **kw)
    db.session.commit()


@dataclass
class Problem:
    seq: int
    what: str


def verify(batch: int = 5000) -> list[Problem]:
    """Walk the chain; report edited, deleted or re-ordered entries by sequence number."""
    problems: list[Problem] = []
    prev_hash, expected_seq = GENESIS, 1
    last = 0
    while True:
        events = list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch))
        )
        if not events:
            break
        for e in events:
            if e.seq != expected_seq:
                problems.append(Problem(expected_seq, f"第{expected_seq}至{e.seq - 1}条记录缺失（被删除）"))
            elif e.prev_hash != prev_hash:
                problems.append(Problem(e.seq, f"第{e.seq}条记录的前序哈希与上一条不符"))
            if _digest(e.prev_hash, _fields(e)) != e.hash:
                problems.append(Problem(e.seq, f"第{e.seq}条记录内容被修改（哈希不符）"))
            prev_hash, expected_seq, last = e.hash, e.seq + 1, e.seq
        db.session.expunge_all()
    head = db.session.get(AuditHead, 1)
    if head is None and last:
        problems.append(Problem(last, f"链头记录缺失（共{last}条记录；下一次写入将从第{last}条续接并记录此事）"))
    if head is not None and (head.last_seq != last or head.last_hash != prev_hash):
        problems.append(Problem(head.last_seq, f"链尾记录不符：应有{head.last_seq}条，实有{last}条（末尾记录被删除或修改）"))
    return problems
