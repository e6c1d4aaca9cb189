"""The decision workflow as a task list: the case's stage, and each step with whether it can be taken now.

草稿 → 待法制审核 → 审核通过 / 退回（原因） → 已决定 → 已公示 → 变更、撤销… → 已撤回公示.
The stored status (``DecisionStatus``) does not say whether a review passed or sent the case
back; ``stage`` reads both. ``tasks`` lists the steps the way the GOV.UK task-list pattern does:
each with a state and, when it cannot be taken yet, why, so that a page offers an action only
when the lifecycle would accept it and explains a refusal before the officer tries.
The rules themselves stay in ``lifecycle`` (this module only asks the same questions early).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from enforcement.core import clock
from enforcement.core.audit_log import AuditEvent
from enforcement.core.enums import DecisionStatus
from enforcement.disclosure import lifecycle, publish_check, rules
from enforcement.disclosure.models import Decision, LegalReview
from enforcement.disclosure.staff_display import masked
from enforcement.extensions import db

# Task states (GOV.UK task list): the tag shown next to each step.
DONE, READY, WAITING, BLOCKED, NOT_NEEDED = "done", "ready", "waiting", "blocked", "not_needed"
STATE_LABELS = {DONE: "已完成", READY: "可以办理", WAITING: "等待中", BLOCKED: "暂不能办理", NOT_NEEDED: "无需办理"}


@dataclass(frozen=True)
class Stage:
    code: str  # "draft", "returned", "in_review", "review_passed", or a DecisionStatus value
    label: str  # Chinese, e.g. 待法制审核


@dataclass(frozen=True)
class Task:
    key: str  # "draft", "review", "decide", "publish"
    label: str
    state: str  # DONE, READY, WAITING, BLOCKED, NOT_NEEDED
    detail: str = ""  # what was done, or what is missing (Chinese)
    missing: tuple[str, ...] = ()  # each thing to do first, when BLOCKED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def returned_review(d: Decision) -> LegalReview | None:
    """The review that sent the case back (the latest review failed and the case is a draft again), else None."""
    latest = d.reviews[-1] if d.reviews else None
    if latest is not None and not latest.passed and d.status == DecisionStatus.DRAFT:
        return latest
    return None


def stage(d: Decision) -> Stage:
    """Where the case stands, as the officer and reviewer name it: 审核通过 and 退回 included."""
    if d.status == DecisionStatus.DRAFT:
        return Stage("returned", "退回修改") if returned_review(d) else Stage("draft", "草稿")
    if d.status == DecisionStatus.IN_REVIEW:
        return Stage("review_passed", "审核通过") if lifecycle.passing_review(d) else Stage("in_review", "待法制审核")
    return Stage(d.status, DecisionStatus.labels().get(d.status, d.status))


def decide_blockers(d: Decision, on: date | None = None) -> list[str]:
    """What must happen before ``lifecycle.decide`` would accept the case today ([] when it would)."""
    on = on or clock.today()
    if d.status not in (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW):
        return []
    missing = []
    review = lifecycle._review_problem(d)
    if review:
        missing.append("须先经法制审核通过" + ("（已提交，等待审核）" if d.status == DecisionStatus.IN_REVIEW else ""))
    problems = lifecycle.officer_problems(d, on)
    if problems:
        missing.append("；".join(problems))
    simple = lifecycle.simple_procedure_problem(d.procedure, d.kind, d.penalty_kind_list, d.fine_amount, d.party_type)
    if simple:
        missing.append(simple)
    return missing


def publish_blockers(d: Decision) -> list[str]:
    """What must happen before ``lifecycle.publish`` would accept the case, masking choices aside ([]: ready).

    The masking choices are made on the publish page itself, so they are not listed here.
    """
    if d.published_on is not None:
        return [f"本案已于{d.published_on.isoformat()}公示，无需再次公示"]
    if not rules.needs_publication(d.kind, d.procedure, d.penalty_kind_list, d.party_is_minor):
        return ["本案依法不予公开（未成年人案件，或不公示的简易程序警告）"]
    missing = []
    if lifecycle.major_reasons(d) and lifecycle.passing_review(d) is None:
        missing.append("重大执法决定须先经法制审核通过（行政处罚法第五十八条）")
    if d.status in (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW):
        missing.append("须先作出决定（填写决定日期并点击“作出决定”）")
    elif d.status != DecisionStatus.DECIDED:
        missing.append(f"当前状态为{stage(d).label}，不能公示")
    return missing


def tasks(d: Decision, today: date | None = None) -> list[Task]:
    """The steps of the case in order, each with its state and what is missing (see module docstring)."""
    today = today or clock.today()
    result = [_draft_task(d), _review_task(d), _decide_task(d, today), _publish_task(d)]
    if d.ended_on is not None:
        how = lifecycle.ENDINGS.get(d.status, "变更、撤销")
        result.append(Task("end", "变更、撤销或确认违法、无效", DONE, f"{d.ended_on.isoformat()} {how}"))
        if d.published_on is not None:
            done = d.withdrawn_on is not None
            result.append(Task("withdraw", "撤回公示", DONE if done else READY,
                               f"{d.withdrawn_on.isoformat()}已撤回" if done else "须在3个工作日内撤回原公示信息"))
    return result


def _draft_task(d: Decision) -> Task:
    if d.status == DecisionStatus.DRAFT:
        back = returned_review(d)
        detail = f"法制审核退回：{back.opinion}" if back else "可继续编辑"
        return Task("draft", "填写决定草稿", READY, detail)
    return Task("draft", "填写决定草稿", DONE)


def _review_task(d: Decision) -> Task:
    reasons = lifecycle.major_reasons(d)
    label = "法制审核"
    if not reasons:
        return Task("review", label, NOT_NEEDED, "本案不属于重大执法决定")
    passed = lifecycle.passing_review(d)
    if passed is not None:
        return Task("review", label, DONE, f"{passed.reviewed_on.isoformat()}审核通过")
    if d.status == DecisionStatus.IN_REVIEW:
        return Task("review", label, WAITING, "已提交，等待法制审核人员审核")
    if d.status == DecisionStatus.DRAFT:
        back = returned_review(d)
        detail = "重大执法决定：" + "；".join(reasons)
        if back:
            detail = f"已退回（{back.reviewed_on.isoformat()}），修改后可重新提交"
        return Task("review", label, READY, detail)
    return Task("review", label, BLOCKED, "未经法制审核通过", ("法制审核通过",))


def _decide_task(d: Decision, today: date) -> Task:
    label = "作出决定"
    if d.decided_on is not None:
        return Task("decide", label, DONE, d.decided_on.isoformat())
    missing = decide_blockers(d, today)
    if missing:
        return Task("decide", label, BLOCKED, "；".join(missing), tuple(missing))
    return Task("decide", label, READY)


def _publish_task(d: Decision) -> Task:
    label = "隐去个人信息并公示"
    if d.published_on is not None:
        return Task("publish", label, DONE, d.published_on.isoformat())
    if not rules.needs_publication(d.kind, d.procedure, d.penalty_kind_list, d.party_is_minor):
        return Task("publish", label, NOT_NEEDED, "本案依法不予公开")
    missing = publish_blockers(d)
    if missing:
        return Task("publish", label, BLOCKED, "；".join(missing), tuple(missing))
    pending = publish_check.unresolved(d)
    detail = f"{len(pending)}处疑似个人信息待处理" if pending else ""
    return Task("publish", label, READY, detail)


# --- The reviewer's queue --------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRow:
    decision: Decision
    title: str  # 案由 with personal data masked (a staff list page shows no private data)
    submitted_on: date
    waiting_days: int
    reasons: list[str]
    problem: str  # why the signed-in reviewer may not review it ("" if they may)


def review_queue(reviewer, today: date | None = None) -> list[QueueRow]:
    """Cases awaiting legal review (submitted, no passing review yet), the longest waiting first.

    The waiting time runs from the latest submission in the audit log (the case's last change when
    none was logged, e.g. imported data), in calendar days.
    """
    today = today or clock.today()
    submitted = (select(AuditEvent.entity_id, func.max(AuditEvent.at))
                 .where(AuditEvent.action == "decision.submit_review", AuditEvent.outcome == "ok",
                        AuditEvent.entity == "decision")
                 .group_by(AuditEvent.entity_id))
    cases = db.session.scalars(select(Decision).where(Decision.status == DecisionStatus.IN_REVIEW)).all()
    ids = {str(d.id) for d in cases}
    since = {int(k): v for k, v in db.session.execute(submitted.where(AuditEvent.entity_id.in_(ids or {""})))}
    rows = []
    for d in cases:
        if lifecycle.passing_review(d) is not None:
            continue
        at: datetime | None = since.get(d.id) or getattr(d, "updated_at", None) or getattr(d, "created_at", None)
        local = clock.to_local(at) if at else None
        day = local.date() if local else today
        title = masked(d, d.title)
        rows.append(QueueRow(d, title, day, max(0, (today - day).days), lifecycle.major_reasons(d),
                             lifecycle.reviewer_problem(d, reviewer)))
    rows.sort(key=lambda r: (r.submitted_on, r.decision.id))
    return rows
