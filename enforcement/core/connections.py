"""Pooled database connections for the web: no round trip spent on them while busy, safe after an outage.

* **Ping only after idle.** A pooled connection is pinged (``SELECT 1``) at checkout only when it sat
  unused for ``DB_PING_IDLE_SECONDS`` (default 10): that is when a server restart, failover or idle
  timeout can have closed it. SQLAlchemy's ``pool_pre_ping`` pings at every checkout, a round trip per
  request under load (a sixth of an uncached list request's on PostgreSQL). A failed ping raises
  ``DisconnectionError``, and the pool replaces the connection (SQLAlchemy "Disconnect Handling —
  Pessimistic", custom checkout event).
* **A connection that dies in use anyway** (the server restarted within those seconds) is invalidated by
  SQLAlchemy together with the rest of the pool; ``core.busy`` then runs the whole GET or HEAD request
  once more on a new connection, and answers a form post (or a second drop) with its 503 page that
  keeps every field.
* **Reads without a transaction.** Views marked ``read_only`` (the public lists) run in autocommit on
  PostgreSQL: no ``BEGIN`` and no ``ROLLBACK`` at the end, two of the five round trips of an uncached
  list request. Each statement then reads the latest commit (the count and the page may straddle a save;
  the next request agrees again). SQLite starts no transaction for a read anyway.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, request
from sqlalchemy import event, exc
from sqlalchemy.pool import Pool

from enforcement.extensions import db

_settings = {"idle": 10.0}


def init_app(app: Flask) -> None:
    app.config.setdefault("DB_PING_IDLE_SECONDS", 10)
    _settings["idle"] = float(app.config["DB_PING_IDLE_SECONDS"])
    if not event.contains(Pool, "checkout", _checkout):
        event.listen(Pool, "checkout", _checkout)
        event.listen(Pool, "checkin", _checkin)


def _checkin(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Ping a server connection that has been idle for ``DB_PING_IDLE_SECONDS``; raises
    ``sqlalchemy.exc.DisconnectionError`` (the pool then connects afresh) if it does not answer."""
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < _settings["idle"] or isinstance(dbapi_connection,
                                                                                    sqlite3.Connection):
        return
    try:
        before = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # no transaction left open by the ping
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.autocommit = before
    except Exception as e:  # any driver error: the connection is gone or unusable
        raise exc.DisconnectionError(f"idle connection did not answer: {e}") from e


def read_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run a view that only reads, on GET or HEAD, outside a transaction on a server database.

    Only for views whose whole request writes nothing (no service call, no lazy refresh that writes);
    a request that already began a transaction (a hook read something) keeps it."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.method in ("GET", "HEAD") and not db.session().in_transaction() \
                and db.engine.dialect.name == "postgresql":
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)

    return wrapper
