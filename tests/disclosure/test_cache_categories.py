"""The page cache moves per category (a saved decision leaves officer pages cached) and can live in Redis."""

from __future__ import annotations

import pytest

from enforcement.core.cache import ResponseCache, get_cache
from enforcement.disclosure.models import Decision, Officer
from enforcement.extensions import db
from tests.disclosure.test_public_pages import build_town

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def town(app, monkeypatch):
    return build_town(app, monkeypatch)


def test_a_saved_decision_leaves_pages_without_decisions_cached(client, town):
    for path in ("/officers", "/api/v1/powers", "/decisions", "/"):
        client.get(path)
    d = db.session.get(Decision, town["public"])
    d.title = "更正后的案由"
    db.session.commit()
    assert client.get("/officers").headers["X-Cache"] == "hit"
    assert client.get("/api/v1/powers").headers["X-Cache"] == "hit"
    assert client.get("/decisions").headers["X-Cache"] == "miss"
    assert client.get("/").headers["X-Cache"] == "miss"


def test_a_saved_officer_moves_every_page(client, town):
    client.get("/officers")
    client.get("/decisions")
    officer = db.session.scalars(db.select(Officer)).first()
    officer.name = officer.name + "某"
    db.session.commit()
    assert client.get("/officers").headers["X-Cache"] == "miss"
    assert client.get("/decisions").headers["X-Cache"] == "miss"


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")


def test_with_redis_configured_a_page_rendered_by_one_worker_is_served_by_another(client, town, app, monkeypatch):
    _redis_or_skip()
    first_worker = ResponseCache(redis_url=REDIS_URL)
    first_worker.store.clear()
    monkeypatch.setitem(app.extensions, "response_cache", first_worker)
    assert client.get("/decisions?kind=penalty").headers["X-Cache"] == "miss"
    monkeypatch.setitem(app.extensions, "response_cache", ResponseCache(redis_url=REDIS_URL))  # another process
    hit = client.get("/decisions?kind=penalty")
    assert hit.headers["X-Cache"] == "hit" and "京兴西罚字〔2021〕第0001号" in hit.get_data(as_text=True)
    d = db.session.get(Decision, town["public"])
    d.title = "另一进程修改"
    db.session.commit()
    assert client.get("/decisions?kind=penalty").headers["X-Cache"] == "miss"
    first_worker.store.clear()


def test_an_unreachable_redis_only_means_no_cache(client, town, app, monkeypatch):
    monkeypatch.setitem(app.extensions, "response_cache", ResponseCache(redis_url="redis://127.0.0.1:1/0"))
    for _ in range(2):
        r = client.get("/decisions")
        assert r.status_code == 200 and r.headers["X-Cache"] == "miss"
    assert get_cache(app).misses == 2


def test_list_rows_built_before_a_save_are_rebuilt_for_the_saved_decision_and_names(client, town):
    from enforcement.disclosure.models import Agency

    assert "更正后的案由" not in client.get("/api/v1/decisions").get_data(as_text=True)
    d = db.session.get(Decision, town["public"])
    d.title = "更正后的案由"
    db.session.commit()
    assert "更正后的案由" in client.get("/api/v1/decisions").get_data(as_text=True)
    agency = db.session.get(Agency, d.agency_id)
    agency.name = "北京市大兴区西红门镇综合执法队（更名）"
    db.session.commit()
    items = client.get("/api/v1/decisions").get_json()["items"]
    assert items and all(i["agency"] == agency.name for i in items if i.get("agency") and i["id"] == d.id)
    assert "（更名）" in client.get("/decisions").get_data(as_text=True)
