"""Every step leaves who/when/where/what/before/after in the hash-chained log, and tampering is detected."""

from __future__ import annotations

import json

from sqlalchemy import select, text

from enforcement.core import audit_log
from enforcement.core.audit_log import AuditEvent
from enforcement.disclosure import lifecycle, services
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import TODAY, draft_input, make_draft, mask_everything

town = fixtures.town  # the shared fixture


def run_a_case() -> None:
    d = make_draft()
    lifecycle.decide(d, TODAY, today=TODAY)
    mask_everything(d)
    lifecycle.publish(d, today=TODAY)
    db.session.commit()
    try:
        lifecycle.withdraw(d, "理由", today=TODAY)
    except services.RuleViolation:
        pass


def actions() -> list[tuple[str, str]]:
    return [(e.action, e.outcome) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def test_the_log_holds_every_step_including_the_refused_one(town):
    run_a_case()
    steps = [a for a in actions() if a[0].startswith("decision.")]
    assert steps == [("decision.create", "ok"), ("decision.decide", "ok"), ("decision.masking", "ok"),
                     ("decision.publish", "ok"), ("decision.withdraw", "refused")]
    assert audit_log.verify() == []


def test_an_edit_records_before_and_after_who_and_from_where(town, client):
    d = make_draft()
    login_as(client, "officer")
    client.post(f"/staff/decisions/{d.id}/edit", data={**draft_input(result="罚款人民币1,500元。", fine_amount="1500"),
                                                       "version": d.version}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision.update"))
    detail = json.loads(event.detail)
    assert (event.actor, event.remote_addr) == ("officer", "10.1.2.3")
    assert detail["before"]["fine_amount"] == "2000.00" and detail["after"]["fine_amount"] == "1500.00"
    assert set(detail["after"]) == {"fine_amount", "result"}


def test_editing_a_row_of_the_audit_table_is_detected_and_named(town):
    run_a_case()
    seq = db.session.scalar(select(AuditEvent.seq).where(AuditEvent.action == "decision.publish"))
    db.session.execute(text("UPDATE audit_events SET actor = 'someone-else' WHERE seq = :s"), {"s": seq})
    db.session.commit()
    problems = audit_log.verify()
    assert [p.seq for p in problems] == [seq] and "被修改" in problems[0].what


def test_deleting_a_row_of_the_audit_table_is_detected_and_named(town):
    run_a_case()
    seq = db.session.scalar(select(AuditEvent.seq).where(AuditEvent.action == "decision.decide"))
    db.session.execute(text("DELETE FROM audit_events WHERE seq = :s"), {"s": seq})
    db.session.commit()
    problems = audit_log.verify()
    assert problems and problems[0].seq == seq and "缺失" in problems[0].what
