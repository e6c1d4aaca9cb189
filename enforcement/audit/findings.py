"""Findings: a supervisor records, the assignee agency responds, the supervisor closes or reopens.

Every step is an audit-log entry in the same transaction; the rules refuse a
step from the wrong person or the wrong state with a Chinese message.
"""

from __future__ import annotations

from datetime import date

from enforcement.audit.models import Finding
from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.models import utcnow
from enforcement.core.textsafety import visible_text
from enforcement.disclosure.models import Agency
from enforcement.extensions import db


def _snapshot(f: Finding) -> dict:
    return {"status": f.status, "due_on": f.due_on, "agency_id": f.agency_id}


def user_agency_id(user) -> int | None:
    """The agency a staff user answers for: their own, or their officer record's."""
    if user.agency_id:
        return user.agency_id
    return user.officer.agency_id if getattr(user, "officer", None) else None


def record_finding(user, *, subject: str, description: str, agency_id: int, due_on: date, today: date,
                   check_code: str = "", entity: str = "", entity_id: str = "") -> Finding:
    if not user.has_role("supervisor"):
        raise RuleViolation("只有监督人员可以提出监督意见")
    subject, description = (subject or "").strip(), (description or "").strip()
    if not subject:
        raise RuleViolation("请填写问题摘要", field="subject")
    if not description:
        raise RuleViolation("请填写问题描述和整改要求", field="description")
    if db.session.get(Agency, agency_id) is None:
        raise RuleViolation("整改责任主体不存在", field="agency_id")
    if due_on <= today:
        raise RuleViolation("整改期限应晚于今天", field="due_on")
    finding = Finding(subject=subject[:300], description=description, agency_id=agency_id, due_on=due_on,
                      check_code=check_code, entity=entity, entity_id=str(entity_id or ""), created_by=user.username)
    db.session.add(finding)
    db.session.flush()
    audit_log.record("finding.create", "finding", finding.id,
                     after={**_snapshot(finding), "subject": finding.subject, "check": check_code,
                            "item": f"{entity}/{entity_id}" if entity else ""})
    return finding


def respond(finding: Finding, user, response: str) -> None:
    """An officer of the assignee agency reports the rectification."""
    if not user.has_role("officer") or user_agency_id(user) != finding.agency_id:
        raise RuleViolation("只有整改责任主体的执法人员可以反馈整改情况")
    if finding.status != "open":
        raise RuleViolation("该监督意见不在待整改状态")
    response = (response or "").strip()
    if not response:
        raise RuleViolation("请填写整改情况", field="response")
    before = _snapshot(finding)
    finding.response, finding.responded_by, finding.responded_at = response, user.username, utcnow()
    finding.status = "responded"
    db.session.flush()
    audit_log.record("finding.respond", "finding", finding.id, before=before,
                     after={**_snapshot(finding), "response": response})


def close(finding: Finding, user, note: str) -> None:
    """The supervisor accepts the rectification (销号), with a written opinion (kept as the log entry's reason).

    Raises RuleViolation: not a supervisor, no response yet, or an empty opinion.
    """
    if not user.has_role("supervisor"):
        raise RuleViolation("只有监督人员可以销号")
    if finding.status != "responded":
        raise RuleViolation("整改责任主体反馈整改情况后才能销号")
    note = visible_text(note)
    if not note:
        raise RuleViolation("请填写销号意见", field="note")
    before = _snapshot(finding)
    finding.status, finding.closed_at = "closed", utcnow()
    db.session.flush()
    audit_log.record("finding.close", "finding", finding.id, before=before, after=_snapshot(finding), reason=note)


def reopen(finding: Finding, user, reason: str, due_on: date, today: date) -> None:
    """The supervisor rejects the response or reopens a closed finding, with a new deadline."""
    if not user.has_role("supervisor"):
        raise RuleViolation("只有监督人员可以退回或重新打开")
    if finding.status == "open":
        raise RuleViolation("该监督意见尚在整改中")
    reason = visible_text(reason)
    if not reason:
        raise RuleViolation("请说明退回理由", field="reason")
    if due_on <= today:
        raise RuleViolation("新的整改期限应晚于今天", field="due_on")
    before = _snapshot(finding)
    finding.status, finding.due_on, finding.closed_at = "open", due_on, None
    finding.reopened += 1
    db.session.flush()
    audit_log.record("finding.reopen", "finding", finding.id, before=before, after=_snapshot(finding), reason=reason)


def history(finding: Finding) -> list[audit_log.AuditEvent]:
    """The finding's steps, straight from the tamper-evident audit log."""
    from sqlalchemy import select

    return list(db.session.scalars(select(audit_log.AuditEvent).where(
        audit_log.AuditEvent.entity == "finding", audit_log.AuditEvent.entity_id == str(finding.id))
        .order_by(audit_log.AuditEvent.seq)))
