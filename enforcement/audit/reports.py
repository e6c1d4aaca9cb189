"""The annual statistics (published by 31 January) and the rule-of-law annual report's data annex.

One ``AnnualReport`` of titled tables feeds the HTML page, the XLSX workbook
and the printable PDF alike, so the three never disagree. Disclosure,
withdrawal, review and inspection figures come from the same audit checks the
dashboard runs; training figures from the training domain when it is present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import Integer, cast, extract, func, select

from enforcement.audit.checks import Scope, decided, run_checks
from enforcement.core.enums import DecisionKind
from enforcement.core.exporting import Money, Ratio
from enforcement.disclosure.models import Agency, Decision, LegalReview, Officer
from enforcement.extensions import db


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class AnnualReport:
    year: int
    generated_on: date
    agency: str
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def publish_by(self) -> date:
        return date(self.year + 1, 1, 31)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年度行政执法数据统计（法治政府建设年度报告数据附件）"


def _rate(part: int, whole: int) -> Ratio | str:
    return Ratio(part / whole) if whole else "—"


def annual_report(year: int, today: date, agency_id: int | None = None) -> AnnualReport:
    agency = db.session.get(Agency, agency_id) if agency_id else None
    report = AnnualReport(year, today, agency.name if agency else current_app.config["TOWN_NAME"])
    scope = Scope(today, year, agency_id)
    report.sections.append(_decisions_by_kind(scope))
    report.sections.append(_decisions_by_month(scope))
    checks = {r.code: r for r in run_checks(scope, ["publication", "withdrawal", "legal_review", "officers",
                                                    "inspection_results"])}
    pub = checks["publication"]
    late = sum(1 for i in pub.items if i.message.startswith("公示超期"))
    unpublished = pub.failed - late
    report.sections.append(Section("执法决定公示情况", ["项目", "数值"], [
        ["应公示决定（期限已届满）", pub.checked], ["按时公示", pub.checked - pub.failed], ["超期公示", late],
        ["逾期未公示", unpublished], ["按时公示率", _rate(pub.checked - pub.failed, pub.checked)]]))
    wd = checks["withdrawal"]
    withdrawn = db.session.scalar(scope.decisions(select(func.count(Decision.id)).where(
        Decision.withdrawn_on.is_not(None)), Decision.withdrawn_on)) or 0
    report.sections.append(Section("撤回公示情况", ["项目", "数值"], [
        ["本年撤回公示的决定", withdrawn], ["应撤回（决定失效且期限已届满）", wd.checked],
        ["按时撤回", wd.checked - wd.failed], ["超期或未撤回", wd.failed]]))
    lr = checks["legal_review"]
    reviews = db.session.execute(select(LegalReview.passed, func.count(LegalReview.id))
                                 .where(extract("year", LegalReview.reviewed_on) == year)
                                 .group_by(LegalReview.passed)).all()
    by_pass = {bool(p): n for p, n in reviews}
    report.sections.append(Section("重大执法决定法制审核", ["项目", "数值"], [
        ["重大执法决定", lr.checked], ["经法制审核通过后作出", lr.checked - lr.failed], ["未经（或事后）审核", lr.failed],
        ["本年法制审核（通过）", by_pass.get(True, 0)], ["本年法制审核（未通过）", by_pass.get(False, 0)]]))
    report.sections.append(_officers(scope, checks["officers"]))
    report.sections.append(_inspections(year, agency_id, checks["inspection_results"]))
    report.sections.append(_training(year, agency_id, report))
    return report


def _decisions_by_kind(scope: Scope) -> Section:
    stmt = scope.decisions(decided(select(Decision.kind, func.count(Decision.id), func.sum(Decision.fine_amount))
                                   .group_by(Decision.kind)))
    counts = {k: (n, s) for k, n, s in db.session.execute(stmt)}
    rows = [[kind.label, counts.get(kind.value, (0, None))[0],
             Money(Decimal(counts.get(kind.value, (0, None))[1] or 0))] for kind in DecisionKind]
    rows.append(["合计", sum(r[1] for r in rows), Money(sum(Decimal(s or 0) for _n, s in counts.values()))])
    return Section("执法决定数量（按类别）", ["类别", "决定数", "罚款金额（元）"], rows)


def _decisions_by_month(scope: Scope) -> Section:
    month = extract("month", Decision.decided_on)
    stmt = scope.decisions(decided(select(Decision.kind, month, func.count(Decision.id)).group_by(Decision.kind, month)))
    counts = {(k, int(m)): n for k, m, n in db.session.execute(stmt)}
    rows = [[kind.label, *[counts.get((kind.value, m), 0) for m in range(1, 13)],
             sum(counts.get((kind.value, m), 0) for m in range(1, 13))] for kind in DecisionKind]
    return Section("执法决定数量（按月，无案件的月份为0）", ["类别", *[f"{m}月" for m in range(1, 13)], "全年"], rows)


def _officers(scope: Scope, check) -> Section:
    year_end = date(scope.year, 12, 31)
    stmt = select(Officer)
    if scope.agency_id:
        stmt = stmt.where(Officer.agency_id == scope.agency_id)
    officers = list(db.session.scalars(stmt))
    valid = sum(1 for o in officers if o.credential_valid_on(year_end))
    flagged = len({i.entity_id for i in check.items})
    return Section("执法人员与执法资格", ["项目", "数值"], [
        ["执法人员（年末在册）", len(officers)], ["年末持有效执法证", valid],
        ["执法人员不足两名或执法证无效的决定", flagged]])


def _inspections(year: int, agency_id: int | None, check) -> Section:
    from enforcement.inspections.models import InspectionDraw, InspectionPlan, InspectionTask

    plans = select(InspectionPlan.id).where(extract("year", InspectionPlan.period_start) == year)
    if agency_id:
        plans = plans.where(InspectionPlan.agency_id == agency_id)
    plan_ids = list(db.session.scalars(plans))
    tasks = db.session.execute(
        select(func.count(InspectionTask.id), func.count(InspectionTask.inspected_on),
               func.count(InspectionTask.result_published_on), func.sum(cast(InspectionTask.problems_found, Integer)))
        .join(InspectionDraw, InspectionDraw.id == InspectionTask.draw_id)
        .where(InspectionDraw.plan_id.in_(plan_ids))).one() if plan_ids else (0, 0, 0, 0)
    drawn, done, published, problems = (int(x or 0) for x in tasks)
    return Section("“双随机、一公开”抽查", ["项目", "数值"], [
        ["抽查计划", len(plan_ids)], ["抽中检查对象", drawn], ["完成检查", done], ["发现问题", problems],
        ["结果已公示", published], ["结果公示超期或未按期检查", check.failed]])


def _training(year: int, agency_id: int | None, report: AnnualReport) -> Section:
    try:
        from enforcement.training.models import Attendance, TrainingSession
        from enforcement.training.services import officer_standing
    except ImportError:
        report.notes.append("培训模块尚未提供数据，培训统计未列入")
        return Section("执法人员培训", ["项目", "数值"], [], "培训模块尚未提供数据")
    sessions = db.session.scalar(select(func.count(TrainingSession.id))
                                 .where(extract("year", TrainingSession.held_on) == year)) or 0
    hours = db.session.scalar(select(func.sum(Attendance.hours)).where(extract("year", Attendance.attended_on) == year))
    stmt = select(Officer.id)
    if agency_id:
        stmt = stmt.where(Officer.agency_id == agency_id)
    year_end = date(year, 12, 31)
    standings = [officer_standing(oid, year_end) for oid in db.session.scalars(stmt)]
    compliant = sum(1 for s in standings if s.earned_hours >= s.required_hours)
    required = standings[0].required_hours if standings else 0
    return Section("执法人员培训", ["项目", "数值"], [
        ["培训场次", sessions], ["培训总学时（人·学时）", f"{Decimal(hours or 0):,.1f}"],
        [f"达到年度学时要求（{required}学时）的执法人员", compliant], ["执法人员总数", len(standings)],
        ["学时达标率", _rate(compliant, len(standings))]])
