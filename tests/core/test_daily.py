"""The daily job: what must happen because a day passed, and an audit log that cannot be quietly shortened."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from enforcement.accounts.models import LoginAttempt
from enforcement.core import anchor, audit_log, calendar
from enforcement.core.daily import run_daily
from enforcement.core.models import utcnow
from enforcement.extensions import db
from tests.search.test_freshness import TODAY, add_decisions, by_number, found


@pytest.fixture
def town(app, tmp_path, monkeypatch):
    from tests.disclosure.helpers import load_minimal_town

    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", str(tmp_path / "offsite" / "audit_anchors.jsonl"))
    load_minimal_town()
    db.session.commit()
    return app


def daily(app, *args):
    return app.test_cli_runner().invoke(args=["daily", "--today", TODAY.isoformat(), *args])


def audit_verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_an_ended_display_period_leaves_the_site_and_search_the_same_morning(town):
    add_decisions(2)
    run_daily(TODAY)
    assert found("报警装置").total == 2
    ended = by_number(f"京兴西罚字〔{TODAY.year}〕第0001号")
    ended.expires_on = TODAY
    db.session.commit()
    result = daily(town)
    assert result.exit_code == 0, result.output
    assert "公示期满：1 件决定已停止公示" in result.output
    assert by_number(f"京兴西罚字〔{TODAY.year}〕第0001号").status == "expired"
    assert [r["number"] for r in found("报警装置").results] == [f"京兴西罚字〔{TODAY.year}〕第0002号"]


def test_the_audit_head_is_anchored_outside_the_database_once_a_day(town):
    audit_log.record("decision.update", "decision", 1)
    db.session.commit()
    result = daily(town)
    assert result.exit_code == 0, result.output
    anchors = anchor.read_anchors()
    last = db.session.scalar(select(func.max(audit_log.AuditEvent.seq)))
    assert [a.seq for a in anchors] == [last]
    daily(town)  # nothing written since: no second line
    assert len(anchor.read_anchors()) == 1
    assert "与 1 个锚点一致" in audit_verify(town).output


def test_a_truncated_chain_with_its_head_rewound_is_caught_by_the_anchor(town):
    for i in range(5):
        audit_log.record("decision.update", "decision", i, after={"n": i})
    db.session.commit()
    assert daily(town).exit_code == 0
    # Someone with database access deletes the newest entries and rewinds the head to match.
    keep = db.session.get(audit_log.AuditEvent, 3)
    db.session.execute(text("DELETE FROM audit_events WHERE seq > 3"))
    db.session.execute(text("UPDATE audit_head SET last_seq = 3, last_hash = :h"), {"h": keep.hash})
    db.session.commit()
    assert audit_log.verify() == []  # the chain alone cannot tell
    result = audit_verify(town)
    assert result.exit_code == 1
    assert "截断或删除" in result.output
    anchored = len(anchor.read_anchors())
    result = daily(town)
    assert result.exit_code == 1 and "今日未锚定" in result.output
    assert len(anchor.read_anchors()) == anchored  # a broken chain is never anchored


def test_a_lost_head_row_is_reported_and_the_chain_goes_on_from_its_last_entry(town):
    for i in range(3):
        audit_log.record("decision.update", "decision", i)
    db.session.commit()
    db.session.execute(text("DELETE FROM audit_head"))
    db.session.commit()
    assert any("链头记录缺失" in p.what for p in audit_log.verify())
    audit_log.record("decision.update", "decision", 9)  # no duplicate sequence number: writes go on
    db.session.commit()
    actions = db.session.scalars(select(audit_log.AuditEvent.action).order_by(audit_log.AuditEvent.seq)).all()
    assert actions[-2:] == ["audit.head_restored", "decision.update"]
    assert audit_log.verify() == []


def test_login_attempts_older_than_the_keep_period_are_deleted(town):
    db.session.add_all([
        LoginAttempt(username="x", remote_addr="203.0.113.7", at=utcnow() - timedelta(days=91), success=False),
        LoginAttempt(username="y", remote_addr="203.0.113.8", at=utcnow() - timedelta(days=1), success=False),
    ])
    db.session.commit()
    report = run_daily(TODAY)
    assert report.pruned == 1
    assert db.session.scalars(select(LoginAttempt.username)).all() == ["y"]


def test_next_years_missing_holiday_calendar_is_warned_from_november(town):
    cal = calendar.current()
    last_known = max(y for y in range(2020, 2101) if cal.knows(y))
    assert not run_daily(date(last_known, 6, 1)).warnings
    warnings = run_daily(date(last_known, 11, 15)).warnings
    assert len(warnings) == 1 and f"{last_known + 1}年的节假日安排尚未录入" in warnings[0]


def test_the_in_process_safety_net_syncs_without_any_request(tmp_path):
    """A change committed outside any request (an import) reaches the index within the interval."""
    import time

    from enforcement.disclosure.models import Agency
    from enforcement.search.services import search
    from tests.conftest import drop_schema, make_app

    app, url = make_app(tmp_path, "safety_net", SEARCH_SYNC_INTERVAL_SECONDS=0.2)
    syncer = app.extensions["search_syncer"]
    try:
        with app.app_context():
            db.session.add(Agency(name="西红门镇人民政府", credit_code="11110115MB1C43589F", legal_status="statutory"))
            db.session.commit()
            syncer.ensure_started()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and search("", category="agency").total == 0:
                time.sleep(0.2)
            assert search("", category="agency").total == 1
    finally:
        syncer.stop()
        syncer.thread.join(10)
        with app.app_context():
            db.engine.dispose()
        drop_schema(url)
