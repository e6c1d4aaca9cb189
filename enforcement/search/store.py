"""Where the index lives on disk: generations, the atomic swap, the writer lock, the sync state.

    SEARCH_INDEX_DIR/
      current -> gen-20261128T120000-ab12cd   (a symlink, replaced atomically)
      gen-.../                                (a Whoosh index + state.json)
      writer.lock                             (fcntl lock: one writer across processes)

Readers resolve ``current`` when they open a searcher, so a rebuild builds a
new generation beside the live one and swaps the link while searches go on.
``state.json`` (the last applied change-log id and the last expiry sweep) is
written after the Whoosh commit: a crash in between re-applies changes, which
are idempotent upserts, so nothing is lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

CURRENT = "current"
LOCK = "writer.lock"
STATE = "state.json"
KEEP_OLD_SECONDS = 600  # a retired generation stays readable this long for searchers still holding it


@dataclass
class SyncState:
    """How far a generation has applied the change log (see core.changelog for positions and horizons).

    ``floor``: every change-log row with a position below it is applied. ``ahead``: ids of unsettled
    rows (at or above the floor) already applied early, so they are not applied twice. ``applied_id``:
    the highest change-log id applied, for lag reports only.
    """

    applied_id: int = 0
    floor: int = 0
    ahead: list[int] = field(default_factory=list)
    swept_on: str = ""  # ISO date of the last expiry sweep
    schema: int = 0  # the index layout this generation was built with (an older one is rebuilt, not read)

    @property
    def swept_date(self) -> date | None:
        return date.fromisoformat(self.swept_on) if self.swept_on else None


class IndexStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def current(self) -> Path | None:
        link = self.root / CURRENT
        try:
            target = self.root / os.readlink(link)
        except OSError:
            return None
        return target if target.is_dir() else None

    def new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        path.mkdir()
        return path

    def swap(self, generation: Path) -> None:
        """Point ``current`` at generation in one rename; retire old generations later."""
        old = self.current()
        tmp = self.root / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
        os.symlink(generation.name, tmp)
        os.replace(tmp, self.root / CURRENT)
        if old is not None and old != generation:
            (old / ".retired").write_text(str(time.time()))
        self.prune()

    def prune(self) -> None:
        """Delete generations retired long enough ago, and builds abandoned by a crash."""
        live = self.current()
        now = time.time()
        for path in self.root.glob("gen-*"):
            if path == live or not path.is_dir():
                continue
            marker = path / ".retired"
            stamp = float(marker.read_text() or 0) if marker.exists() else path.stat().st_mtime
            if now - stamp > KEEP_OLD_SECONDS:
                shutil.rmtree(path, ignore_errors=True)

    @contextlib.contextmanager
    def writer_lock(self, wait: bool = True) -> Iterator[bool]:
        """Hold the one-writer lock (released by the OS if the process dies)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @staticmethod
    def read_state(generation: Path) -> SyncState:
        try:
            return SyncState(**json.loads((generation / STATE).read_text()))
        except (OSError, ValueError, TypeError):
            return SyncState()

    @staticmethod
    def write_state(generation: Path, state: SyncState) -> None:
        tmp = generation / f".{STATE}.{uuid.uuid4().hex[:6]}"
        tmp.write_text(json.dumps(asdict(state)))
        os.replace(tmp, generation / STATE)
