"""The audit log is append-only and hash-chained; verify names any edited or deleted entry."""

from sqlalchemy import text

from enforcement.core import audit_log
from enforcement.extensions import db


def write_entries(n: int) -> None:
    for i in range(n):
        audit_log.record("decision.update", "decision", i, before={"result": "a"}, after={"result": "b"})
    db.session.commit()


def test_an_untouched_chain_verifies(app):
    write_entries(5)
    assert audit_log.verify() == []


def test_a_batch_continues_the_chain_in_order_and_moves_the_head_once(app):
    write_entries(2)
    events = audit_log.record_many([audit_log.Entry("decision.expire", "decision", i, after={"status": "expired"})
                                    for i in range(1, 4)])
    audit_log.record("decision.update", "decision", 9)
    db.session.commit()
    assert [e.seq for e in events] == [3, 4, 5] and [e.entity_id for e in events] == ["1", "2", "3"]
    assert events[0].prev_hash == db.session.get(audit_log.AuditEvent, 2).hash
    assert audit_log.verify() == []
    assert audit_log.record_many([]) == []


def test_an_edited_entry_is_named(app):
    write_entries(5)
    db.session.execute(text("UPDATE audit_events SET detail = '{}' WHERE seq = 3"))
    db.session.commit()
    problems = audit_log.verify()
    assert [p.seq for p in problems] == [3]
    assert "被修改" in problems[0].what


def test_a_deleted_entry_is_named(app):
    write_entries(5)
    db.session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    db.session.commit()
    problems = audit_log.verify()
    assert problems and problems[0].seq == 2 and "缺失" in problems[0].what


def test_deleting_the_last_entry_is_detected(app):
    write_entries(4)
    db.session.execute(text("DELETE FROM audit_events WHERE seq = 4"))
    db.session.commit()
    assert any("链尾" in p.what for p in audit_log.verify())


def test_a_refused_attempt_is_kept_although_the_attempt_rolled_back(app):
    write_entries(1)
    audit_log.record("decision.update", "decision", 1)  # part of a transaction that will be refused
    audit_log.record_refusal("decision.publish", "decision", 1, "未经法制审核")
    rows = db.session.execute(text("SELECT action, outcome FROM audit_events ORDER BY seq")).all()
    assert [tuple(r) for r in rows] == [("decision.update", "ok"), ("decision.publish", "refused")]
    assert audit_log.verify() == []
