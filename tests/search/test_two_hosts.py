"""Two web hosts, one database: each keeps its own index replica tailing the change log, and both converge."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from enforcement import create_app
from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.search.services import search, sync
from tests.conftest import drop_schema, make_app


@pytest.fixture
def hosts(tmp_path):
    """Host A (makes the schema) and host B: the same database URL, separate instance and index folders."""
    a, url = make_app(tmp_path, "host_a")
    b = create_app({"TESTING": True, "SECRET_KEY": "test-only", "INSTANCE_DIR": tmp_path / "instance_host_b",
                    "SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_DIR": str(tmp_path / "search_index_host_b"),
                    "RECORDS_DIR": str(tmp_path / "records_host_b"), "SEARCH_SYNC_AFTER_REQUEST": False})
    yield a, b
    for app in (a, b):
        with app.app_context():
            db.engine.dispose()
    drop_schema(url)


def indexed(app) -> set[str]:
    with app.app_context():
        sync()
        names = {r["title"] for r in search("", category="agency", per_page=100).results}
        db.session.remove()
    return names


def committed(app) -> set[str]:
    with app.app_context():
        names = set(db.session.scalars(select(Agency.name)))
        db.session.remove()
    return names


def agency(n: int) -> Agency:
    return Agency(name=f"执法主体{n:03d}", credit_code=f"11110115MB{n:07d}X", legal_status="statutory")


def test_a_record_saved_through_one_host_is_found_through_the_other(hosts):
    a, b = hosts
    assert indexed(a) == indexed(b) == set()
    with a.app_context():
        db.session.add(agency(1))
        db.session.commit()
        db.session.remove()
    assert indexed(b) == {"执法主体001"}
    with b.app_context():
        db.session.scalar(select(Agency)).name = "执法主体改名"
        db.session.commit()
        db.session.remove()
    assert indexed(a) == indexed(b) == {"执法主体改名"}


def test_both_replicas_converge_whatever_order_the_hosts_commit_in(hosts):
    a, b = hosts
    rnd = random.Random(7)
    serial = 0
    open_writes: list[Session] = []
    multi_writer = committed_engine_is_postgresql(a)
    for _ in range(40):
        app = rnd.choice(hosts)
        roll = rnd.random()
        if roll < 0.5 and (multi_writer or not open_writes):
            with app.app_context():
                session = Session(db.engine)
            serial += 1
            session.add(agency(serial))
            session.flush()
            open_writes.append(session)
        elif roll < 0.8 and open_writes:
            session = open_writes.pop(rnd.randrange(len(open_writes)))
            session.commit() if rnd.random() < 0.8 else session.rollback()
            session.close()
        else:
            indexed(app)
    for session in open_writes:
        session.commit()
        session.close()
    assert indexed(a) == indexed(b) == committed(a)


def committed_engine_is_postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"
