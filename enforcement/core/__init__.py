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
        cur.close()


def init_app(app: Flask) -> None:
    from enforcement.core import audit_log, changelog, cli, errors, models, operations, storage, templating  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    changelog.install()
    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    operations.init_app(app)
