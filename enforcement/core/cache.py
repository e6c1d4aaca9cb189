"""Response cache for public pages and the API, invalidated by the change log.

Every process keeps its own in-memory cache of rendered responses. A cached
response belongs to a *generation*: the latest change-log row (id and time),
the latest settings change and the day. Each process reads the generation with
one small indexed query at most every ``PUBLIC_CACHE_CHECK_SECONDS`` (and at
once after a commit of its own), and drops its cache when the generation moves,
so a change committed by any process is visible everywhere within that time.
Nothing is shared between processes, so this works with any number of workers
and hosts.

Responses carry ``ETag``, ``Last-Modified`` (the time of the latest change) and
``Cache-Control``; a conditional request whose validator still matches gets a
304 without rendering anything.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, request
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from enforcement.core import changelog, clock
from enforcement.core.models import ChangeLog, Setting, utcnow
from enforcement.extensions import db

TEXT_SIZE_COOKIE = "textsize"


@dataclass(frozen=True)
class Entry:
    body: bytes
    mimetype: str
    etag: str
    headers: tuple[tuple[str, str], ...]
    stored_at: float


class ResponseCache:
    """An LRU of rendered responses for one process, bounded in entries and bytes."""

    def __init__(self, max_entries: int = 4000, max_bytes: int = 128 * 1024 * 1024,
                 check_seconds: float = 1.0, ttl_seconds: float = 600.0):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.check_seconds = check_seconds
        self.ttl_seconds = ttl_seconds
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._generation: tuple | None = None
        self._last_modified: datetime | None = None
        self._checked_at = 0.0
        self._floor: int | None = None  # change-log horizon at the last check, and rows at or above it then
        self._base = 0
        self.hits = 0
        self.misses = 0

    # -- generation

    def expire_check(self) -> None:
        """Force the next request to re-read the generation (a commit in this process)."""
        self._checked_at = 0.0

    def refresh(self) -> None:
        """Re-read the generation if it is due; drop everything when it has moved."""
        now = time.monotonic()
        if now - self._checked_at < self.check_seconds and self._generation is not None:
            return
        latest = (
            select(ChangeLog.id, ChangeLog.created_at).order_by(ChangeLog.id.desc()).limit(1).subquery()
        )
        row = db.session.execute(
            select(
                select(latest.c.id).scalar_subquery(),
                select(latest.c.created_at).scalar_subquery(),
                select(func.max(Setting.updated_at)).scalar_subquery(),
            )
        ).one()
        generation = (row[0], row[1], row[2], clock.today(), current_app.config.get("TODAY"))
        # A commit with an id below the latest (a transaction that wrote early and committed late, on
        # PostgreSQL) leaves the latest id alone; the count at or above the last horizon still grows.
        seen, horizon, base = changelog.activity(db.session, self._floor)
        late = self._floor is not None and seen != self._base
        with self._lock:
            self._floor, self._base = horizon, base
            if generation != self._generation or late:
                self._entries.clear()
                self._bytes = 0
                self._generation = generation
                stamps = [t for t in (row[1], row[2]) if t is not None]
                if late:  # the late row's own time is older than what clients saw: it changed now
                    stamps.append(utcnow().replace(microsecond=0))
                self._last_modified = max(stamps) if stamps else datetime(2000, 1, 1)
            self._checked_at = now

    @property
    def last_modified(self) -> datetime | None:
        return self._last_modified

    # -- entries

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry.stored_at > self.ttl_seconds:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
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

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._generation = None


def get_cache(app: Flask | None = None) -> ResponseCache:
    app = app or current_app._get_current_object()
    cache = app.extensions.get("response_cache")
    if cache is None:
        cache = ResponseCache(check_seconds=float(app.config.get("PUBLIC_CACHE_CHECK_SECONDS", 1.0)))
        app.extensions["response_cache"] = cache
    return cache


def large_text() -> bool:
    return request.cookies.get(TEXT_SIZE_COOKIE) == "large"


def _key() -> str:
    """Path, query, text size and host: feeds carry absolute links, so a response built for one Host
    header is never served for another (cache poisoning; set TRUSTED_HOSTS to refuse unknown hosts)."""
    args = sorted(request.args.items(multi=True))
    return f"{request.host}{request.path}?{urlencode(args)}|{'L' if large_text() else 'N'}"


def _cacheable_request() -> bool:
    """Anonymous GETs only: a session may carry flashes or a login that a shared copy must not show."""
    if request.method not in ("GET", "HEAD"):
        return False
    if not current_app.config.get("PUBLIC_CACHE_ENABLED", True):
        return False
    return current_app.config.get("SESSION_COOKIE_NAME", "session") not in request.cookies


def _finish(response: Response, etag: str | None = None) -> Response:
    """Validators and freshness headers, then a 304 if the client's copy is current."""
    cache = get_cache()
    if etag:
        response.set_etag(etag)
    elif not response.get_etag()[0]:
        response.add_etag()
    if cache.last_modified is not None:
        response.last_modified = cache.last_modified.replace(tzinfo=UTC)
    max_age = int(current_app.config.get("PUBLIC_MAX_AGE", 60))
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _serve_cached():
    if not _cacheable_request():
        return None
    cache = get_cache()
    cache.refresh()
    entry = cache.get(_key())
    if entry is None:
        return None
    response = Response(entry.body, mimetype=entry.mimetype, headers=list(entry.headers))
    response.headers["X-Cache"] = "hit"
    return _finish(response, entry.etag)


def _store(response: Response) -> Response:
    if response.status_code != 200 or response.is_streamed or request.method not in ("GET", "HEAD"):
        return response
    if response.headers.get("X-Cache") == "hit":
        return response
    cache = get_cache()
    cache.refresh()
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    if _cacheable_request() and "Set-Cookie" not in response.headers:
        headers = tuple((k, v) for k, v in response.headers.items()
                        if k.lower() in ("content-disposition", "link", "x-robots-tag"))
        cache.put(_key(), Entry(body, response.mimetype or "text/html", etag, headers, time.monotonic()))
        response.headers["X-Cache"] = "miss"
    return _finish(response, etag)


def cache_blueprint(bp: Blueprint) -> Blueprint:
    """Serve the blueprint's GET responses from the cache, and store what it renders."""
    bp.before_request(_serve_cached)
    bp.after_request(_store)
    return bp


_hooked = False


def init_app(app: Flask) -> None:
    """A commit in this process re-reads the generation on the next request (others within a second)."""
    global _hooked
    get_cache(app)
    if not _hooked:
        event.listen(Session, "after_commit", _after_commit)
        _hooked = True


def _after_commit(_session: Session) -> None:
    try:
        get_cache().expire_check()
    except RuntimeError:  # outside an app context (scripts): nothing to expire
        pass
