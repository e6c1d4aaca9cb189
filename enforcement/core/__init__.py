"""Shared by all domains: database wiring, change log, calendar, masking, audit chain."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import event
from sqlalchemy.engine import Engine

from enforcement.extensions import csrf, db, login_manager

if TYPE_CHECKING:
    from flask_migrate import Migrate

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
    app.cli = _Commands(app)  # first domain: every command is added after this
    login_manager.init_app(app)
    csrf.init_app(app)
    changelog.install()
    errors.init_app(app)
    templating.init_app(app)
    security_headers.init_app(app)
    busy.init_app(app)
    cli.init_app(app)
    operations.init_app(app)


def migrations(app: Flask) -> Migrate:
    """The ``flask_migrate.Migrate`` bound to ``app`` (``app.extensions["migrate"]``), made on first use.

    Flask-Migrate imports Alembic, which imports Mako and Pygments: 0.2–0.4 s of every process start
    (each gunicorn worker, each ``flask export``), while only the ``db`` commands, a restore into an
    empty database and the schema tests need it. Call this before ``flask_migrate.upgrade()``."""
    state = app.extensions.get("migrate")
    if state is None:
        import logging

        # Alembic announces each of its plugins at INFO on import, which our log handler would print.
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
        state = app.extensions["migrate"]
    return state.migrate


class _Commands(AppGroup):
    """``app.cli`` with Flask-Migrate's ``db`` group (``flask db upgrade``…) loaded when it is named."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), "db"})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == "db" and name not in self.commands:
            migrations(self.app)  # adds the real group to this one
        return super().get_command(ctx, name)
