"""Maintained list counts equal a fresh count(*) after random imports, edits, withdrawals, deletions and expiry."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import extract, func, select

from enforcement.disclosure import counts, lifecycle, queries
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from tests.disclosure.helpers import AGENCY, decision, load_minimal_town

STATUSES = ["draft", "decided", "published", "changed", "revoked", "illegal", "void", "withdrawn", "expired"]
KINDS = ["penalty", "licensing", "inspection", "coercion"]
SECOND_AGENCY = {**AGENCY, "name": "北京市大兴区市场监督管理局", "credit_code": "111101154JURQ283F5"}


def fresh(filters: dict, on: date) -> int:
    stmt = select(func.count()).select_from(Decision).where(*queries.DECISIONS.conditions(filters, on))
    return db.session.scalar(stmt)


def fresh_per_year(filters: dict, on: date) -> dict[int, int]:
    year = extract("year", Decision.decided_on)
    stmt = select(year, func.count()).where(*queries.DECISIONS.conditions(filters, on)).group_by(year)
    return {int(y): n for y, n in db.session.execute(stmt)}


def fresh_first_keys(filters: dict, on: date, limit: int) -> list[list]:
    stmt = (select(Decision.decided_on, Decision.id).where(*queries.DECISIONS.conditions(filters, on))
            .order_by(Decision.decided_on.desc(), Decision.id.desc()).limit(limit))
    return [list(r) for r in db.session.execute(stmt)]


def check(on: date, agencies: list[int]) -> None:
    combos = [{}, {"state": "public"}, {"state": "withdrawn"}]
    combos += [{"kind": k} for k in KINDS] + [{"agency": a} for a in agencies]
    combos += [{"year": y} for y in (2019, 2020, 2021, 2022)]
    combos += [{"kind": "penalty", "year": 2021, "state": "public"}, {"agency": agencies[-1], "state": "withdrawn"}]
    for f in combos:
        assert counts.total(f, on) == fresh(f, on), f
        assert counts.per_year(f, on) == {y: n for y, n in sorted(fresh_per_year(f, on).items(), reverse=True)
                                           if n}, f
        # the first page's keys, read in the same statement as the counts
        assert counts.breakdown_and_first_keys(f, on, 7) == (counts.breakdown(f, on), fresh_first_keys(f, on, 7)), f
    states = counts.by_state({}, on)
    assert states == {"public": fresh({"state": "public"}, on), "withdrawn": fresh({"state": "withdrawn"}, on)}


def _random_edit(rng: random.Random, d: Decision, on: date) -> None:
    what = rng.choice(["status", "kind", "decided_on", "minor", "published_on", "expires_on", "agency"])
    if what == "status":
        d.status = rng.choice(STATUSES)
    elif what == "kind":
        d.kind = rng.choice(KINDS)
    elif what == "decided_on":
        d.decided_on = rng.choice([None, date(rng.randint(2019, 2022), rng.randint(1, 12), rng.randint(1, 28))])
    elif what == "minor":
        d.party_is_minor = not d.party_is_minor
    elif what == "published_on":
        d.published_on = rng.choice([None, date(2021, 10, 12)])
    elif what == "expires_on":
        d.expires_on = rng.choice([None, on + timedelta(days=rng.randint(-30, 60))])
    else:
        d.agency_id = rng.choice([1, 2])


@pytest.mark.parametrize("seed", range(4))
def test_maintained_counts_equal_a_fresh_count_after_random_writes(app, seed):
    rng = random.Random(seed)
    load_minimal_town()
    import_rows("agencies", [(2, SECOND_AGENCY)])
    db.session.commit()
    on = date(2022, 1, 1)
    app.config["TODAY"] = on
    serial = 0
    for _ in range(60):
        op = rng.choice(["import", "import", "edit", "edit", "withdraw", "delete", "expire", "day"])
        ids = list(db.session.scalars(select(Decision.id)))
        if op == "import" or not ids:
            batch = []
            for _ in range(rng.randint(1, 6)):
                serial += 1
                year = rng.randint(2019, 2022)
                batch.append((serial, decision(f"京兴西罚字〔{year}〕第{serial:04d}号", decided_on=f"{year}-03-0{rng.randint(1, 9)}",
                                               published_on=f"{year}-04-01")))
            import_rows("decisions", batch)
            if rng.random() < 0.3 and ids:  # a re-import that edits rows already there
                import_rows("decisions", [(1, decision(db.session.get(Decision, rng.choice(ids)).number,
                                                       decided_on="2020-06-01", published_on="2020-06-05"))])
        elif op == "edit":
            d = db.session.get(Decision, rng.choice(ids))
            _random_edit(rng, d, on)
        elif op == "withdraw":
            d = db.session.get(Decision, rng.choice(ids))
            d.status, d.withdrawn_on, d.withdrawal_reason = "withdrawn", on, "依法撤回"
        elif op == "delete":
            db.session.delete(db.session.get(Decision, rng.choice(ids)))
        elif op == "expire":
            lifecycle.expire_due(on)  # what `flask daily` does
        else:
            on += timedelta(days=rng.randint(1, 400))
            app.config["TODAY"] = on
        if rng.random() < 0.15:
            db.session.rollback()  # the counts roll back with the change
        else:
            db.session.commit()
        check(on, [1, 2])


def test_the_list_total_and_numbered_pages_come_from_the_counts(app, client):
    load_minimal_town()
    rows = [(i, decision(f"京兴西罚字〔{2019 + i % 4}〕第{i:04d}号", decided_on=f"{2019 + i % 4}-05-{1 + i % 27:02d}",
                         published_on=f"{2019 + i % 4}-06-01")) for i in range(1, 46)]
    import_rows("decisions", rows)
    db.session.commit()
    app.config["TODAY"] = date(2019, 6, 2)
    expected = [d.id for d in db.session.scalars(select(Decision).order_by(Decision.decided_on.desc(),
                                                                           Decision.id.desc()))]
    seen = []
    for page in (1, 2, 3, 4, 5):
        body = client.get(f"/api/v1/decisions?page={page}&per_page=10").get_json()
        assert body["total"] == 45
        seen += [item["id"] for item in body["items"]]
    assert seen == expected
    for size in (1, 4, 7, 44, 45):  # pages nearer the end are read from the far end: the same rows
        pages = -(-45 // size)
        seen = []
        for page in range(1, pages + 2):
            body = client.get(f"/api/v1/decisions?page={page}&per_page={size}").get_json()
            assert (body["next_cursor"] is not None) == (page < pages)
            seen += [item["id"] for item in body["items"]]
        assert seen == expected
    html = client.get("/decisions?page=3").get_data(as_text=True)
    assert "第 3 页，共 3 页" in html or "共 3 页" in html


def test_the_pager_numbers_pages_with_first_last_and_a_jump_and_counts_are_explained(app, client):
    load_minimal_town()
    rows = [(i, decision(f"京兴西罚字〔2021〕第{i:04d}号", decided_on=f"2021-05-{1 + i % 27:02d}",
                         published_on="2021-06-01")) for i in range(1, 101)]
    import_rows("decisions", rows)
    db.session.commit()
    withdrawn = db.session.scalars(select(Decision).limit(3)).all()
    for d in withdrawn:
        d.status, d.withdrawn_on, d.withdrawal_reason = "withdrawn", date(2021, 7, 1), "依法撤回"
    db.session.commit()
    app.config["TODAY"] = date(2021, 7, 2)
    html = client.get("/decisions?kind=penalty&page=3").get_data(as_text=True)
    assert 'aria-current="page"' in html and ">首页</a>" in html and ">末页</a>" in html
    assert 'href="/decisions?kind=penalty&amp;page=5"' in html  # the last page, filters kept
    assert 'name="page"' in html and '<input type="hidden" name="kind" value="penalty">' in html
    assert "另有撤回公示 3 条" in html and "共 <strong>100</strong>" in html
    home = client.get("/").get_data(as_text=True)
    assert "另有撤回公示" in home and "公示期满的决定不再列出" in home
    stats = client.get("/stats/2021").get_data(as_text=True)
    assert "公示期满的决定不再列出，统计仍计入" in stats and "/decisions?year=2021" in stats
    assert client.get("/decisions?page=6").status_code == 400  # past the last page: a clear error
