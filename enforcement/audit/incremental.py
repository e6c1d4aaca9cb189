"""Keeping the stored decision-level audit (``audit_results``) current, from the change log.

``refresh()`` is what a reader calls before reading results (the dashboard, ``flask audit check``):

- it reads the change log the way the search index does (enforcement.core.changelog: a *position* below
  which everything has settled, never "the last id seen"), and recomputes the decisions named there; a
  changed officer recomputes that officer's decisions (credential, name);
- training is not public data and leaves no change-log row, so each officer's attendance is fingerprinted
  and an officer whose fingerprint moved has their decisions recomputed (training standing);
- the rule figures (settings) and the entered holiday calendar are fingerprinted too: any change rebuilds
  everything, as does a first run or a change log that was reset below the stored position.

When nothing changed, a refresh is three small reads and writes nothing. When something did, it takes the
state row for update first, so two processes never recompute the same rows at once. The caller commits.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, func, select, update

from enforcement.audit.checks_public import STANDING
from enforcement.audit.evaluate import Evaluator, TrainingHistory, complete, load_training, standing_rows
from enforcement.audit.models import AuditResult, AuditState
from enforcement.core import calendar, changefeed, settings
from enforcement.core.changelog import horizon
from enforcement.core.models import CalendarDay, CalendarYear, ChangeLog, Setting, utcnow
from enforcement.disclosure.models import Decision, Power, decision_officers
from enforcement.extensions import db

BATCH = 2000  # decisions evaluated per round trip
REBUILD_SHARE = 0.2
AHEAD_LIMIT = 1_000_000  # unsettled change-log rows remembered as applied early (stored as runs of ids)  # recompute everything when more than this share of decisions changed


def rules_digest() -> str:
    """SHA-256 over the stored rule figures and the entered holiday calendar."""
    h = hashlib.sha256()
    for key, value in db.session.execute(select(Setting.key, Setting.value).order_by(Setting.key)):
        h.update(f"{key}={value}\n".encode())
    for year in db.session.scalars(select(CalendarYear.year).order_by(CalendarYear.year)):
        h.update(f"year {year}\n".encode())
    for day, working in db.session.execute(select(CalendarDay.day, CalendarDay.is_working).order_by(CalendarDay.day)):
        h.update(f"{day} {working}\n".encode())
    return h.hexdigest()


def training_digests(history_rows: Iterable[tuple[int, object, object]]) -> dict[str, str]:
    """{officer id (str): digest of their attendance (day, hours)}: what changes an officer's training standing."""
    per: dict[int, list[str]] = defaultdict(list)
    for officer_id, day, hours in history_rows:
        per[officer_id].append(f"{day}:{hours}")
    return {str(o): hashlib.sha256("|".join(sorted(v)).encode()).hexdigest()[:16] for o, v in per.items()}


def _attendance() -> list[tuple]:
    from enforcement.training.models import Attendance

    return [tuple(r) for r in db.session.execute(select(Attendance.officer_id, Attendance.attended_on,
                                                        Attendance.hours))]


def state() -> AuditState | None:
    return db.session.get(AuditState, 1)


def _changed_ids(floor: int, target: int, ahead: set[int]) -> tuple[dict[str, set[int]], set[int]]:
    """({entity: ids} to recompute, the new set of early-applied ids), read as every maintained store reads
    the change log (``core.changefeed.changed_ids``: the search index's scheme)."""
    found, ahead = changefeed.changed_ids(floor, target, ahead)
    changed: dict[str, set[int]] = defaultdict(set)
    for entity, ops in found.items():
        changed[entity].update(ops)
    return changed, ahead


def _fresh_unsettled(target: int, ahead: set[int]) -> bool:
    """Whether a row at or above the horizon was committed that has not been applied early yet.

    With the horizon unchanged since the last refresh, every early-applied id is still at or above it, so
    counting the rows there is enough (one indexed count, not a read of them).
    """
    return (db.session.scalar(select(func.count(ChangeLog.id)).where(_pos() >= target)) or 0) > len(ahead)


_pos = changefeed.position
_pack = changefeed.pack
_unpack = changefeed.unpack


def _decisions_of(officer_ids: set[int]) -> set[int]:
    ids: set[int] = set()
    chunk = sorted(officer_ids)
    for i in range(0, len(chunk), 500):
        ids.update(db.session.scalars(select(decision_officers.c.decision_id)
                                      .where(decision_officers.c.officer_id.in_(chunk[i:i + 500]))))
    return ids


def _write(evaluator: Evaluator, ids: list[int], replace: bool) -> None:
    for i in range(0, len(ids), BATCH):
        chunk = ids[i:i + BATCH]
        if replace:
            db.session.execute(delete(AuditResult).where(AuditResult.entity == "decision",
                                                         AuditResult.decision_id.in_(chunk)))
        rows = [complete(r) for r in evaluator.rows(chunk)]
        if rows:
            db.session.execute(AuditResult.__table__.insert(), rows)  # Core executemany: one statement


def _write_standing(ids: dict[str, set[int]] | None) -> None:
    """Rescan standing records (all of them with None) for the masking audit."""
    if ids is not None:
        for entity, chunk in ids.items():
            db.session.execute(delete(AuditResult).where(AuditResult.entity == entity,
                                                         AuditResult.decision_id.in_(sorted(chunk))))
    rows = [complete(r) for r in standing_rows(ids)]
    if rows:
        db.session.execute(AuditResult.__table__.insert(), rows)


def refresh(*, full: bool = False) -> int:
    """Bring ``audit_results`` up to date; returns how many decisions were recomputed (all of them on a rebuild).

    Source of the reading scheme: enforcement.core.changelog (positions and the settled horizon).
    Raises nothing of its own; database errors propagate and leave the previous results (the caller rolls back).
    """
    current = state()
    target = horizon(db.session)
    digest = rules_digest()
    attendance = _attendance()
    training = training_digests(attendance)
    if not full and current is not None and current.built_at is not None and current.rules == digest:
        old_training = json.loads(current.training or "{}")
        if (current.floor == target and old_training == training
                and not _fresh_unsettled(target, _unpack(current.ahead))):
            return 0  # nothing to do: no write, no lock
    if current is None:
        current = AuditState(id=1, floor=0, rules="", training="{}", ahead="[]", generation=0)
        db.session.add(current)
        db.session.flush()
    # Lock the state row (PostgreSQL: row lock; SQLite: the write lock) before reading what to recompute.
    db.session.execute(update(AuditState).where(AuditState.id == 1).values(generation=AuditState.generation))
    db.session.refresh(current)
    target = horizon(db.session)
    evaluator = Evaluator(TrainingHistory(attendance))
    total = db.session.scalar(select(func.count(Decision.id))) or 0
    rebuild = full or current.built_at is None or current.rules != digest or target < current.floor
    ids: set[int] = set()
    standing: dict[str, set[int]] = {}
    ahead: set[int] = set()
    if not rebuild:
        changed, ahead = _changed_ids(current.floor, target, _unpack(current.ahead))
        old_training = json.loads(current.training or "{}")
        moved = {int(o) for o in set(old_training) | set(training) if old_training.get(o) != training.get(o)}
        ids = changed["decision"] | _decisions_of(changed["officer"] | moved)
        standing = {e: changed[e] for e in STANDING if changed[e]}
        if changed["agency"]:  # a power's public page names its agency
            standing["power"] = standing.get("power", set()) | set(db.session.scalars(select(Power.id)))
        rebuild = len(ids) > max(1000, total * REBUILD_SHARE)
    if rebuild:
        # A rebuild reads every table as committed now, so the unsettled rows visible now are applied already.
        ahead = set(db.session.scalars(select(ChangeLog.id).where(_pos() >= target).limit(AHEAD_LIMIT)))
        settings.invalidate()
        calendar.invalidate()
        evaluator = Evaluator(TrainingHistory(attendance))
        db.session.execute(delete(AuditResult))
        _write(evaluator, list(db.session.scalars(select(Decision.id).order_by(Decision.id))), replace=False)
        _write_standing(None)
        recomputed = total
    else:
        _write(evaluator, sorted(ids), replace=True)
        if standing:
            _write_standing(standing)
        recomputed = len(ids) + sum(len(v) for v in standing.values())
    current.floor, current.rules, current.training = target, digest, json.dumps(training, sort_keys=True)
    current.ahead = _pack(ahead)
    if rebuild or recomputed:  # a new generation: cached figures are stale
        current.generation = (current.generation or 0) + 1
        current.built_at = utcnow()
    db.session.flush()
    return recomputed


__all__ = ["refresh", "rules_digest", "training_digests", "state", "load_training"]
