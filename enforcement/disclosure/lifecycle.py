"""The decision lifecycle and its rules.

draft → (legal review when major) → decided → published → changed / revoked /
confirmed illegal / void → withdrawn with a public reason; expired at the end of
the display period. Each step is one function that checks its rule, changes the
record, and writes the audit entry in the same transaction (add and flush; the
request or command commits). A refused step raises ``RuleViolation`` with a
Chinese message after recording the refusal in the audit log; nothing else
changes.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from enforcement.accounts.models import User
from enforcement.core import audit_log, clock, settings
from enforcement.core.enums import CaseProcedure, DecisionKind, DecisionStatus, PenaltyKind
from enforcement.core.errors import RuleViolation
from enforcement.core.numbers import number_key
from enforcement.disclosure import policy, publish_check, rules
from enforcement.disclosure.case_info import (  # noqa: F401  (re-exported: the case page reads them here)
    MIN_OFFICERS,
    DeadlineInfo,
    case_deadlines,
    case_warnings,
    officer_problems,
)
from enforcement.disclosure.importing import DECISION_COLUMNS, decision_row
from enforcement.disclosure.models import (
    Decision,
    LegalReview,
    Officer,
    Power,
    Recusal,
)
from enforcement.disclosure.projection import PUBLIC_STATUSES
from enforcement.disclosure.services import (
    FormRejected,
    check_version,
    diff,
    refusals_audited,
    snapshot,
    validated,
)
from enforcement.extensions import db

# DOMAIN.md: what a legal review of a major decision covers, item by item.
REVIEW_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("subject_lawful", "执法主体合法"),
    ("officers_qualified", "执法人员具备执法资格"),
    ("procedure_lawful", "执法程序合法"),
    ("facts_sufficient", "案件事实清楚，证据确实充分"),
    ("law_applied", "适用法律、法规、规章准确，裁量基准运用适当"),
    ("within_powers", "未超越法定职权"),
    ("documents_complete", "执法文书完备、规范"),
    ("referral", "涉嫌犯罪的已移送司法机关（或不涉嫌犯罪）"),
)
ENDINGS = {DecisionStatus.CHANGED: "变更", DecisionStatus.REVOKED: "撤销",
           DecisionStatus.ILLEGAL: "确认违法", DecisionStatus.VOID: "确认无效"}
OFFICER_FLAG = "执法人员认定为重大执法决定"


DRAFT_COLUMNS = [c for c in DECISION_COLUMNS if c not in (
    "status", "decided_on", "published_on", "publish_due_on", "ended_on", "ended_reason", "withdrawn_on",
    "withdrawal_reason", "expires_on", "masking_confirmed")]


def decision_snapshot(d: Decision) -> dict[str, Any]:
    return {**snapshot(d, [*DRAFT_COLUMNS, "status"]), "officers": [o.id for o in d.officers],
            "powers": [p.id for p in d.powers]}


def _acting(actor: User | None) -> User | None:
    """The account taking a step: the one given, else the signed-in user, else None (the system)."""
    return actor if actor is not None else policy.current_actor()


def save_draft(d: Decision | None, raw: dict[str, Any], expected_version: int | None = None, *,
               actor: User | None = None) -> Decision:
    """Create or edit a draft; only a draft can be edited (a decided case changes through the lifecycle).

    Raises ``policy.NotAuthorized`` when the account may not handle the case or draft for the agency
    named, ``Conflict`` on a stale version, ``FormRejected``/``RuleViolation`` on bad input.
    """
    action = "decision.update" if d is not None else "decision.create"
    actor = _acting(actor)
    with refusals_audited(action, "decision", d.id if d is not None else raw.get("number", "")):
        if d is not None:
            policy.authorize("decision.update", actor, d)
        check_version(d, expected_version)
        if d is not None and d.status != DecisionStatus.DRAFT:
            raise RuleViolation(f"只有草稿可以修改（当前状态：{_status_label(d)}）；已作出的决定请通过变更、撤销办理")
        record = validated("decisions", {**raw, "status": DecisionStatus.DRAFT})
        if d is None or record["agency_id"] != d.agency_id:
            policy.authorize("decision.create", actor, record["agency_id"])
        errors = _draft_errors(d, record)
        if errors:
            raise FormRejected(errors)
        before = decision_snapshot(d) if d is not None else {}
        row = decision_row(record)
        if record["is_major"]:
            row["major_reasons"] = "；".join(filter(None, [row["major_reasons"], OFFICER_FLAG]))
        if d is None:
            d = Decision(status=DecisionStatus.DRAFT)
            db.session.add(d)
        for c in DRAFT_COLUMNS:
            setattr(d, c, row[c])
        d.officers = list(db.session.scalars(select(Officer).where(Officer.id.in_(record["officer_ids"]))))
        d.powers = list(db.session.scalars(select(Power).where(Power.id.in_(record["power_ids"]))))
        db.session.flush()
        old, new = diff(before, decision_snapshot(d))
        audit_log.record(action, "decision", d.id, before=old, after=new)
        policy.record_part(actor, d, "drafted" if action == "decision.create" else "edited")
    return d


def _draft_errors(d: Decision | None, r: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    clash = db.session.scalar(select(Decision.id).where(Decision.number_key == number_key(r["number"])))
    if clash is not None and (d is None or clash != d.id):
        errors.append(("number", f"决定文号 {r['number']} 已存在"))
    if PenaltyKind.FINE in r["penalty_kinds"] and r["fine_amount"] is None:
        errors.append(("fine_amount", "处罚种类含罚款时须填写罚款金额"))
    if d is not None:
        recused = {x.officer_id: x.officer.name for x in d.recusals}
        for officer_id in r["officer_ids"]:
            if officer_id in recused:
                errors.append(("officers", f"{recused[officer_id]}已申请回避本案，不能再作为承办人员"))
    message = simple_procedure_problem(r["procedure"], r["kind"], r["penalty_kinds"], r["fine_amount"], r["party_type"])
    if message:
        errors.append(("procedure", message))
    return errors


def simple_procedure_problem(procedure: str, kind: str, penalty_kinds: list[str], fine_amount, party_type: str) -> str:
    """行政处罚法 art. 51: on the spot only a warning or a fine up to 200 (person) / 3,000 yuan (organisation)."""
    if procedure != CaseProcedure.SIMPLE:
        return ""
    if kind != DecisionKind.PENALTY:
        return "简易程序只适用于行政处罚决定"
    if not set(penalty_kinds) <= {PenaltyKind.WARNING, PenaltyKind.FINE} or not penalty_kinds:
        return "简易程序只能给予警告或者罚款（行政处罚法第五十一条），其他处罚应适用普通程序"
    person = rules.is_person(party_type)
    limit = settings.get("simple_fine_limit_person" if person else "simple_fine_limit_org")
    if fine_amount is not None and fine_amount > limit:
        who = "公民" if person else "法人或者其他组织"
        return f"简易程序对{who}的罚款不得超过{limit:,}元（行政处罚法第五十一条），本案罚款{fine_amount:,.0f}元应适用普通程序"
    return ""


def recuse(d: Decision, officer_id: int, reason: str, recorded_by: str, *, actor: User | None = None) -> Recusal:
    """An officer with a direct interest stands aside (art. 43): off the case, and cannot be put back."""
    actor = _acting(actor)
    with refusals_audited("decision.recuse", "decision", d.id):
        policy.authorize("decision.recuse", actor, d)
        if d.status not in (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW):
            raise RuleViolation("决定作出后不能再登记回避")
        officer = next((o for o in d.officers if o.id == officer_id), None)
        if officer is None:
            raise RuleViolation("该执法人员不是本案承办人员", field="officer_id")
        if not reason.strip():
            raise RuleViolation("请填写回避理由", field="reason")
        recusal = Recusal(decision=d, officer_id=officer_id, reason=reason.strip(), recorded_by=recorded_by)
        d.officers = [o for o in d.officers if o.id != officer_id]
        db.session.add(recusal)
        db.session.flush()
        audit_log.record("decision.recuse", "decision", d.id, before={"officers": [*[o.id for o in d.officers], officer_id]},
                         after={"officers": [o.id for o in d.officers], "recused": officer_id, "reason": recusal.reason})
        policy.record_part(actor, d, "recusal")
    return recusal


# --- Legal review ----------------------------------------------------------------------------

def major_reasons(d: Decision) -> list[str]:
    """Why this case needs legal review: the rules' criteria, or the officer's own flag."""
    reasons = rules.major_reasons(d.kind, d.penalty_kind_list, d.fine_amount, d.party_type, d.discretion_adjusted)
    if OFFICER_FLAG in (d.major_reasons or "") or (d.is_major and not reasons):
        reasons.append(OFFICER_FLAG)
    return reasons


def reviewer_problem(d: Decision, reviewer: User) -> str:
    """Why ``reviewer`` may not review ``d`` ("" if they may): ``policy.decision_review``."""
    return policy.decision_review(reviewer, d)


def passing_review(d: Decision) -> LegalReview | None:
    """The latest review, if it passed and its reviewer was entitled to give it."""
    latest = d.reviews[-1] if d.reviews else None
    if latest is None or not latest.passed or reviewer_problem(d, latest.reviewer):
        return None
    return latest


def submit_for_review(d: Decision, *, actor: User | None = None) -> None:
    actor = _acting(actor)
    with refusals_audited("decision.submit_review", "decision", d.id):
        policy.authorize("decision.submit_review", actor, d)
        if d.status != DecisionStatus.DRAFT:
            raise RuleViolation(f"只有草稿可以提交法制审核（当前状态：{_status_label(d)}）")
        if not major_reasons(d):
            raise RuleViolation("本案不属于重大执法决定，无需法制审核，可直接作出决定")
        d.status = DecisionStatus.IN_REVIEW
        db.session.flush()
        audit_log.record("decision.submit_review", "decision", d.id, before={"status": "draft"},
                         after={"status": d.status})
        policy.record_part(actor, d, "submitted")


def record_review(d: Decision, reviewer: User, *, passed: bool, opinion: str, checklist: dict[str, bool],
                  reviewed_on: date, today: date | None = None) -> LegalReview:
    """A pass needs every checklist item confirmed; a failure sends the case back to draft."""
    today = today or clock.today()
    with refusals_audited("decision.review", "decision", d.id):
        if d.status != DecisionStatus.IN_REVIEW:
            raise RuleViolation(f"该决定不在法制审核阶段（当前状态：{_status_label(d)}）")
        problem = reviewer_problem(d, reviewer)
        if problem:
            raise RuleViolation(problem)
        if not opinion.strip():
            raise RuleViolation("请填写书面审核意见", field="opinion")
        if reviewed_on > today:
            raise RuleViolation("审核日期不能晚于今天", field="reviewed_on")
        unchecked = [label for key, label in REVIEW_CHECKLIST if not checklist.get(key)]
        if passed and unchecked:
            raise RuleViolation("审核通过须逐项确认审核要点，尚未确认：" + "、".join(unchecked), field="checklist")
        review = LegalReview(decision=d, reviewer_id=reviewer.id, reviewer=reviewer, reviewed_on=reviewed_on,
                             passed=passed, opinion=opinion.strip(),
                             checklist=json.dumps({k: bool(checklist.get(k)) for k, _l in REVIEW_CHECKLIST}))
        db.session.add(review)
        if not passed:
            d.status = DecisionStatus.DRAFT
        db.session.flush()
        audit_log.record("decision.review", "decision", d.id, after={
            "passed": passed, "opinion": review.opinion, "reviewed_on": reviewed_on, "status": d.status,
            "checklist": json.loads(review.checklist)})
        policy.record_part(reviewer, d, "reviewed")
    return review


# --- Deciding, publishing, ending, withdrawing, expiring ------------------------------------

def _review_problem(d: Decision) -> str:
    reasons = major_reasons(d)
    if reasons and passing_review(d) is None:
        return f"重大执法决定（{'；'.join(reasons)}）未经法制审核通过，不得作出决定或公示（行政处罚法第五十八条）"
    return ""


def decide(d: Decision, decided_on: date, today: date | None = None, *, actor: User | None = None) -> None:
    today = today or clock.today()
    actor = _acting(actor)
    with refusals_audited("decision.decide", "decision", d.id):
        policy.authorize("decision.decide", actor, d)
        if d.status not in (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW):
            raise RuleViolation(f"该决定已作出（当前状态：{_status_label(d)}）")
        if decided_on > today:
            raise RuleViolation("决定日期不能晚于今天", field="decided_on")
        if d.filed_on and decided_on < d.filed_on:
            raise RuleViolation("决定日期不能早于立案日期", field="decided_on")
        problems = officer_problems(d, decided_on)
        simple = simple_procedure_problem(d.procedure, d.kind, d.penalty_kind_list, d.fine_amount, d.party_type)
        review = _review_problem(d)
        for message in (review, simple, "；".join(problems)):
            if message:
                raise RuleViolation(message)
        before = {"status": d.status}
        d.status, d.decided_on = DecisionStatus.DECIDED, decided_on
        d.publish_due_on = rules.publish_deadline(d.kind, decided_on).due
        db.session.flush()
        audit_log.record("decision.decide", "decision", d.id, before=before,
                         after={"status": d.status, "decided_on": decided_on, "publish_due_on": d.publish_due_on})
        policy.record_part(actor, d, "decided")


def publish(d: Decision, today: date | None = None, *, actor: User | None = None) -> None:
    """Publish the masked projection; refused until every suspected private value is dealt with."""
    today = today or clock.today()
    actor = _acting(actor)
    with refusals_audited("decision.publish", "decision", d.id):
        policy.authorize("decision.publish", actor, d)
        review = _review_problem(d)
        if review:
            raise RuleViolation(review)
        if d.status != DecisionStatus.DECIDED:
            raise RuleViolation(f"只有已作出的决定可以公示（当前状态：{_status_label(d)}）")
        if not rules.needs_publication(d.kind, d.procedure, d.penalty_kind_list, d.party_is_minor):
            raise RuleViolation("本案依法不予公开（未成年人案件，或不公示的简易程序警告）")
        pending = publish_check.unresolved(d)
        if pending:
            raise RuleViolation("以下疑似个人信息尚未处理，请逐项选择隐去或确认可以公开：" +
                                "、".join(f"{s.kind_label}“{s.value}”" for s in pending))
        d.status, d.published_on = DecisionStatus.PUBLISHED, today
        d.expires_on = rules.expiry_date(d.kind, d.penalty_kind_list, d.fine_amount, d.party_type, today)
        db.session.flush()
        audit_log.record("decision.publish", "decision", d.id, before={"status": DecisionStatus.DECIDED},
                         after={"status": d.status, "published_on": today, "expires_on": d.expires_on,
                                "late": bool(d.publish_due_on and today > d.publish_due_on)})
        policy.record_part(actor, d, "published")


def end_decision(d: Decision, how: str, ended_on: date, reason: str, today: date | None = None, *, actor: User | None = None) -> None:
    """Changed, revoked, confirmed illegal or void: the withdrawal clock (3 working days) starts."""
    today = today or clock.today()
    actor = _acting(actor)
    with refusals_audited("decision.end", "decision", d.id):
        policy.authorize("decision.end", actor, d)
        if how not in ENDINGS:
            raise RuleViolation("请选择变更、撤销、确认违法或确认无效", field="how")
        if d.status not in (DecisionStatus.DECIDED, DecisionStatus.PUBLISHED):
            raise RuleViolation(f"只有已作出或已公示的决定可以{ENDINGS[how]}（当前状态：{_status_label(d)}）")
        if not reason.strip():
            raise RuleViolation("请填写原因", field="reason")
        if ended_on > today or (d.decided_on and ended_on < d.decided_on):
            raise RuleViolation("日期应在决定日期与今天之间", field="ended_on")
        before = {"status": d.status}
        d.status, d.ended_on, d.ended_reason = how, ended_on, reason.strip()
        db.session.flush()
        audit_log.record("decision.end", "decision", d.id, before=before,
                         after={"status": how, "ended_on": ended_on, "ended_reason": d.ended_reason})
        policy.record_part(actor, d, "ended")


def withdraw(d: Decision, reason: str, today: date | None = None, *, actor: User | None = None) -> None:
    """Take the body off the public site, leaving a public notice with the reason (art. 48)."""
    today = today or clock.today()
    actor = _acting(actor)
    with refusals_audited("decision.withdraw", "decision", d.id):
        policy.authorize("decision.withdraw", actor, d)
        if d.status not in ENDINGS:
            raise RuleViolation("只有被变更、撤销、确认违法或无效的决定需要撤回公示")
        if d.published_on is None:
            raise RuleViolation("该决定尚未公示，无需撤回")
        if not reason.strip():
            raise RuleViolation("请填写将向社会公开的撤回理由", field="reason")
        private = publish_check.suspects_in(d, reason)
        if private:
            raise RuleViolation("撤回理由将向社会公开，不得包含个人信息：" + "、".join(
                f"{s.kind_label}“{s.value}”" for s in private), field="reason")
        before = {"status": d.status}
        d.status, d.withdrawn_on, d.withdrawal_reason = DecisionStatus.WITHDRAWN, today, reason.strip()
        db.session.flush()
        audit_log.record("decision.withdraw", "decision", d.id, before=before, after={
            "status": d.status, "withdrawn_on": today, "withdrawal_reason": d.withdrawal_reason,
            "late": today > rules.withdraw_deadline(d.ended_on).due if d.ended_on else False})
        policy.record_part(actor, d, "withdrawn")


def expire_due(today: date | None = None, batch: int = 1000) -> int:
    """Mark every decision whose display period has ended as expired; returns how many.

    ORM writes (change log, maintained counts and one audit entry each), flushed and audited ``batch``
    decisions at a time (``audit_log.record_many``): the first nightly run after importing years of
    history may expire tens of thousands at once. Flushes; the caller commits.
    """
    today = today or clock.today()
    due = db.session.scalars(select(Decision).where(
        Decision.status.in_(sorted(PUBLIC_STATUSES)), Decision.expires_on.is_not(None), Decision.expires_on <= today,
    ).order_by(Decision.id)).all()
    for start in range(0, len(due), batch):
        chunk, entries = due[start:start + batch], []
        for d in chunk:
            entries.append(audit_log.Entry("decision.expire", "decision", d.id, before={"status": d.status},
                                           after={"status": DecisionStatus.EXPIRED, "expires_on": d.expires_on}))
            d.status = DecisionStatus.EXPIRED
        db.session.flush()
        audit_log.record_many(entries)
    return len(due)


def _status_label(d: Decision) -> str:
    return DecisionStatus.labels().get(d.status, d.status)
