"""Atom feeds of newly published decisions and of withdrawals."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from tests.disclosure.test_public_pages import build_town

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def town(app, monkeypatch):
    return build_town(app, monkeypatch)


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{A}feed" and feed.find(f"{A}title").text and feed.find(f"{A}updated").text
    return feed.findall(f"{A}entry")


def test_the_decisions_feed_lists_public_decisions_newest_first(client, town):
    items = entries(client.get("/feeds/decisions.atom"))
    titles = [e.find(f"{A}title").text for e in items]
    assert titles[0].startswith("京兴西罚字〔2021〕第0002号")  # published 2021-11-05
    assert len(items) == 3  # public only: no withdrawn, expired, minor or unpublished decision
    link = items[0].find(f"{A}link").get("href")
    assert link.endswith(f"/decisions/{town['org']}")
    summary = " ".join(e.find(f"{A}summary").text for e in items)
    assert "张某" in summary and "张三" not in summary


def test_the_withdrawals_feed_carries_the_reason_and_not_the_body(client, town):
    items = entries(client.get("/feeds/withdrawals.atom"))
    assert len(items) == 1
    entry = items[0]
    assert entry.find(f"{A}title").text == "撤回公示：京兴西罚字〔2021〕第0003号"
    assert "该决定已被撤销" in entry.find(f"{A}summary").text
    assert "燃气泄漏报警" not in ET.tostring(entry, encoding="unicode")
    assert entry.find(f"{A}updated").text.startswith("2021-11-20")


def test_feeds_filter_like_the_list_and_refuse_bad_filters(client, town):
    assert len(entries(client.get("/feeds/decisions.atom?kind=inspection"))) == 1
    r = client.get("/feeds/decisions.atom?kind=bogus")
    assert r.status_code == 400


def test_the_demo_feeds_hold_the_latest_fifty(demo_client):
    items = entries(demo_client.get("/feeds/decisions.atom"))
    assert len(items) == 50
    dates = [e.find(f"{A}updated").text for e in items]
    assert dates == sorted(dates, reverse=True)
    assert entries(demo_client.get("/feeds/withdrawals.atom"))
