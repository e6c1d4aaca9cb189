"""Shared by all domains: database wiring, change log, calendar, masking, audit chain."""

from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from enforcement.extensions import csrf, db, login_manager, migrate

MIGRATIONS_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent / "migrations"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL for concurrent readers, foreign keys enforced, as PostgreSQL would."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        files = [row[2] for row in cur.execute("PRAGMA database_list") if row[2]]
        cur.close()
        _owner_only(files)


def _owner_only(paths: list[str]) -> None:
    """The database holds personal data: its file (and WAL, shared-memory files) is 0600 (ASVS 4.0 V12.3)."""
    import os

    for path in paths:
        for name in (path, path + "-wal", path + "-shm"):
            try:
                if os.stat(name).st_mode & 0o077 and os.stat(name).st_uid == os.getuid():
                    os.chmod(name, 0o600)
            except OSError:
                pass


def init_app(app: Flask) -> None:
    from enforcement.core import (  # noqa: F401  (tables)
        audit_log,
        busy,
        changelog,
        cli,
        connections,
        errors,
        models,
        operations,
        security_headers,
        storage,
        templating,
    )

    db.init_app(app)
    connections.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    changelog.install()
    errors.init_app(app)
    templating.init_app(app)
    security_headers.init_app(app)
    busy.init_app(app)
    cli.init_app(app)
    operations.init_app(app)
