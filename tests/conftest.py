"""Fixtures: ``app``, ``client``, ``runner`` on an empty schema, and ``demo_app`` with the demo town.

The database is SQLite in a temporary directory unless TEST_DATABASE_URL names a
PostgreSQL database; there each fixture gets a schema of its own.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from enforcement import create_app
from enforcement.core import calendar, settings
from enforcement.extensions import db


def database_url(tmp_dir: Path, name: str) -> str:
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        return f"sqlite:///{tmp_dir / (name + '.db')}"
    schema = f"t_{name}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def drop_schema(url: str) -> None:
    if "search_path" not in url:
        return
    schema = url.rsplit("%3D", 1)[1]
    engine = create_engine(os.environ["TEST_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


def make_app(tmp_dir: Path, name: str, **extra):
    url = database_url(tmp_dir, name)
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-only",
        "INSTANCE_DIR": tmp_dir / f"instance_{name}",
        "SQLALCHEMY_DATABASE_URI": url,
        "SEARCH_INDEX_DIR": str(tmp_dir / f"search_index_{name}"),
        "RECORDS_DIR": str(tmp_dir / f"records_{name}"),
        "WTF_CSRF_ENABLED": False,
        "SEARCH_SYNC_AFTER_REQUEST": False,
        **extra,
    })
    with app.app_context():
        db.create_all()
    return app, url


def truncate_all() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    else:
        for name in reversed(tables):
            db.session.execute(text(f'DELETE FROM "{name}"'))
    db.session.commit()


@pytest.fixture(scope="session")
def _empty_app(tmp_path_factory):
    app, url = make_app(tmp_path_factory.mktemp("empty"), "empty")
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_schema(url)


@pytest.fixture
def app(_empty_app):
    """An app on an empty schema; every table is emptied after the test."""
    settings.invalidate()
    calendar.invalidate()
    with _empty_app.app_context():
        yield _empty_app
        db.session.rollback()
        truncate_all()
        db.session.remove()
    _empty_app.config.pop("TODAY", None)  # a test that pinned "today" leaves the clock as it found it
    settings.invalidate()
    calendar.invalidate()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """The demo town, loaded once per session; tests must not change it."""
    from enforcement.demo.loader import load_demo

    app, url = make_app(tmp_path_factory.mktemp("demo"), "demo")
    with app.app_context():
        load_demo(3000)
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_schema(url)


@pytest.fixture(scope="session")
def demo_index(demo_app):
    """The demo town's search index, built once per session (the database stays untouched)."""
    from enforcement.search.services import rebuild

    with demo_app.app_context():
        rebuild()
        db.session.remove()
    return demo_app


@pytest.fixture
def demo(demo_app):
    with demo_app.app_context():
        yield demo_app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


def login_as(client, username: str) -> None:
    """Log a demo or test user in without the login form (the login view has its own tests)."""
    from sqlalchemy import select

    from enforcement.accounts.models import User

    with client.application.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None, f"no user {username}"
        user_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True


@pytest.fixture
def indexed_town(app, tmp_path):
    """The minimal town (tests/disclosure/helpers.py) on the empty schema, with a search index of this test's own."""
    from tests.disclosure.helpers import load_minimal_town

    previous = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    load_minimal_town()
    db.session.commit()
    yield app
    app.config["SEARCH_INDEX_DIR"] = previous


def failing_first(real, error: Exception, calls: list):
    """``real`` wrapped to raise ``error`` on its first call and behave normally after; ``calls`` grows by
    one per call (tests of retries)."""
    def call(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error
        return real(*args, **kwargs)
    return call
