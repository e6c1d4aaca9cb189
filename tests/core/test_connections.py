"""Pooled connections: pinged only after idle, a dropped one costs a reader nothing and a writer no input,
and the public lists read outside a transaction on PostgreSQL (enforcement.core.connections). A save whose
connection dropped: tests/core/test_availability.py."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import exc

from enforcement.core import connections
from enforcement.disclosure import queries
from enforcement.extensions import db
from tests.conftest import failing_first, login_as
from tests.core.test_availability import DROPPED  # the form-post case is tested there, beside the busy one
from tests.disclosure import test_lifecycle_fixtures as fixtures

town = fixtures.town


class FakeConnection:
    """A DBAPI connection that records what it is asked and can be dead."""

    def __init__(self, alive: bool = True) -> None:
        self.alive, self.executed, self.autocommit = alive, [], False

    def cursor(self):
        def execute(sql):
            if not self.alive:
                raise OSError("connection reset by peer")
            self.executed.append(sql)
        return SimpleNamespace(execute=execute, close=lambda: None)


def _record(idle_seconds: float | None) -> SimpleNamespace:
    return SimpleNamespace(info={} if idle_seconds is None else {"idle_since": time.monotonic() - idle_seconds})


def test_a_connection_in_steady_use_is_not_pinged(app):
    conn = FakeConnection()
    connections._checkout(conn, _record(0.01), None)
    connections._checkout(conn, _record(None), None)  # just opened
    assert conn.executed == []


def test_a_connection_idle_past_the_limit_is_pinged_outside_a_transaction(app):
    conn = FakeConnection()
    connections._checkout(conn, _record(app.config["DB_PING_IDLE_SECONDS"] + 1), None)
    assert conn.executed == ["SELECT 1"] and conn.autocommit is False


def test_an_idle_connection_that_does_not_answer_is_replaced_by_the_pool(app):
    with pytest.raises(exc.DisconnectionError):
        connections._checkout(FakeConnection(alive=False), _record(3600), None)


def test_a_page_whose_connection_was_dropped_is_read_again_on_a_new_one(app, client, monkeypatch):
    calls: list = []
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_ENABLED", False)
    monkeypatch.setattr(queries, "listing", failing_first(queries.listing, DROPPED, calls))
    assert client.get("/api/v1/decisions").status_code == 200 and len(calls) == 2
    assert client.get("/decisions").status_code == 200


def test_a_staff_page_whose_first_query_meets_a_dropped_connection_is_read_again(town, client, monkeypatch):
    """A staff page's first query is the role check's user load, in a before_request hook."""
    from enforcement.accounts import access

    calls: list = []
    login_as(client, "officer")
    monkeypatch.setattr(access, "check_roles", failing_first(access.check_roles, DROPPED, calls))
    assert client.get("/staff/decisions/").status_code == 200 and len(calls) == 2
    assert client.head("/staff/decisions/").status_code == 200


def test_a_read_that_meets_a_dropped_connection_twice_is_told_to_try_later(app, client, monkeypatch):
    def dropped(*args, **kwargs):
        raise DROPPED

    monkeypatch.setitem(app.config, "PUBLIC_CACHE_ENABLED", False)
    monkeypatch.setattr(queries, "listing", dropped)
    api, page = client.get("/api/v1/decisions"), client.get("/decisions")
    assert api.status_code == 503 and json.loads(api.data)["error"]["status"] == 503
    assert page.status_code == 503 and "繁忙" in page.get_data(as_text=True)


def test_a_retried_read_that_then_finds_the_database_busy_gets_the_busy_retries(app, client, monkeypatch):
    from tests.core.test_availability import LOCKED

    real, calls = queries.listing, []

    def dropped_then_locked_then_fine(*args, **kwargs):
        calls.append(1)
        if len(calls) <= 2:
            raise DROPPED if len(calls) == 1 else LOCKED
        return real(*args, **kwargs)

    monkeypatch.setitem(app.config, "PUBLIC_CACHE_ENABLED", False)
    monkeypatch.setitem(app.config, "BUSY_RETRY_PAUSE_SECONDS", 0)
    monkeypatch.setattr(queries, "listing", dropped_then_locked_then_fine)
    assert client.get("/api/v1/decisions").status_code == 200 and len(calls) == 3


def test_the_public_lists_read_outside_a_transaction_on_postgresql(app):
    @connections.read_only
    def level():
        return db.session.connection().get_execution_options().get("isolation_level")

    with app.test_request_context("/decisions"):
        expected = "AUTOCOMMIT" if db.engine.dialect.name == "postgresql" else None
        assert level() == expected
    with app.test_request_context("/decisions", method="POST"):
        db.session.remove()
        assert level() is None


@pytest.mark.skipif(not __import__("os").environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="a server to restart: PostgreSQL only")
def test_connections_the_server_dropped_cost_a_reader_nothing(tmp_path):
    """The server ends every connection of this app (as a restart does) between two page views."""
    import os

    from sqlalchemy import create_engine, text

    from tests.conftest import drop_schema, make_app

    app, url = make_app(tmp_path, "dropped", SQLALCHEMY_ENGINE_OPTIONS={
        "connect_args": {"application_name": "dropped-connection-test"}})
    try:
        client = app.test_client()
        assert client.get("/api/v1/decisions").status_code == 200  # leaves a connection in the pool
        server = create_engine(os.environ["TEST_DATABASE_URL"])  # another client: the database server's view
        with server.connect() as other:
            ended = other.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                       "WHERE application_name = 'dropped-connection-test'")).scalar()
        server.dispose()
        assert ended >= 1
        app.config["PUBLIC_CACHE_ENABLED"] = False
        assert client.get("/api/v1/decisions").status_code == 200
        assert client.get("/decisions").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()
        drop_schema(url)
