"""Joint enforcement: assigning an account of another agency to a case, explicitly and on the record.

An assignment is given by someone who may handle the case (``policy``
``decision.assign``), with a reason; it is audited and it is what lets an
officer outside the case's agency read and handle the case. Taking it back is
audited too. An assigned account has taken part in the case, so it can never
be the case's legal reviewer (行政处罚法 art. 58).
"""

from __future__ import annotations

from sqlalchemy import select

from enforcement.accounts.models import User
from enforcement.core import audit_log
from enforcement.core.enums import Role
from enforcement.core.errors import RuleViolation
from enforcement.disclosure import policy
from enforcement.disclosure.models import CaseAssignment, Decision
from enforcement.disclosure.services import refusals_audited
from enforcement.extensions import db


def assign(d: Decision, username: str, reason: str, *, actor: User | None = None) -> CaseAssignment:
    """Assign the officer account ``username`` to ``d``.

    Raises ``policy.NotAuthorized`` if ``actor`` (default: the signed-in user, else the system) may not
    handle the case; ``RuleViolation`` for an unknown or non-officer account, a missing reason or a
    repeated assignment."""
    actor = actor if actor is not None else policy.current_actor()
    with refusals_audited("decision.assign", "decision", d.id):
        policy.authorize("decision.assign", actor, d)
        user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
        if user is None or not user.enabled:
            raise RuleViolation(f"用户 {username} 不存在或已停用", field="username")
        if not user.has_role(Role.OFFICER):
            raise RuleViolation("只能指派执法人员办理案件", field="username")
        if not reason.strip():
            raise RuleViolation("请填写指派理由（如联合执法的依据）", field="reason")
        if policy.is_assigned(user, d):
            raise RuleViolation(f"{user.username} 已被指派办理本案", field="username")
        assignment = CaseAssignment(decision_id=d.id, user_id=user.id, reason=reason.strip()[:2000],
                                    assigned_by=actor.username if actor is not None else "system")
        db.session.add(assignment)
        db.session.flush()
        audit_log.record("decision.assign", "decision", d.id,
                         after={"assigned": user.username, "reason": assignment.reason})
        policy.record_part(actor, d, "assigned")
    return assignment


def unassign(d: Decision, assignment_id: int, *, actor: User | None = None) -> None:
    """Take an assignment back (the account keeps its history in the audit log and its participation)."""
    actor = actor if actor is not None else policy.current_actor()
    with refusals_audited("decision.unassign", "decision", d.id):
        policy.authorize("decision.assign", actor, d)
        assignment = db.session.get(CaseAssignment, assignment_id)
        if assignment is None or assignment.decision_id != d.id:
            raise RuleViolation("该指派不属于本案")
        username = assignment.user.username
        db.session.delete(assignment)
        db.session.flush()
        audit_log.record("decision.unassign", "decision", d.id, before={"assigned": username})


def assignments_of(d: Decision) -> list[CaseAssignment]:
    return list(db.session.scalars(select(CaseAssignment).where(CaseAssignment.decision_id == d.id)
                                   .order_by(CaseAssignment.id)))
