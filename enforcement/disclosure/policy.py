"""Who may do what to which case: one authorisation function per action.

The model is CKAN's auth functions: every action on a case has one function
here, ``(user, obj) -> reason``, returning "" when allowed and otherwise the
Chinese reason for the refusal. Views, the lifecycle services, exports and the
command line all ask through ``authorize``/``allowed``; no view decides access
by itself. The rule (also in docs/case-access.md and the README):

- **Officers** act on the cases of their own enforcement subject (the account's
  agency, else the agency of its officer record; an entrusted organisation's
  officers also on the cases of the agency that entrusted it, in whose name
  they enforce, 行政处罚法 art. 20) and on cases they are
  explicitly assigned to (joint enforcement: ``CaseAssignment``, given with a
  reason by someone who may handle the case, audited). Handling means
  drafting, editing, submitting for review, deciding, publishing, ending,
  withdrawing, recording recusals, filing whole-process records and assigning.
  An officer who recused (行政处罚法 art. 43) or who legally reviewed the case
  does not handle it.
- **Legal reviewers** read every case and review a case only if they took no
  part in it, whatever other roles the account holds (art. 58): not drafted,
  edited, submitted, decided, published, filed records on, assigned to, nor
  named as or recused from being one of its officers. A first review needs
  the national legal qualification (DOMAIN.md).
- **Supervisors** read every case and change none (their findings live in the
  audit domain); **admins** read every case to support staff and change none.
- **Whole-process records** download under the case's read rule, by their
  random ``public_id``.
- ``None`` as the user is the system: commands run on the server by its
  operator (imports, expiry) and scheduled jobs. They obey every rule of the
  lifecycle but no personal scope; the audit log names them ``system``.

ASVS 4.0: V4.1.1 (enforced server-side), V4.1.3 (least privilege), V4.2.1
(no access by changing an identifier), V1.4.4 (one access-control mechanism).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select

from enforcement.accounts.models import User
from enforcement.core.enums import Role
from enforcement.core.errors import RuleViolation
from enforcement.disclosure.models import Agency, CaseAssignment, CaseParticipation, Decision, ProcessRecord
from enforcement.extensions import db

READ_ALL = frozenset({Role.SUPERVISOR, Role.REVIEWER, Role.ADMIN})
# Parts an account can take in a case (CaseParticipation.part).
PARTS = {"drafted": "起草", "edited": "修改", "submitted": "提交审核", "decided": "作出决定", "published": "公示",
         "ended": "登记变更撤销", "withdrawn": "撤回公示", "recusal": "登记回避", "filed": "归档记录",
         "assigned": "指派", "reviewed": "法制审核"}


class NotAuthorized(RuleViolation):
    """The account may not take this action on this case; views answer 403."""


def current_actor() -> User | None:
    """The signed-in user of the current request, or None (the system: a command or job)."""
    from flask import has_request_context
    from flask_login import current_user

    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user._get_current_object()
    return None


def case_agency_ids(user: User) -> set[int]:
    """The enforcement subjects whose cases this account handles as its own: its agency (the account's,
    else its officer record's) and, for an entrusted organisation, the agency that entrusted it, in whose
    name it enforces (行政处罚法 art. 20)."""
    agency_id = user.agency_id or (user.officer.agency_id if user.officer is not None else None)
    if not agency_id:
        return set()
    ids = {agency_id}
    agency = db.session.get(Agency, agency_id)
    if agency is not None and agency.entrusted_by:
        ids.update(db.session.scalars(select(Agency.id).where(Agency.name == agency.entrusted_by)))
    return ids


def is_assigned(user: User, d: Decision) -> bool:
    return db.session.scalar(select(CaseAssignment.id).where(
        CaseAssignment.decision_id == d.id, CaseAssignment.user_id == user.id)) is not None


def parts_taken(user: User, d: Decision) -> set[str]:
    """What this account did on the case (besides reviewing), including being named one of its officers."""
    parts = set(db.session.scalars(select(CaseParticipation.part).where(
        CaseParticipation.decision_id == d.id, CaseParticipation.user_id == user.id)))
    if user.officer_id is not None:
        if user.officer_id in {o.id for o in d.officers}:
            parts.add("handled")
        if user.officer_id in {r.officer_id for r in d.recusals}:
            parts.add("recused")
    if d.id is not None and is_assigned(user, d):
        parts.add("assigned")
    return parts - {"reviewed"}


def has_reviewed(user: User, d: Decision) -> bool:
    return any(r.reviewer_id == user.id for r in d.reviews)


# --- One function per action ------------------------------------------------------------------

def decision_read(user: User | None, d: Decision) -> str:
    if user is None or user.has_role(*READ_ALL):
        return ""
    if user.has_role(Role.OFFICER) and (d.agency_id in case_agency_ids(user) or is_assigned(user, d)):
        return ""
    return "本案不属于您所在执法主体，也未指派您办理，无权查看"


def decision_create(user: User | None, agency_id: int | None) -> str:
    if user is None:
        return ""
    if not user.has_role(Role.OFFICER):
        return "只有执法人员可以起草执法决定"
    if agency_id not in case_agency_ids(user):
        return "只能以您所在执法主体的名义起草执法决定"
    return ""


def decision_handle(user: User | None, d: Decision) -> str:
    if user is None:
        return ""
    if not user.has_role(Role.OFFICER):
        return "只有执法人员可以办理案件"
    if d.agency_id not in case_agency_ids(user) and not is_assigned(user, d):
        return "本案不属于您所在执法主体，也未指派您办理，无权办理"
    if user.officer_id is not None and user.officer_id in {r.officer_id for r in d.recusals}:
        return "您已申请回避本案，不能再办理（行政处罚法第四十三条）"
    if has_reviewed(user, d):
        return "您已对本案进行法制审核，不能再办理本案（行政处罚法第五十八条：审核与办理分离）"
    return ""


def decision_review(user: User | None, d: Decision) -> str:
    if user is None or not user.has_role(Role.REVIEWER):
        return "只有法制审核人员可以进行法制审核"
    if not user.has_legal_qualification:
        return "审核人员未取得法律职业资格，不能审核重大执法决定"
    taken = parts_taken(user, d)
    if taken:
        labels = "、".join(sorted(PARTS.get(p, {"handled": "承办", "recused": "承办后回避"}.get(p, p)) for p in taken))
        return f"审核人员参与了本案办理（{labels}），应当回避，不能审核本案（行政处罚法第五十八条）"
    return ""


def record_download(user: User | None, record: ProcessRecord) -> str:
    return decision_read(user, record.decision)


AUTH: dict[str, Callable[[User | None, Any], str]] = {
    "decision.read": decision_read,
    "decision.create": decision_create,
    "decision.update": decision_handle,
    "decision.submit_review": decision_handle,
    "decision.decide": decision_handle,
    "decision.masking": decision_handle,
    "decision.publish": decision_handle,
    "decision.end": decision_handle,
    "decision.withdraw": decision_handle,
    "decision.recuse": decision_handle,
    "decision.assign": decision_handle,
    "record.file": decision_handle,
    "decision.review": decision_review,
    "record.download": record_download,
}


def problem(action: str, user: User | None, obj: Any) -> str:
    """"" when ``user`` may take ``action`` on ``obj``; otherwise why not (Chinese). KeyError: unknown action."""
    return AUTH[action](user, obj)


def allowed(action: str, user: User | None, obj: Any) -> bool:
    return not problem(action, user, obj)


def authorize(action: str, user: User | None, obj: Any) -> None:
    """Raise ``NotAuthorized`` with the reason unless ``user`` may take ``action`` on ``obj``."""
    reason = problem(action, user, obj)
    if reason:
        raise NotAuthorized(reason)


def readable_cases(user: User | None):
    """A WHERE clause for the cases ``user`` may read (None: all), for lists and counts."""
    if user is None or user.has_role(*READ_ALL):
        return None
    if not user.has_role(Role.OFFICER):
        return Decision.id.is_(None)
    assigned = select(CaseAssignment.decision_id).where(CaseAssignment.user_id == user.id)
    return or_(Decision.agency_id.in_(sorted(case_agency_ids(user)) or [-1]), Decision.id.in_(assigned))


def record_part(user: User | None, d: Decision, part: str) -> None:
    """Remember that ``user`` took ``part`` in the case (once per account and part); the system takes none."""
    if user is None or d.id is None:
        return
    exists = db.session.scalar(select(CaseParticipation.id).where(
        CaseParticipation.decision_id == d.id, CaseParticipation.user_id == user.id, CaseParticipation.part == part))
    if exists is None:
        db.session.add(CaseParticipation(decision_id=d.id, user_id=user.id, part=part))
        db.session.flush()
