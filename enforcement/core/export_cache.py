"""Finished export files, kept per change-log generation: the same export twice costs one build.

A file is stored under a key made of what the export is (kind, format, filters), the day it is judged on
(visibility depends on the date: a display period ends), and the change log's *generation*: its highest
id, its row count and the time of its latest row, read in one statement, and the database's address. Every commit to public data adds a change-log row in the
same transaction (``core.changelog``), so the generation moves whenever anything an export shows may
have changed, and a file built before that is never served again. The count catches a transaction that
wrote its row early and committed after a later one (PostgreSQL), which leaves the highest id alone.

Files live in ``<instance>/export_cache`` on each host (derived data: deleting the folder loses
nothing), are written to a temporary name and renamed into place (a reader never sees half a file),
and at most ``EXPORT_CACHE_FILES`` of them are kept, the least recently used removed first.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select

from enforcement.core.models import ChangeLog
from enforcement.extensions import db

MAX_FILES = 32
FORMAT_VERSION = "1"  # bump when the columns or the projection change, so old files are not served


def generation() -> tuple[int, int, str]:
    """(highest change-log id, number of change-log rows, time of the latest row): moves with every commit
    to public data. The time tells apart two databases whose logs have the same length (a database
    dropped and loaded again beside the same instance folder), so a file built from one is never served
    for the other."""
    latest = select(ChangeLog.id, ChangeLog.created_at).order_by(ChangeLog.id.desc()).limit(1).subquery()
    row = db.session.execute(select(
        func.coalesce(select(latest.c.id).scalar_subquery(), 0),
        select(func.count(ChangeLog.id)).scalar_subquery(),
        select(latest.c.created_at).scalar_subquery(),
    )).one()
    return int(row[0]), int(row[1]), str(row[2])


def cache_key(kind: str, fmt: str, filters: dict[str, Any], on: date) -> str:
    """A file name (hex digest + extension) for this export as of now."""
    latest, count, stamp = generation()
    wanted = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in sorted(filters.items()) if v}
    raw = json.dumps([FORMAT_VERSION, kind, fmt, wanted, on.isoformat(), latest, count, stamp,
                      str(db.engine.url)],
                     ensure_ascii=False, separators=(",", ":"))
    return f"{hashlib.sha256(raw.encode()).hexdigest()[:40]}.{fmt}"


def cache_dir() -> Path:
    from flask import current_app

    path = Path(current_app.config.get("EXPORT_CACHE_DIR") or Path(current_app.instance_path) / "export_cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def lookup(key: str) -> Path | None:
    """The cached file for ``key``, or None; a hit is marked as recently used."""
    path = cache_dir() / key
    try:
        os.utime(path)
    except FileNotFoundError:
        return None
    return path


@contextmanager
def storing(key: str) -> Iterator[IO[bytes]]:
    """A binary file to write the export into; stored under ``key`` only if the block ends without error."""
    folder = cache_dir()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".building-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, folder / key)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _evict(folder)


def _evict(folder: Path) -> None:
    from flask import current_app

    keep = int(current_app.config.get("EXPORT_CACHE_FILES", MAX_FILES))
    files = []
    stale = time.time() - 3600  # a build that died (killed process) leaves its part file behind
    for p in folder.iterdir():
        try:
            mtime = p.stat().st_mtime
        except FileNotFoundError:
            continue
        if p.name.startswith(".building-"):
            if mtime < stale:
                p.unlink(missing_ok=True)
            continue
        files.append((mtime, p))
    for _mtime, p in sorted(files, reverse=True)[keep:]:
        p.unlink(missing_ok=True)
