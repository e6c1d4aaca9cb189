"""Response cache for public pages and the API, invalidated per category by the change log.

A cached response belongs to a *generation*. There are two: one that moves with
any change (settings, the day, any public entity other than a decision) and one
that moves only with decisions. Pages that cannot show a decision (officers,
powers, procedures, inspection items, laws, the open-data page: see
``DECISION_INDEPENDENT``) are keyed by the first alone, so a town office saving
a decision every few minutes leaves them cached; the decision list, decision
pages, the home page, statistics and feeds are keyed by both. The generations
are the change-log ids that last moved them, so every process computes the same
keys. Each process reads them with small indexed queries at most every
``PUBLIC_CACHE_CHECK_SECONDS`` (and at once after a commit of its own), so a
change committed by any process is visible everywhere within that time.

Where the responses live: by default an LRU in each process (nothing to set
up; several workers each keep their own copy). With ``PUBLIC_CACHE_REDIS_URL``
set (e.g. ``redis://127.0.0.1:6379/0``), a Redis store shared by every worker
and host, through Flask-Caching: a page rendered once is served by all, and old
generations simply expire (``PUBLIC_CACHE_TTL_SECONDS``). If Redis cannot be
reached the page is rendered as if uncached; nothing fails.

Responses carry ``ETag``, ``Last-Modified`` (the time of the latest change) and
``Cache-Control``; a conditional request whose validator still matches gets a
304 without rendering anything.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from enforcement.core import changelog, clock
from enforcement.core.cache_stores import Entry, LocalStore, RedisStore  # noqa: F401  (Entry: pickled in Redis)
from enforcement.core.models import ChangeLog, Setting, utcnow
from enforcement.extensions import db

TEXT_SIZE_COOKIE = "textsize"
log = logging.getLogger(__name__)

# First path segments (after /api/v1) of pages that never show a decision or a decision count.
DECISION_INDEPENDENT = frozenset({"officers", "powers", "procedures", "inspection-items", "laws", "open-data"})
DECISION_ENTITIES = frozenset({"decision"})
_MISSING = object()
ROW_CHANGES_LISTED = 5000  # more change-log rows than this since the last check: forget every cached row


class ResponseCache:
    """Rendered responses keyed by (generation, request), in a LocalStore or a RedisStore."""

    def __init__(self, max_entries: int = 4000, max_bytes: int = 128 * 1024 * 1024,
                 check_seconds: float = 1.0, ttl_seconds: float = 600.0, redis_url: str = ""):
        self.check_seconds = check_seconds
        self.ttl_seconds = ttl_seconds
        self.store: LocalStore | RedisStore = (RedisStore(redis_url, ttl_seconds, max_bytes) if redis_url
                                               else LocalStore(max_entries, max_bytes, ttl_seconds))
        self._lock = threading.Lock()
        self._base: tuple | None = None  # settings, the day: a change moves every generation
        self._gen_all = ""  # moved by any change
        self._gen_decisions = ""  # moved by decision changes only
        self._last_id = 0
        self._stamp = ""
        self._last_modified: datetime | None = None
        self._checked_at = 0.0
        self._floor: int | None = None  # change-log horizon at the last check, and rows at or above it then
        self._seen = 0
        self._rows: OrderedDict[tuple, Any] = OrderedDict()  # (slug, id, day) -> projected row (see rows_get)
        self._fragments: OrderedDict[tuple, tuple[Any, str]] = OrderedDict()  # key -> (row, its HTML)
        self._derived: dict[str, Any] = {}  # name -> value read from anything but decisions (see derived)
        self.max_rows = 20000
        self.hits = 0
        self.misses = 0

    # -- generation

    def expire_check(self) -> None:
        """Force the next request to re-read the generation (a commit in this process)."""
        self._checked_at = 0.0

    def refresh(self) -> None:
        """Re-read the generations if due: the categories whose entities changed move to a new one."""
        now = time.monotonic()
        if now - self._checked_at < self.check_seconds and self._base is not None:
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
        latest_id = row[0] or 0
        # the latest row's id and time: the same in every process, and new even if ids restart (a restore)
        stamp = f"{latest_id}@{row[1].timestamp() if row[1] else 0:.6f}"
        base = (row[2], clock.today(), current_app.config.get("TODAY"))
        # A commit with an id below the latest (a transaction that wrote early and committed late, on
        # PostgreSQL) leaves the latest id alone; the count at or above the last horizon still grows.
        seen, horizon, at_horizon = changelog.activity(db.session, self._floor)
        if latest_id < self._last_id or (latest_id == self._last_id and stamp != self._stamp):
            self._base, self._floor, self._last_id = None, None, 0  # the change log was emptied or restored
        self._stamp = stamp
        new: dict[str, int] = {}
        changed_ids: set[tuple[str, int]] | None = set()  # None: too many to list, forget every row
        if latest_id > self._last_id:
            window = (ChangeLog.id > self._last_id, ChangeLog.id <= latest_id)
            listed = db.session.execute(select(ChangeLog.entity, ChangeLog.entity_id).where(*window)
                                        .limit(ROW_CHANGES_LISTED + 1)).all()
            if len(listed) <= ROW_CHANGES_LISTED:
                changed_ids = {(e, i) for e, i in listed}
                for e, _i in listed:
                    new[e] = new.get(e, 0) + 1
            else:
                changed_ids = None
                new = dict(db.session.execute(select(ChangeLog.entity, func.count()).where(*window)
                                              .group_by(ChangeLog.entity)).all())
        # Every commit since the last check added rows at or above its horizon; more of them than rows
        # above the last id means a late one (its entity unknown: every page moves).
        late = self._floor is not None and seen - self._seen > sum(new.values()) and self._base == base
        entities = set(new)
        with self._lock:
            self._floor, self._seen = horizon, at_horizon
            moved = False
            if base != self._base or late:
                digest = hashlib.blake2b(repr(base).encode(), digest_size=6).hexdigest()
                # a late row's entity is not known cheaply: every page moves, to a token of this process
                token = f"{stamp}~{digest}" + (f"~{uuid.uuid4().hex[:8]}" if late else "")
                self._gen_all = self._gen_decisions = token
                self._base, moved = base, True
                self._rows.clear()
                self._derived.clear()
            elif entities:
                if entities - DECISION_ENTITIES:
                    self._gen_all = f"{stamp}~{self._gen_all.split('~', 1)[-1]}"
                self._gen_decisions = stamp
                moved = True
                if changed_ids is None or entities - DECISION_ENTITIES:
                    self._rows.clear()  # a name shown on many rows (agency, officer, power) may have changed
                    self._derived.clear()
                else:
                    for key in [k for k in self._rows if ("decision", k[1]) in changed_ids]:
                        del self._rows[key]
            self._last_id = latest_id
            if moved:
                stamps = [t for t in (row[1], row[2]) if t is not None]
                if late:  # the late row's own time is older than what clients saw: it changed now
                    stamps.append(utcnow().replace(microsecond=0))
                self._last_modified = max(stamps) if stamps else datetime(2000, 1, 1)
            self._checked_at = now
        if moved:
            self.store.drop_except((f"{self._gen_all}|", f"{self._gen_all}+{self._gen_decisions}|"))

    def generation(self, path: str) -> str:
        """The generation a page at path belongs to: its category's."""
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "v1"]:
            parts = parts[2:]
        if parts and parts[0] in DECISION_INDEPENDENT:
            return f"{self._gen_all}|"
        return f"{self._gen_all}+{self._gen_decisions}|"

    @property
    def last_modified(self) -> datetime | None:
        return self._last_modified

    # -- projected rows

    def rows_get(self, slug: str, ids: list[int], day: Any) -> dict[int, Any]:
        """Projected list rows of the category already built today, by id (a row may be None: hidden).

        A row is forgotten when the change log names its decision, and every row when anything else
        public, the settings or the day changes: so after a save, a list request re-projects only the
        saved decision's row. Callers must not modify the rows they get."""
        with self._lock:
            found = {}
            for i in ids:
                key = (slug, i, day)
                if key in self._rows:
                    self._rows.move_to_end(key)
                    found[i] = self._rows[key]
            return found

    def rows_put(self, slug: str, rows: dict[int, Any], day: Any) -> None:
        with self._lock:
            for i, row in rows.items():
                self._rows[(slug, i, day)] = row
            while len(self._rows) > self.max_rows:
                self._rows.popitem(last=False)

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """``build()``, kept until anything public other than a decision, the settings or the day changes.

        For values a decision save cannot change (the agencies offered in the list filter): forgotten
        whenever every projected row is (``refresh``). ``name``: a fixed name per value, never user input.
        Callers must not modify the value."""
        value = self._derived.get(name, _MISSING)
        if value is _MISSING:
            value = build()
            with self._lock:
                self._derived[name] = value
        return value

    def fragment(self, key: tuple, row: Any, build: Callable[[], str]) -> str:
        """``build()`` (a row's HTML), rendered once for as long as the same projected row object is served.

        ``row`` is one ``rows_get`` returned: when its decision changes the row is projected anew, a new
        object, and the fragment is rendered again from it (an identity check, so nothing else needs
        forgetting). Bounded like the rows; pass only rows from this cache (a fresh row never hits)."""
        with self._lock:
            hit = self._fragments.get(key)
        if hit is not None and hit[0] is row:
            return hit[1]
        html = build()
        with self._lock:
            self._fragments[key] = (row, html)
            self._fragments.move_to_end(key)
            while len(self._fragments) > self.max_rows:
                self._fragments.popitem(last=False)
        return html

    # -- entries

    def get(self, key: str) -> Entry | None:
        entry = self.store.get(key)
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.store.put(key, entry)

    def clear(self) -> None:
        self.store.clear()
        with self._lock:
            self._rows.clear()
            self._derived.clear()
        self._base = None


def get_cache(app: Flask | None = None) -> ResponseCache:
    app = app or current_app._get_current_object()
    cache = app.extensions.get("response_cache")
    if cache is None:
        cache = ResponseCache(check_seconds=float(app.config.get("PUBLIC_CACHE_CHECK_SECONDS", 1.0)),
                              ttl_seconds=float(app.config.get("PUBLIC_CACHE_TTL_SECONDS", 600)),
                              redis_url=str(app.config.get("PUBLIC_CACHE_REDIS_URL") or ""))
        app.extensions["response_cache"] = cache
    return cache


def row_cache() -> ResponseCache | None:
    """The cache of projected rows, for a public GET with caching on; None elsewhere (a staff request
    may hold unsaved changes, which must never be kept as the public row). Decided, and the
    generation re-read if due, once per request: a list page asks four times."""
    from flask import has_request_context

    if not has_request_context():
        return None
    found = getattr(request, "_public_row_cache", _MISSING)  # on the request: an app context can outlive one
    if found is not _MISSING:
        return found
    cache = None
    if (request.method in ("GET", "HEAD") and request.blueprint in ("public", "api")
            and current_app.config.get("PUBLIC_CACHE_ENABLED", True)):
        cache = get_cache()
        cache.refresh()
    request._public_row_cache = cache
    return cache


def large_text() -> bool:
    return request.cookies.get(TEXT_SIZE_COOKIE) == "large"


def _key() -> str:
    """Path, query string exactly as sent, text size and host. The query is not normalised (names
    sorted, ``+`` for ``%20``): a page echoes its own URL as written (the print footer's 来源, the
    text-size link, the pager's and export links' parameter order), so a page built for one spelling
    must not be served for another. Feeds carry absolute links, so a response built for one Host
    header is never served for another (cache poisoning; set TRUSTED_HOSTS to refuse unknown hosts).
    Built once per request: the page rendered after a miss is stored under the generation it was
    looked up in (if that has moved meanwhile, no request asks for that key again and the next move
    drops it)."""
    key = getattr(request, "_public_cache_key", None)
    if key is None:
        generation = get_cache().generation(request.path)
        query = request.query_string.decode("latin-1")  # bytes as sent; latin-1 maps each byte to one char
        key = request._public_cache_key = f"{generation}{request.host}{request.path}?{query}|{'L' if large_text() else 'N'}"
    return key


def _cacheable_request() -> bool:
    """Anonymous GETs only: a session may carry flashes or a login that a shared copy must not show."""
    if request.method not in ("GET", "HEAD"):
        return False
    if not current_app.config.get("PUBLIC_CACHE_ENABLED", True):
        return False
    return current_app.config.get("SESSION_COOKIE_NAME", "session") not in request.cookies


# Request headers that can turn a 200 into a 304, 412 or 206 (RFC 9110 §13, §14.2).
_CONDITIONAL = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
                          "HTTP_RANGE"})


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
    if not _CONDITIONAL.intersection(request.environ):  # nothing to compare: make_conditional would only add Date
        return response
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
