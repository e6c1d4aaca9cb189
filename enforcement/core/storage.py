"""Where whole-process record files live: one interface, two backends (``RECORDS_STORAGE``).

Files are content-addressed: a file is named by the SHA-256 of its bytes, is
stored once and never changes, so any copy of it anywhere is as good as any
other. Callers hand over a finished, hashed temporary file (``put``) and get a
local path to read (``local_path``).

- ``filesystem`` (default): files under ``RECORDS_DIR`` as ``ab/cd/abcd…``.
  One host, or several hosts mounting one shared file system (NFS).
- ``database``: the bytes in the database itself (table ``record_chunks``,
  1 MiB a row), written in the same transaction as the record that names
  them, so a record and its file commit together. Every host reaches them
  through the database it already shares; ``RECORDS_DIR`` is then only each
  host's local read cache. Trade-offs: the database grows by the size of the
  media (a town's videos can be tens of GB: plan PostgreSQL's disk and backup
  time for it), and the first read of a file on a host copies it into its
  cache. No extra service, nothing to mount, one backup. (An S3-compatible
  object store would keep the media out of the database; it can be added as a
  third backend behind the same four methods.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import Integer, LargeBinary, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from enforcement.extensions import db

CHUNK = 1024 * 1024
BACKENDS = ("filesystem", "database")


class RecordChunk(db.Model):
    """One MiB of a record file, for the ``database`` backend."""

    __tablename__ = "record_chunks"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


def _layout(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


class FileStore:
    """Files under a directory, named by their SHA-256."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return _layout(self.root, sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, sha256: str, source: Path, *, move: bool = True) -> None:
        """Store source's bytes (already hashed to sha256) unless they are there; move or copy it in."""
        target = self.path(sha256)
        if target.exists():
            if move:
                os.unlink(source)
            return
        for folder in [*reversed(target.parent.relative_to(self.root).parents), target.parent.relative_to(self.root)]:
            (self.root / folder).mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data inside
        if move:
            os.chmod(source, 0o400)  # read-only for the service's user, nobody else
            os.replace(source, target)
        else:
            fd, tmp = tempfile.mkstemp(dir=target.parent)
            os.close(fd)
            shutil.copyfile(source, tmp)
            os.chmod(tmp, 0o400)
            os.replace(tmp, target)

    def local_path(self, sha256: str) -> Path | None:
        path = self.path(sha256)
        return path if path.is_file() else None

    def hashes(self) -> Iterator[str]:
        if self.root.is_dir():
            for path in sorted(self.root.glob("??/??/*")):
                if path.is_file() and len(path.name) == 64:
                    yield path.name


class DatabaseStore:
    """Files in the shared database, with RECORDS_DIR as this host's read cache."""

    def __init__(self, cache_root: Path):
        self.cache = FileStore(cache_root)

    def path(self, sha256: str) -> Path:
        return self.cache.path(sha256)

    def has(self, sha256: str) -> bool:
        return db.session.scalar(select(RecordChunk.seq).where(RecordChunk.sha256 == sha256).limit(1)) is not None

    def put(self, sha256: str, source: Path, *, move: bool = True) -> None:
        """Write the chunks in the current transaction (the caller commits), then keep a cached copy."""
        if not self.has(sha256):
            with open(source, "rb") as fh:
                seq = 0
                while data := fh.read(CHUNK):
                    db.session.execute(insert(RecordChunk).values(sha256=sha256, seq=seq, data=data))
                    seq += 1
        self.cache.put(sha256, source, move=move)

    def local_path(self, sha256: str) -> Path | None:
        cached = self.cache.local_path(sha256)
        if cached is not None:
            return cached
        count = db.session.scalar(select(func.count()).where(RecordChunk.sha256 == sha256))
        if not count:
            return None
        self.cache.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache.root)
        with os.fdopen(fd, "wb") as out:
            for seq in range(count):  # one chunk in memory at a time
                out.write(db.session.scalar(select(RecordChunk.data).where(
                    RecordChunk.sha256 == sha256, RecordChunk.seq == seq)))
        self.cache.put(sha256, Path(tmp))
        return self.cache.path(sha256)

    def hashes(self) -> Iterator[str]:
        yield from db.session.scalars(select(RecordChunk.sha256).distinct().order_by(RecordChunk.sha256))

    @staticmethod
    def discard(sha256: str) -> None:
        """Remove a file's chunks (tests and failed restores only: filed records are never deleted)."""
        db.session.execute(delete(RecordChunk).where(RecordChunk.sha256 == sha256))


def record_store() -> FileStore | DatabaseStore:
    """The configured backend; raises ValueError for an unknown ``RECORDS_STORAGE``."""
    backend = str(current_app.config.get("RECORDS_STORAGE") or "filesystem")
    root = Path(current_app.config["RECORDS_DIR"])
    if backend == "filesystem":
        return FileStore(root)
    if backend == "database":
        return DatabaseStore(root)
    raise ValueError(f"RECORDS_STORAGE must be one of {', '.join(BACKENDS)}, not {backend!r}")
