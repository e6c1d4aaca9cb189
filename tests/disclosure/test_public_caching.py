"""Public pages and API responses are cached, validated with ETag/Last-Modified, and invalidated by the change log."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, insert, update

from enforcement.core.cache import get_cache
from enforcement.core.models import ChangeLog, utcnow
from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from tests.disclosure.test_public_pages import build_town


@pytest.fixture
def town(app, monkeypatch):
    return build_town(app, monkeypatch)


@pytest.mark.parametrize("path", ["/decisions", "/api/v1/decisions", "/feeds/decisions.atom", "/stats/2021"])
def test_responses_carry_validators_and_a_conditional_request_gets_304(client, town, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"] and "max-age" in first.headers["Cache-Control"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_repeated_request_is_served_from_the_cache(client, town):
    assert client.get("/decisions?kind=penalty").headers["X-Cache"] == "miss"
    hit = client.get("/decisions?kind=penalty")
    assert hit.headers["X-Cache"] == "hit" and "京兴西罚字〔2021〕第0001号" in hit.get_data(as_text=True)
    assert client.get("/decisions?kind=inspection").headers["X-Cache"] == "miss"  # filters are part of the key


def test_a_repeated_parameter_in_another_order_is_another_page(client, town):
    """The first of a repeated parameter's values is the one a page uses, so its order is part of the key."""
    first = client.get("/api/v1/decisions?kind=inspection&kind=penalty")
    other = client.get("/api/v1/decisions?kind=penalty&kind=inspection")
    assert other.headers["X-Cache"] == "miss"
    assert {i["kind"] for i in first.get_json()["items"]} == {"inspection"}
    assert {i["kind"] for i in other.get_json()["items"]} == {"penalty"}
    assert client.get("/api/v1/decisions?kind=penalty&page=1").headers["X-Cache"] == "miss"
    assert client.get("/api/v1/decisions?kind=penalty&page=1").headers["X-Cache"] == "hit"


def test_each_spelling_of_a_url_is_its_own_page(client, town):
    """A page echoes its URL as written (print footer, text-size link, pager), so another order of the
    same parameters is another entry, and each shows its own spelling."""
    first = client.get("/decisions?kind=penalty&page=1").get_data(as_text=True)
    other = client.get("/decisions?page=1&kind=penalty")
    assert other.headers["X-Cache"] == "miss"
    assert "来源：http://localhost/decisions?kind=penalty&amp;page=1" in first
    assert "来源：http://localhost/decisions?page=1&amp;kind=penalty" in other.get_data(as_text=True)


def test_a_change_committed_here_is_visible_on_the_next_request(client, town):
    client.get(f"/decisions/{town['public']}")
    d = db.session.get(Decision, town["public"])
    d.title = "更正后的案由"
    db.session.commit()
    r = client.get(f"/decisions/{town['public']}")
    assert r.headers["X-Cache"] == "miss" and "更正后的案由" in r.get_data(as_text=True)


def test_a_change_committed_by_another_process_is_seen_within_the_check_interval(client, town, app, monkeypatch):
    cache = get_cache(app)
    monkeypatch.setattr(cache, "check_seconds", 0.3)
    client.get("/decisions")
    assert client.get("/decisions").headers["X-Cache"] == "hit"
    # Another worker commits on its own connection: nothing in this process is told.
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with other.begin() as conn:
        conn.execute(update(Decision).where(Decision.id == town["public"]).values(title="另一进程修改"))
        conn.execute(insert(ChangeLog).values(entity="decision", entity_id=town["public"], op="upsert",
                                              created_at=utcnow()))
    other.dispose()
    cache._checked_at = time.monotonic()  # this process checked just now
    assert client.get("/decisions").headers["X-Cache"] == "hit"  # still within the interval
    time.sleep(0.35)
    fresh = client.get("/decisions")
    assert fresh.headers["X-Cache"] == "miss" and "另一进程修改" in fresh.get_data(as_text=True)


def test_large_text_pages_are_cached_apart_from_normal_ones(client, town):
    client.get("/decisions")
    client.set_cookie("textsize", "large")
    r = client.get("/decisions")
    assert r.headers["X-Cache"] == "miss" and 'class="large-text"' in r.get_data(as_text=True)
    assert "Cookie" in r.headers["Vary"]


def test_a_signed_in_session_is_never_served_a_shared_copy(client, town, app):
    client.get("/decisions")
    client.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), "anything")
    r = client.get("/decisions")
    assert r.status_code == 200 and "X-Cache" not in r.headers


def test_errors_are_not_cached(client, town):
    assert client.get("/decisions?page=99").status_code == 400
    r = client.get("/decisions?page=99")
    assert r.status_code == 400 and "X-Cache" not in r.headers


def test_a_late_commit_with_a_lower_change_log_id_still_refreshes_cached_pages(client, town, app, monkeypatch):
    """PostgreSQL hands out ids at write time: a save that wrote early and commits late adds a row below the
    latest id, which alone would leave every cached page stale until it expired."""
    from sqlalchemy.orm import Session

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer: a later commit always has a higher id")
    cache = get_cache(app)
    monkeypatch.setattr(cache, "check_seconds", 0.0)
    slow = Session(db.engine)
    slow.get(Decision, town["public"]).title = "迟提交的修改"
    slow.flush()  # takes the lower change-log id
    other = db.session.scalars(db.select(Decision).where(Decision.id != town["public"])).first()
    other.title = other.title + "（另一修改）"
    db.session.commit()
    first = client.get(f"/decisions/{town['public']}")
    modified = first.headers["Last-Modified"]
    assert client.get(f"/decisions/{town['public']}").headers["X-Cache"] == "hit"
    slow.commit()
    slow.close()
    time.sleep(1.1)  # Last-Modified has a resolution of one second
    fresh = client.get(f"/decisions/{town['public']}", headers={"If-Modified-Since": modified})
    assert fresh.status_code == 200 and "迟提交的修改" in fresh.get_data(as_text=True)
