"""The audit chain's head, written down outside the database.

A hash chain shows an edited or removed entry *inside* the chain, but someone
with write access to the database can delete its newest entries and rewind the
head row to match: the shorter chain still verifies. So the daily job appends
the verified head (entry count and hash) to an anchor file outside the
database (``AUDIT_ANCHOR_FILE``, by default in the instance folder; copy it
off the host with the backups, or point it at write-once storage). ``audit
verify`` then checks every anchored entry is still there with the same hash:
truncation, a rebuilt chain or a restored older backup are named with the day
they were anchored.

The file has one JSON object a line: ``{"seq": int, "hash": hex, "at": ISO time}``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from enforcement.core import clock
from enforcement.core.audit_log import AuditEvent, Problem
from enforcement.extensions import db


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str


def anchor_path() -> Path:
    return Path(current_app.config["AUDIT_ANCHOR_FILE"])


def read_anchors(path: Path | None = None) -> list[Anchor]:
    """Every anchor in the file, oldest first; [] when there is no file. Unreadable lines raise ValueError."""
    path = path or anchor_path()
    if not path.exists():
        return []
    anchors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                data = json.loads(line)
                anchors.append(Anchor(int(data["seq"]), str(data["hash"]), str(data.get("at", ""))))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"锚点文件第{number}行无法解析：{path}") from exc
    return anchors


def head() -> Anchor | None:
    """The newest entry of the chain in the database as an anchor, or None when the log is empty."""
    last = db.session.scalar(select(func.max(AuditEvent.seq)))
    if not last:
        return None
    event = db.session.get(AuditEvent, last)
    return Anchor(event.seq, event.hash, clock.now().isoformat(timespec="seconds"))


def write_anchor(anchor: Anchor, path: Path | None = None) -> None:
    """Append anchor to the file (created with mode 600), flushed to disk before returning."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at}) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def check(anchors: list[Anchor], batch: int = 1000) -> list[Problem]:
    """Problems where the database no longer holds an anchored entry with its anchored hash."""
    problems: list[Problem] = []
    for start in range(0, len(anchors), batch):
        part = anchors[start : start + batch]
        found = dict(db.session.execute(
            select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq.in_({a.seq for a in part}))
        ).all())
        for a in part:
            if a.seq not in found:
                problems.append(Problem(a.seq, f"第{a.seq}条记录缺失：{a.at[:10]}锚定时审计日志已有{a.seq}条，"
                                               "现已被截断或删除"))
            elif found[a.seq] != a.hash:
                problems.append(Problem(a.seq, f"第{a.seq}条记录的哈希与{a.at[:10]}锚定的不符（日志被改写或重建）"))
    return problems
