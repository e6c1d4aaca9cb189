"""The index follows the database: syncs, withdrawals, expiry, crashes, rebuilds, the after-request hook."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from enforcement.config import PROJECT_ROOT
from enforcement.core.changelog import latest_id
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Agency, Decision
from enforcement.extensions import db
from enforcement.search.services import engine, rebuild, search, sync
from tests.disclosure.helpers import decision

TODAY = date.today()
RECENT = {"decided_on": (TODAY - timedelta(days=20)).isoformat(), "published_on": (TODAY - timedelta(days=15)).isoformat()}


def add_decisions(n: int, start: int = 1, **overrides) -> None:
    records = [decision(f"京兴西罚字〔{TODAY.year}〕第{i:04d}号", **{**RECENT, **overrides})
               for i in range(start, start + n)]
    import_rows("decisions", enumerate(records, 1))
    db.session.commit()


def found(q: str, **kwargs):
    """Decisions only: the regulation's own articles mention 报警装置 too."""
    return search(q, category="decision", **kwargs)


def by_number(number: str) -> Decision:
    return db.session.scalar(select(Decision).where(Decision.number == number))


def test_sync_applies_new_and_changed_records(indexed_town):
    add_decisions(1)
    sync()
    assert found("报警装置").total == 1
    d = by_number(f"京兴西罚字〔{TODAY.year}〕第0001号")
    d.facts = "当事人在餐饮场所违规使用液化石油气钢瓶。"
    db.session.commit()
    assert sync() >= 1
    assert found("液化石油气钢瓶").total == 1
    assert found("泄漏报警装置").total == 0  # the old facts left with the update
    assert engine().state().applied_id == latest_id(db.session)
    assert sync() == 0


def test_a_withdrawn_decisions_body_is_unsearchable_after_the_next_sync(indexed_town):
    add_decisions(1)
    sync()
    number = f"京兴西罚字〔{TODAY.year}〕第0001号"
    assert found("报警装置").total == 1
    d = by_number(number)
    d.status, d.withdrawn_on = "withdrawn", TODAY
    d.withdrawal_reason = "该决定经行政复议被撤销，依法撤回公示。"
    db.session.commit()
    sync()
    assert found("报警装置").total == 0
    assert found("张某").total == 0
    notice = search(number)
    assert notice.total == 1 and notice.results[0]["title"].startswith("撤回公示")
    assert search("行政复议被撤销").total == 1  # the notice and its reason stay public


def test_expiry_is_a_date_so_each_sync_sweeps_out_ended_display_periods(indexed_town):
    add_decisions(2)
    first = by_number(f"京兴西罚字〔{TODAY.year}〕第0001号")
    first.expires_on = TODAY + timedelta(days=1)
    db.session.commit()
    sync(today=TODAY)
    assert found("报警装置").total == 2
    applied = engine().state().applied_id
    sync(today=TODAY + timedelta(days=1))  # no change-log row: the calendar alone ends the period
    assert engine().state().applied_id == applied
    assert [r["number"] for r in found("报警装置").results] == [f"京兴西罚字〔{TODAY.year}〕第0002号"]


def test_a_hidden_decision_never_enters_the_index(indexed_town):
    add_decisions(1, party_is_minor=True)
    add_decisions(1, start=2)
    unpublished = by_number(f"京兴西罚字〔{TODAY.year}〕第0002号")
    unpublished.status, unpublished.published_on = "decided", None
    db.session.commit()
    sync()
    assert found("报警装置").total == 0
    assert search(f"京兴西罚字〔{TODAY.year}〕第0001号").total == 0


def test_an_agency_rename_reaches_the_officers_that_show_its_name(indexed_town):
    sync()
    agency = db.session.scalar(select(Agency))
    agency.name = "北京市大兴区西红门地区综合执法中心"
    db.session.commit()
    sync()
    found = search("综合执法中心", category="officer")
    assert found.total == 2


_KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from enforcement import create_app
    from enforcement.search import whoosh_engine

    stage, marker = sys.argv[1], sys.argv[2]
    app = create_app({"SECRET_KEY": "x", "INSTANCE_DIR": sys.argv[3], "SQLALCHEMY_DATABASE_URI": sys.argv[4],
                      "SEARCH_INDEX_DIR": sys.argv[5], "SEARCH_SYNC_AFTER_REQUEST": False})
    real_commit = whoosh_engine.IndexWriter.commit

    def stall(self):
        if stage == "after_index_commit":  # the index holds the documents, the applied id is not saved
            self._writer.commit()
        open(marker, "w").close()
        time.sleep(120)  # killed here

    whoosh_engine.IndexWriter.commit = stall
    with app.app_context():
        from enforcement.search.services import sync
        sync()
""")


@pytest.mark.parametrize("stage", ["before_index_commit", "after_index_commit"])
def test_a_writer_killed_mid_sync_loses_nothing(indexed_town, tmp_path, stage):
    add_decisions(5)
    sync()
    add_decisions(20, start=6)  # committed to the database; the index has not seen them yet
    marker = tmp_path / "stalled"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, stage, str(marker), str(tmp_path / "instance"),
         indexed_town.config["SQLALCHEMY_DATABASE_URI"], indexed_town.config["SEARCH_INDEX_DIR"]],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stdout.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert found("报警装置").total in (5, 25)  # the old index, or the new one if its commit landed
    sync()
    result = found("报警装置", per_page=100)
    assert result.total == 25
    assert len({r["id"] for r in result.results}) == 25  # re-applied changes did not duplicate anything
    assert engine().state().applied_id == latest_id(db.session)


def test_rebuild_swaps_in_a_new_directory_while_searches_keep_answering(indexed_town):
    add_decisions(30)
    sync()
    old = engine().store.current()
    answers: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def keep_searching():
        with indexed_town.app_context():
            while not done.is_set():
                try:
                    answers.append(found("报警装置", per_page=1).total)
                except BaseException as e:  # noqa: BLE001 - any failure is what this test looks for
                    errors.append(e)
                    break
            db.session.remove()

    reader = threading.Thread(target=keep_searching)
    reader.start()
    try:
        count = rebuild()
    finally:
        done.set()
        reader.join()
    assert errors == []
    assert answers and set(answers) == {30}
    assert count > 30 + 4  # the decisions, the agency, two officers, the power and the regulation's articles
    assert engine().store.current() != old
    assert (old / ".retired").exists()
    assert found("报警装置").total == 30


def test_a_committing_request_syncs_the_index_after_the_response(tmp_path):
    from tests.conftest import drop_schema, make_app

    app, url = make_app(tmp_path, "hook", SEARCH_SYNC_AFTER_REQUEST=True)

    @app.post("/_test/agency")
    def _create_agency():
        db.session.add(Agency(name="西红门镇城市管理指挥中心", credit_code="11110115MB1C40000W", legal_status="statutory"))
        db.session.commit()
        return "ok"

    try:
        with app.app_context():
            sync()
            response = app.test_client().post("/_test/agency")
            assert response.status_code == 200
            response.close()  # a WSGI server closes the response once it is sent: that starts the sync
            deadline = time.monotonic() + 20
            while search("城市管理指挥中心").total == 0:
                assert time.monotonic() < deadline, "the index never caught up"
                time.sleep(0.1)
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_schema(url)


def test_an_index_written_in_an_older_layout_is_rebuilt_by_the_next_sync(indexed_town):
    from dataclasses import replace

    from enforcement.search.store import IndexStore

    add_decisions(3)
    sync()
    old = engine().store.current()
    IndexStore.write_state(old, replace(engine().state(), schema=0))  # as an earlier release left it
    assert not engine().exists()
    sync()
    assert engine().store.current() != old
    assert found("报警装置").total == 3


def test_a_rebuild_in_worker_processes_and_several_segments_answers_like_one_segment(indexed_town, monkeypatch):
    """A fresh build commits a segment every SEGMENT_DOCS records to bound its memory."""
    from whoosh import index as whoosh_index

    from enforcement.search import whoosh_engine

    add_decisions(30)
    rebuild()
    whole = found("报警装置", per_page=50)
    monkeypatch.setattr(whoosh_engine, "SEGMENT_DOCS", 7)
    rebuild(procs=2)  # as the command line does it: segmented in worker processes
    with whoosh_index.open_dir(str(engine().store.current())).reader() as reader:
        assert len(reader.leaf_readers()) > 3
    parts = found("报警装置", per_page=50)
    assert (parts.total, [r["id"] for r in parts.results]) == (whole.total, [r["id"] for r in whole.results])
    assert parts.facets == whole.facets
    d = by_number(f"京兴西罚字〔{TODAY.year}〕第0009号")
    d.status, d.withdrawn_on, d.withdrawal_reason = "withdrawn", TODAY, "依法撤回公示。"
    db.session.commit()
    sync()
    assert found("报警装置").total == 29


def test_after_syncs_searches_reuse_the_unchanged_segments_postings_and_answer_like_a_fresh_reader(indexed_town):
    from enforcement.search.engine import Filters
    from enforcement.search.query import parse
    from enforcement.search.whoosh_engine import WhooshEngine

    add_decisions(20)
    rebuild()
    queries = ["报警装置", "罚款 燃气", '"责令 改正"', "京兴西"]
    live = engine()
    for q in queries:
        live.search(parse(q), Filters())
    add_decisions(5, start=21)
    d = by_number(f"京兴西罚字〔{TODAY.year}〕第0003号")
    d.status, d.withdrawn_on, d.withdrawal_reason = "withdrawn", TODAY, "依法撤回公示。"
    db.session.commit()
    sync()
    live.search(parse("报警装置"), Filters())  # one term read again after the first sync, the others not
    add_decisions(3, start=26)
    sync()
    view = live._view()
    assert any(key[0] == "p" and value[2] < len(view.leaves) for key, value in view._cache.items())
    fresh = WhooshEngine(live.store.root)
    for q in queries:
        a, b = live.search(parse(q), Filters(), per_page=50), fresh.search(parse(q), Filters(), per_page=50)
        assert (a.total, [h.key for h in a.hits], a.facets) == (b.total, [h.key for h in b.hits], b.facets)
    assert live.search(parse("报警装置"), Filters(category="decision")).total == 27


def test_an_index_written_as_compound_segments_is_searched_the_same(indexed_town, monkeypatch):
    """Text checks read the segment's column file in place; a compound segment is read through Whoosh."""
    from enforcement.search import whoosh_engine

    add_decisions(12)
    rebuild()
    expected = {q: found(q).total for q in ("报警装置", '"责令 改正"', "罚款 燃气")}
    plain = whoosh_engine.GramSegmentWriter
    monkeypatch.setattr(whoosh_engine, "GramSegmentWriter", lambda ix, **kw: plain(ix, **{**kw, "compound": True}))
    rebuild()
    assert any(p.suffix == ".seg" for p in engine().store.current().iterdir())
    assert {q: found(q).total for q in expected} == expected


def test_a_segment_merged_away_while_the_index_is_reopened_is_opened_again(indexed_town, monkeypatch):
    """A concurrent sync may delete merged segments' files between a reader's table of contents and its
    opening them: the search opens the index again instead of failing."""
    from enforcement.search.postings import View

    add_decisions(3)
    sync()
    assert found("报警装置").total == 3
    add_decisions(2, start=4)
    sync()
    load, calls = View._load, []

    def merged_away_once(self):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError("a merged segment's file")
        load(self)

    monkeypatch.setattr(View, "_load", merged_away_once)
    assert found("报警装置").total == 5
    assert len(calls) == 2


def test_a_view_decodes_terms_without_rereading_the_table_of_contents_a_sync_replaces(indexed_town, monkeypatch):
    """A sync in another thread commits a new table of contents and deletes the old one; a search in progress
    that re-read it could list the old file and then find it gone (FileNotFoundError, a 500). The view decodes
    posting lists with the schema of the state it opened and never reads the table of contents again."""
    from whoosh.index import FileIndex

    add_decisions(3)
    sync()
    view = engine()._view()
    expected = found("报警装置").total

    def deleted_under_us(self, *args, **kwargs):
        raise FileNotFoundError("_MAIN_1.toc")

    monkeypatch.setattr(FileIndex, "_read_toc", deleted_under_us)
    assert len(view.postings("bg", "报警")[0]) > 0
    assert view.postings("bg", "没有这个词")[0].size == 0
    assert found("报警装置").total == expected
