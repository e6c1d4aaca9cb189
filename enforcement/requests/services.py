"""Handling a request on the statutory clock: receipt, correction, consultation, extension, closure, appeals.

Every action is one function that checks the rule, appends a ``RequestEvent``
(who, which day, who approved it), recomputes the clock from the events
(``clock.replay``) and writes the audit log. Services add and flush; the
request or command commits. Policy: officers handle requests, supervisors and
admins read (``may_handle`` / ``may_read``), for views, CLI and demo alike.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from enforcement.core import audit_log, calendar
from enforcement.core.errors import RuleViolation
from enforcement.extensions import db
from enforcement.requests import clock
from enforcement.requests.codes import (
    CONFIRMED_CHANNELS,
    DISCLOSABLE,
    OUTCOME_BY_CODE,
    AppealKind,
    AppealResult,
    EventKind,
    Status,
)
from enforcement.requests.models import InfoRequest, RequestAppeal, RequestEvent, RequestReply


def may_handle(user) -> bool:
    """Officers handle requests (register, correct, extend, answer)."""
    return bool(user and user.is_authenticated and user.has_role("officer"))


def may_read(user) -> bool:
    """Officers, supervisors and admins read requests and their letters."""
    return bool(user and user.is_authenticated and user.has_role("officer", "supervisor", "admin"))


def refresh(req: InfoRequest) -> None:
    """Recompute the request's clock columns from its events."""
    state = clock.replay(req.received_on, req.events)
    req.clock_start = state.clock_start
    req.due_on = state.due_on if req.status in (Status.PROCESSING, Status.CONSULTING) else None
    if req.status == Status.ANSWERED and req.reply is not None:
        req.due_on = state.due_on
    req.correction_due_on = state.correction_due_on
    req.due_provisional = bool(req.due_on) and state.provisional


def _event(req: InfoRequest, kind: str, on: date, actor: str, **kw) -> RequestEvent:
    if on > clock.today():
        raise RuleViolation("日期不能晚于今天", field="on")
    last = max((e.on for e in req.events), default=on)
    if on < last:
        raise RuleViolation(f"日期不能早于上一步（{last.isoformat()}）", field="on")
    event = RequestEvent(kind=kind, on=on, actor=actor, **kw)
    req.events.append(event)
    return event


def _require(req: InfoRequest, *statuses: str) -> None:
    if req.status not in statuses:
        raise RuleViolation(f"申请当前状态为“{Status.labels()[req.status]}”，不能进行此操作")


def confirm_receipt(req: InfoRequest, on: date, actor: str) -> None:
    """Online, ordinary-post and fax requests are received on the day both sides confirm (art. 31)."""
    _require(req, Status.AWAITING_RECEIPT)
    if req.channel not in CONFIRMED_CHANNELS:
        raise RuleViolation("该渠道的申请在登记时已确定收到日期")
    if on < req.submitted_on:
        raise RuleViolation("确认日期不能早于提交日期", field="on")
    _event(req, EventKind.RECEIVED, on, actor)
    req.received_on, req.status = on, Status.PROCESSING
    refresh(req)
    audit_log.record("request.receive", "info_request", req.id, after={"received_on": on})


def request_correction(req: InfoRequest, on: date, actor: str, what: str,
                       period_days: int = clock.DEFAULT_CORRECTION_PERIOD) -> None:
    """The one correction notice (补正, art. 30): within 7 working days of receipt, stating what to
    correct and a reasonable period (working days); the answer clock stops until the correction arrives."""
    _require(req, Status.PROCESSING)
    if any(e.kind == EventKind.CORRECTION_REQUESTED for e in req.events):
        raise RuleViolation("补正应当一次性告知，本申请已告知过补正")
    if not what.strip():
        raise RuleViolation("请说明需要补正的事项", field="what")
    if not 1 <= period_days <= 60:
        raise RuleViolation("补正期限应为1至60个工作日", field="period_days")
    last_day = clock.correction_notice_due(req.received_on)
    if on > last_day:
        raise RuleViolation(f"补正告知应当自收到申请之日起7个工作日内作出（最迟{last_day.isoformat()}）", field="on")
    until = clock.working_days(on, period_days)
    _event(req, EventKind.CORRECTION_REQUESTED, on, actor, until=until, days=period_days, note=what.strip())
    req.status = Status.CORRECTION
    refresh(req)
    audit_log.record("request.correction", "info_request", req.id, after={"on": on, "until": until})


def receive_correction(req: InfoRequest, on: date, text: str, actor: str) -> None:
    """The applicant's correction arrived on ``on``: the 20 working days run again from that day (art. 30).

    A correction after the stated period is refused: the request is then closed with
    ``lapse_uncorrected`` (unless staff accept a good reason by recording it before the deadline).
    """
    _require(req, Status.CORRECTION)
    if not text.strip():
        raise RuleViolation("请填写补正内容", field="text")
    if req.correction_due_on and on > req.correction_due_on:
        raise RuleViolation(f"已超过补正期限（{req.correction_due_on.isoformat()}）", field="on")
    _event(req, EventKind.CORRECTED, on, actor, note=text.strip())
    req.status = Status.PROCESSING
    refresh(req)
    audit_log.record("request.corrected", "info_request", req.id, after={"on": on})


def lapse_uncorrected(req: InfoRequest, on: date, actor: str) -> None:
    """No correction in time without good reason: the request is abandoned (art. 30), counted under
    其他处理 “申请人无正当理由逾期不补正”. Only after the correction period has passed."""
    _require(req, Status.CORRECTION)
    if req.correction_due_on is None or on <= req.correction_due_on:
        raise RuleViolation(f"补正期限（{req.correction_due_on}）届满后才能按视为放弃申请处理", field="on")
    _event(req, EventKind.CLOSED, on, actor, note="申请人无正当理由逾期不补正，视为放弃申请")
    req.status, req.outcome, req.closed_on = Status.CLOSED, "other.no_correction", on
    refresh(req)
    audit_log.record("request.lapse", "info_request", req.id, after={"on": on})


def start_consultation(req: InfoRequest, on: date, actor: str, party: str, approved_by: str) -> None:
    """Ask a third party (art. 32) or a co-producing body (art. 34) in writing; 15 working days not counted."""
    _require(req, Status.PROCESSING)
    if not party.strip():
        raise RuleViolation("请填写被征求意见的第三方或机关", field="party")
    if not approved_by.strip():
        raise RuleViolation("请填写批准征求意见的负责人", field="approved_by")
    _event(req, EventKind.CONSULTATION_STARTED, on, actor, until=clock.consultation_due(on),
           approved_by=approved_by.strip(), note=party.strip())
    req.status = Status.CONSULTING
    refresh(req)
    audit_log.record("request.consult", "info_request", req.id, after={"on": on, "approved_by": approved_by})


def end_consultation(req: InfoRequest, on: date, actor: str, views: str) -> None:
    """The views arrived (or the 15 days passed): the clock resumes, minus the days it lasted."""
    _require(req, Status.CONSULTING)
    started = next(e for e in reversed(req.events) if e.kind == EventKind.CONSULTATION_STARTED)
    days = clock.paused_days(started.on, on)
    _event(req, EventKind.CONSULTATION_ENDED, on, actor, days=days, note=views.strip() or "第三方逾期未提出意见")
    req.status = Status.PROCESSING
    refresh(req)
    audit_log.record("request.consulted", "info_request", req.id, after={"on": on, "paused_days": days})


def extend(req: InfoRequest, on: date, actor: str, days: int, approved_by: str, reason: str) -> None:
    """Extend the answer period (art. 33): at most 20 working days in all, approved by the head of the
    disclosure office (named in ``approved_by``), decided before the period runs out."""
    _require(req, Status.PROCESSING, Status.CONSULTING)
    if not approved_by.strip():
        raise RuleViolation("延长答复期限须经政府信息公开工作机构负责人同意，请填写批准人", field="approved_by")
    if not reason.strip():
        raise RuleViolation("请说明延长理由", field="reason")
    state = clock.replay(req.received_on, req.events)
    if days < 1 or state.extended_days + days > clock.MAX_EXTENSION_DAYS:
        raise RuleViolation(f"延长的期限最长不得超过{clock.MAX_EXTENSION_DAYS}个工作日", field="days")
    if req.due_on and on > req.due_on:
        raise RuleViolation(f"答复期限已于{req.due_on.isoformat()}届满，不能再延长", field="on")
    _event(req, EventKind.EXTENDED, on, actor, days=days, approved_by=approved_by.strip(), note=reason.strip())
    refresh(req)
    audit_log.record("request.extend", "info_request", req.id, after={"days": days, "approved_by": approved_by})


def mark_answered(req: InfoRequest, reply: RequestReply, actor: str) -> None:
    """Close the clock with the reply (used by ``replies.answer``)."""
    _require(req, Status.PROCESSING)
    if req.received_on is None or reply.answered_on < req.received_on:
        raise RuleViolation("答复日期不能早于收到申请日期", field="answered_on")
    spec = OUTCOME_BY_CODE[reply.outcome]
    label = spec.label if spec.group in ("granted", "partial") else f"{spec.group_label}（{spec.label}）"
    _event(req, EventKind.ANSWERED, reply.answered_on, actor, note=f"{label}，{reply.number}")
    req.status, req.outcome, req.closed_on = Status.ANSWERED, reply.outcome, reply.answered_on
    refresh(req)


def set_information_key(req: InfoRequest, key: str) -> None:
    """Staff's short name of the information sought (normalised), for the art. 44 flag."""
    req.information_key = "".join((key or "").split())[:120]


def proactive_candidates(agency_id: int | None = None) -> list[tuple[str, int]]:
    """Information asked for by several applicants and disclosable (条例第四十四条): [(key, applicants)].

    Counts distinct applicants (by identity document) per information key among requests answered
    予以公开 or 部分公开; two or more flags the information for proactive disclosure.
    """
    stmt = (select(InfoRequest.information_key, func.count(func.distinct(InfoRequest.id_document_number)))
            .where(InfoRequest.information_key != "", InfoRequest.outcome.in_(DISCLOSABLE))
            .group_by(InfoRequest.information_key)
            .having(func.count(func.distinct(InfoRequest.id_document_number)) >= 2)
            .order_by(InfoRequest.information_key))
    if agency_id is not None:
        stmt = stmt.where(InfoRequest.agency_id == agency_id)
    return [(k, n) for k, n in db.session.execute(stmt)]


def record_appeal(req: InfoRequest, kind: str, filed_on: date, body: str, actor: str) -> RequestAppeal:
    """A reconsideration or lawsuit about the request (table 四), pending until its result is recorded."""
    if kind not in AppealKind.labels():
        raise RuleViolation("请选择复议或诉讼类型", field="kind")
    if req.status not in (Status.ANSWERED, Status.CLOSED) and kind != AppealKind.RECONSIDERATION:
        raise RuleViolation("申请尚未答复")
    if filed_on > clock.today() or (req.received_on and filed_on < req.received_on):
        raise RuleViolation("提起日期无效", field="filed_on")
    appeal = RequestAppeal(kind=kind, filed_on=filed_on, body=body.strip()[:200], recorded_by=actor)
    req.appeals.append(appeal)
    db.session.flush()
    audit_log.record("request.appeal", "info_request", req.id, after={"appeal": appeal.id, "kind": kind})
    return appeal


def record_appeal_result(appeal: RequestAppeal, result: str, decided_on: date | None, note: str, actor: str) -> None:
    """维持, 纠正 or 其他 with its date; 尚未审结 clears the date."""
    if result not in AppealResult.labels():
        raise RuleViolation("请选择结果", field="result")
    if result != AppealResult.PENDING and (decided_on is None or decided_on < appeal.filed_on
                                           or decided_on > clock.today()):
        raise RuleViolation("请填写有效的审结日期", field="decided_on")
    appeal.result = result
    appeal.decided_on = decided_on if result != AppealResult.PENDING else None
    appeal.note = note.strip()
    audit_log.record("request.appeal_result", "info_request", appeal.request_id,
                     after={"appeal": appeal.id, "result": result})


def due_soon_and_overdue(on: date) -> dict[int, str]:
    """{request id: 'overdue' | 'soon'} for open requests, by their answer or correction due date."""
    out = {}
    rows = db.session.execute(select(InfoRequest.id, InfoRequest.status, InfoRequest.due_on,
                                     InfoRequest.correction_due_on).where(
        InfoRequest.status.in_([Status.PROCESSING, Status.CONSULTING, Status.CORRECTION])))
    for rid, status, due, correction_due in rows:
        try:
            flag = clock.warning(correction_due if status == Status.CORRECTION else due, on)
        except calendar.UnknownYear:
            flag = ""
        if flag:
            out[rid] = flag
    return out
