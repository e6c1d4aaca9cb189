"""The index never misses a committed change, whatever order transactions commit in.

Change-log ids are handed out when a row is written, not when it commits: on
PostgreSQL a transaction that wrote early (low id) and commits late must still
reach the index, and a transaction that rolls back leaves a hole that must not
stop the index either. SQLite has one writer at a time, so ids there commit in
order; the same reader runs on both.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from enforcement.core.changelog import latest_id
from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.search.services import engine, search, sync


@pytest.fixture
def index(app, tmp_path):
    previous = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    yield app
    app.config["SEARCH_INDEX_DIR"] = previous


def postgresql_only() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer: a later commit always has a higher id")


def agency(n: int) -> Agency:
    return Agency(name=f"测试执法主体{n:04d}", credit_code=f"11110115MB{n:07d}X", legal_status="statutory")


def indexed_agencies() -> set[str]:
    return {r["title"] for r in search("", category="agency", per_page=100).results}


def committed_agencies() -> set[str]:
    return set(db.session.scalars(select(Agency.name)))


def test_a_late_commit_with_a_lower_id_is_indexed(index):
    postgresql_only()
    db.session.add(agency(0))
    db.session.commit()
    sync()  # the index exists and has applied everything so far

    # Connection A writes first (takes the lower change-log id) but commits last.
    slow = Session(db.engine)
    slow.add(agency(1))
    slow.flush()
    # Connection B (the app's session) writes and commits in between, and a sync runs.
    db.session.add(agency(2))
    db.session.commit()
    sync()
    assert "测试执法主体0002" in indexed_agencies()

    slow.commit()
    slow.close()
    sync()
    assert indexed_agencies() == committed_agencies() == {"测试执法主体0000", "测试执法主体0001", "测试执法主体0002"}


def test_a_rolled_back_write_leaves_a_hole_that_does_not_stop_the_index(index):
    postgresql_only()
    sync()
    doomed = Session(db.engine)
    doomed.add(agency(1))
    doomed.flush()  # takes an id, then rolls back: the id is never used
    db.session.add(agency(2))
    db.session.commit()
    doomed.rollback()
    doomed.close()
    sync()
    db.session.add(agency(3))
    db.session.commit()
    assert sync() == 1
    assert indexed_agencies() == {"测试执法主体0002", "测试执法主体0003"}
    assert sync() == 0
    assert engine().state().applied_id == latest_id(db.session)


def test_a_change_committed_during_a_long_transaction_is_searchable_at_once(index):
    """A long import must not hold back a staff save committed meanwhile."""
    postgresql_only()
    sync()
    long_import = Session(db.engine)
    long_import.add(agency(1))
    long_import.flush()
    db.session.add(agency(2))
    db.session.commit()
    assert sync() == 1
    assert indexed_agencies() == {"测试执法主体0002"}
    long_import.commit()
    long_import.close()
    assert sync() == 1  # the import's row; the staff save is not applied twice
    assert indexed_agencies() == committed_agencies()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_interleavings_of_commits_rollbacks_and_syncs_lose_nothing(index, seed):
    rnd = random.Random(seed)
    writers = 3 if db.engine.dialect.name == "postgresql" else 1  # SQLite: one writer at a time
    open_sessions: list[tuple[Session, list[str]]] = []
    serial = 0
    sync()
    for _ in range(60):
        action = rnd.random()
        if action < 0.35 and len(open_sessions) < writers:
            session = Session(db.engine)
            open_sessions.append((session, []))
        elif action < 0.65 and open_sessions:
            session, names = rnd.choice(open_sessions)
            serial += 1
            session.add(agency(serial))
            session.flush()
            names.append(f"测试执法主体{serial:04d}")
        elif action < 0.85 and open_sessions:
            entry = open_sessions.pop(rnd.randrange(len(open_sessions)))
            entry[0].commit() if rnd.random() < 0.7 else entry[0].rollback()
            entry[0].close()
        else:
            committed = committed_agencies()
            sync()
            # Everything committed before the sync started is searchable when it ends.
            assert committed <= indexed_agencies()
    for session, _ in open_sessions:
        session.commit()
        session.close()
    sync()
    assert indexed_agencies() == committed_agencies()
    assert sync() == 0
