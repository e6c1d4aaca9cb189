"""Supervisor checks on requests for information, registered with the audit dashboard.

- ``requests_overdue``: open requests past their answer (or correction) due date, and answers given late
  (条例第三十条、第三十三条);
- ``requests_extension``: extensions without a recorded approver or beyond 20 working days (第三十三条);
- ``requests_basis``: answers without a legal basis (第三十六条 ff.);
- ``requests_remedies``: reply letters without 行政复议 and 行政诉讼 channels (第五十一条);
- ``requests_report``: the annual report published by 31 January (第四十九条).

A request belongs to the scope's year by its receipt date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, false, or_, select

from enforcement.audit.checks import CheckResult, Item, Scope, check
from enforcement.extensions import db
from enforcement.requests import clock
from enforcement.requests.codes import EventKind, Status
from enforcement.requests.models import AnnualReport, InfoRequest, RequestEvent, RequestReply


@dataclass
class RequestItem(Item):
    """A finding on a request: the drill-down is the request's staff page (supervisors may read it)."""

    @property
    def url(self) -> str:
        if self.entity == "info_annual_report":
            year, _, agency = str(self.entity_id).partition("-")
            return f"/staff/requests/reports/{year}?agency={agency}"
        return f"/staff/requests/{self.entity_id}"


def _scoped(stmt, scope: Scope):
    if scope.year is not None:
        stmt = stmt.where(extract("year", InfoRequest.received_on) == scope.year)
    if scope.agency_id is not None:
        stmt = stmt.where(InfoRequest.agency_id == scope.agency_id)
    return stmt


@check("requests_overdue")
def overdue(scope: Scope) -> CheckResult:
    """Open requests past due, corrections never closed, and answers later than the due date."""
    result = CheckResult("requests_overdue", "依申请公开答复期限",
                         "自收到申请（或补正）之日起20个工作日内答复，经批准可延长不超过20个工作日；"
                         "征求第三方意见的时间不计入；逾期不补正的应终止办理")
    rows = db.session.execute(_scoped(select(
        InfoRequest.id, InfoRequest.tracking_number, InfoRequest.agency_id, InfoRequest.status,
        InfoRequest.received_on, InfoRequest.due_on, InfoRequest.correction_due_on, RequestReply.answered_on)
        .outerjoin(RequestReply, RequestReply.request_id == InfoRequest.id)
        .where(InfoRequest.received_on.is_not(None)), scope).order_by(InfoRequest.id))
    for r in rows:
        result.checked += 1
        if r.status in (Status.PROCESSING, Status.CONSULTING) and r.due_on and r.due_on < scope.today:
            message = f"逾期未答复：应于{r.due_on.isoformat()}前答复"
        elif r.status == Status.CORRECTION and r.correction_due_on and r.correction_due_on < scope.today:
            message = f"补正期限{r.correction_due_on.isoformat()}已届满，尚未终止办理或登记补正"
        elif r.answered_on and r.due_on and r.answered_on > r.due_on:
            message = f"逾期答复：应于{r.due_on.isoformat()}前答复，实际{r.answered_on.isoformat()}答复"
        else:
            continue
        result.items.append(RequestItem("info_request", r.id, r.tracking_number, message, r.agency_id, r.received_on))
    return result


@check("requests_extension")
def extensions(scope: Scope) -> CheckResult:
    """Every extension names who approved it, and all extensions of a request add up to at most 20 days."""
    result = CheckResult("requests_extension", "延长答复期限审批",
                         f"延长答复期限须经政府信息公开工作机构负责人同意，累计不超过{clock.MAX_EXTENSION_DAYS}个工作日")
    rows = db.session.execute(_scoped(select(
        InfoRequest.id, InfoRequest.tracking_number, InfoRequest.agency_id, InfoRequest.received_on,
        RequestEvent.on, RequestEvent.days, RequestEvent.approved_by)
        .join(RequestEvent, RequestEvent.request_id == InfoRequest.id)
        .where(RequestEvent.kind == EventKind.EXTENDED), scope).order_by(InfoRequest.id, RequestEvent.id))
    totals: dict[int, int] = defaultdict(int)
    for r in rows:
        result.checked += 1
        totals[r.id] += r.days
        if not (r.approved_by or "").strip():
            result.items.append(RequestItem("info_request", r.id, r.tracking_number,
                                            f"{r.on.isoformat()}延长{r.days}个工作日，未记录批准人", r.agency_id,
                                            r.received_on))
        elif totals[r.id] > clock.MAX_EXTENSION_DAYS:
            result.items.append(RequestItem("info_request", r.id, r.tracking_number,
                                            f"累计延长{totals[r.id]}个工作日，超过{clock.MAX_EXTENSION_DAYS}个工作日",
                                            r.agency_id, r.received_on))
    return result


def _replies(scope: Scope):
    return db.session.execute(_scoped(select(
        InfoRequest.id, InfoRequest.tracking_number, InfoRequest.agency_id, InfoRequest.received_on,
        RequestReply.number, RequestReply.legal_basis, RequestReply.remedies)
        .join(RequestReply, RequestReply.request_id == InfoRequest.id), scope).order_by(InfoRequest.id))


@check("requests_basis")
def legal_basis(scope: Scope) -> CheckResult:
    """Every answer states its legal basis."""
    result = CheckResult("requests_basis", "答复的法律依据", "每一种答复结果都应当写明所依据的法律法规条款")
    for r in _replies(scope):
        result.checked += 1
        if not (r.legal_basis or "").strip():
            result.items.append(RequestItem("info_request", r.id, r.tracking_number, f"答复{r.number}未写明法律依据",
                                            r.agency_id, r.received_on))
    return result


@check("requests_remedies")
def remedies(scope: Scope) -> CheckResult:
    """Every reply letter tells the applicant how to seek 行政复议 and 行政诉讼."""
    result = CheckResult("requests_remedies", "答复告知书的救济渠道", "答复告知书应当告知申请行政复议和提起行政诉讼的机关和期限")
    for r in _replies(scope):
        result.checked += 1
        text = r.remedies or ""
        missing = [word for word in ("行政复议", "行政诉讼") if word not in text]
        if missing:
            result.items.append(RequestItem("info_request", r.id, r.tracking_number,
                                            f"答复{r.number}未告知{'、'.join(missing)}渠道", r.agency_id, r.received_on))
    return result


@check("requests_report")
def annual_report(scope: Scope) -> CheckResult:
    """The 政府信息公开工作年度报告 of each agency that received requests is published by 31 January."""
    from enforcement.disclosure.models import Agency

    result = CheckResult("requests_report", "政府信息公开工作年度报告按时公布",
                         "每年1月31日前公布本机关上一年度政府信息公开工作年度报告（条例第四十九条）")
    years_col = extract("year", InfoRequest.received_on)
    stmt = select(InfoRequest.agency_id, years_col).where(InfoRequest.received_on.is_not(None)).distinct()
    if scope.agency_id is not None:
        stmt = stmt.where(InfoRequest.agency_id == scope.agency_id)
    if scope.year is not None:
        stmt = stmt.where(years_col.in_([scope.year - 1, scope.year]))
    pairs = {(a, int(y)) for a, y in db.session.execute(stmt)}
    reports = {(r.agency_id, r.year): r for r in db.session.scalars(select(AnnualReport).where(
        or_(*[(AnnualReport.agency_id == a) & (AnnualReport.year == y) for a, y in pairs]) if pairs else false()))}
    names = dict(db.session.execute(select(Agency.id, Agency.name)).all())
    for agency_id, year in sorted(pairs):
        due = date(year + 1, 1, 31)
        row = reports.get((agency_id, year))
        label = f"{names.get(agency_id, '')}{year}年度报告"
        if row is None or row.published_on is None:
            if scope.today <= due:
                result.notes.append(f"{label}应于{due.isoformat()}前公布，尚未到期")
                continue
            message = f"应于{due.isoformat()}前公布，至今未公布"
        elif row.published_on > due:
            message = f"应于{due.isoformat()}前公布，实际{row.published_on.isoformat()}公布"
        else:
            result.checked += 1
            continue
        result.checked += 1
        result.items.append(RequestItem("info_annual_report", f"{year}-{agency_id}", label, message, agency_id, due))
    return result

