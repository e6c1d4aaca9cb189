"""A web write that meets a busy database is retried, and failing that keeps the user's input.

SQLite allows one writer: a long import holds the write lock, and a staff
save that waited out the busy timeout used to end in a 500 with the edit lost.
Now the request is run again (``BUSY_RETRIES`` times, short pauses); if the
database is still busy the answer is 503 with a page that says so and carries
every submitted field in a form the user can send again with one click
(uploaded files must be chosen again: a browser cannot be handed a file). On
PostgreSQL the same applies to lock timeouts, deadlocks and serialisation
failures. A connection the server dropped (a restart; ``core.connections``) anywhere in a request, hooks
included, makes a GET or HEAD run once more on a new connection; a post, or a second drop, gets the 503
page. ASVS 4.0 V11.1.4 (availability), V7.4.1 (no stack trace, a generic message).
"""

from __future__ import annotations

import time

from flask import Flask, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError

from enforcement.extensions import db

BUSY_SQLITE = ("database is locked", "database is busy", "database table is locked")
BUSY_PGCODES = {"55P03", "40001", "40P01", "57014"}


class DatabaseBusy(Exception):
    """The database stayed busy through every retry."""


def is_busy(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    original = getattr(error, "orig", None)
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code in BUSY_PGCODES or any(text in str(original or error).lower() for text in BUSY_SQLITE)


def init_app(app: Flask) -> None:
    app.config.setdefault("BUSY_RETRIES", 2)
    app.config.setdefault("BUSY_RETRY_PAUSE_SECONDS", 0.5)
    dispatch = app.dispatch_request

    def dispatch_with_retries():
        retries = int(app.config["BUSY_RETRIES"])
        for attempt in range(retries + 1):
            try:
                return dispatch()
            except OperationalError as e:
                if not is_busy(e):
                    raise
                db.session.rollback()
                if attempt == retries or request.files:
                    raise DatabaseBusy() from e
                time.sleep(float(app.config["BUSY_RETRY_PAUSE_SECONDS"]) * (attempt + 1))
        raise AssertionError("unreachable")

    app.dispatch_request = dispatch_with_retries
    full_dispatch, handle = app.full_dispatch_request, app.handle_user_exception

    def handle_user_exception(e: Exception):
        if isinstance(e, DBAPIError) and e.connection_invalidated:
            raise e  # past the catch-all 500 handler, to reconnecting_dispatch
        return handle(e)

    def reconnecting_dispatch():
        """The whole request (hooks included: a staff page's first query loads the user) once more when
        the server dropped its connection (restart, failover; SQLAlchemy has then replaced the pool's
        connections), for a GET or HEAD; a post, or a read that meets a dropped connection twice, gets
        the 503 page that keeps its fields."""
        for attempt in (1, 2):
            try:
                return full_dispatch()
            except DBAPIError as e:
                if not e.connection_invalidated:
                    raise
                db.session.rollback()
                if attempt == 2 or request.method not in ("GET", "HEAD"):
                    return app.finalize_request(handle(DatabaseBusy()))
        raise AssertionError("unreachable")

    app.handle_user_exception = handle_user_exception
    app.full_dispatch_request = reconnecting_dispatch

    @app.errorhandler(DatabaseBusy)
    def _busy(_e: DatabaseBusy):
        from enforcement.core.errors import error_response, wants_json

        if wants_json() or request.method in ("GET", "HEAD"):
            return error_response(503, "系统繁忙，请稍后再试")
        fields = [(k, v) for k, v in request.form.items(multi=True)]
        return render_template("errors/busy.html", fields=fields, action=request.full_path.rstrip("?"),
                               had_files=bool(request.files)), 503
