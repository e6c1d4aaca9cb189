"""Where the page cache keeps rendered responses: an LRU per process, or Redis shared by all.

``LocalStore`` is the embedded default (nothing to set up). ``RedisStore`` is used when
``PUBLIC_CACHE_REDIS_URL`` is set; through Flask-Caching's RedisCache, it treats an unreachable Redis
as a miss, never as an error page. Both bound an entry to 1/16 of the byte budget.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

log = logging.getLogger("enforcement.core.cache")


@dataclass(frozen=True)
class Entry:
    body: bytes
    mimetype: str
    etag: str
    headers: tuple[tuple[str, str], ...]
    stored_at: float


class LocalStore:
    """An LRU of rendered responses for one process, bounded in entries and bytes."""

    def __init__(self, max_entries: int, max_bytes: int, ttl_seconds: float):
        self.max_entries, self.max_bytes, self.ttl_seconds = max_entries, max_bytes, ttl_seconds
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry.stored_at > self.ttl_seconds:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        size = len(entry.body)
        if size > self.max_bytes // 16:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def drop_except(self, prefixes: tuple[str, ...]) -> None:
        """Forget every entry whose key does not start with one of prefixes (the live generations)."""
        with self._lock:
            for key in [k for k in self._entries if not k.startswith(prefixes)]:
                self._bytes -= len(self._entries.pop(key).body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


class RedisStore:
    """Responses in Redis (Flask-Caching's RedisCache), shared by every worker and host."""

    def __init__(self, url: str, ttl_seconds: float, max_bytes: int):
        from flask_caching.backends.rediscache import RedisCache

        self.ttl_seconds, self.max_bytes = ttl_seconds, max_bytes
        self.backend = RedisCache.factory(None, {"CACHE_REDIS_URL": url, "CACHE_KEY_PREFIX": "enforcement:page:",
                                                 "CACHE_DEFAULT_TIMEOUT": int(ttl_seconds),
                                                 "CACHE_OPTIONS": {"socket_timeout": 0.5,
                                                                   "socket_connect_timeout": 0.5}}, [], {})

    def get(self, key: str) -> Entry | None:
        try:
            entry = self.backend.get(key)
        except Exception:  # noqa: BLE001 - an unreachable Redis is a cache miss, never an error page
            log.warning("page cache: Redis get failed", exc_info=True)
            return None
        return entry if isinstance(entry, Entry) else None

    def put(self, key: str, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 16:
            return
        try:
            self.backend.set(key, entry, timeout=int(self.ttl_seconds))
        except Exception:  # noqa: BLE001
            log.warning("page cache: Redis set failed", exc_info=True)

    def drop_except(self, prefixes: tuple[str, ...]) -> None:
        """Old generations are never read again and expire by themselves."""

    def clear(self) -> None:
        try:
            self.backend.clear()
        except Exception:  # noqa: BLE001
            log.warning("page cache: Redis clear failed", exc_info=True)
