"""Checks on decisions: publication and withdrawal deadlines, display period, officers, legal review, zeros."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, exists, extract, func, or_, select

from enforcement.audit.checks import CheckResult, Item, Scope, WorkingDays, check, decided
from enforcement.core import settings
from enforcement.core.enums import DecisionKind
from enforcement.disclosure import rules
from enforcement.disclosure.models import Agency, Decision, LegalReview, Officer, decision_officers
from enforcement.disclosure.projection import PUBLIC_STATUSES
from enforcement.extensions import db


def _agency_names() -> dict[int, str]:
    return dict(db.session.execute(select(Agency.id, Agency.name)).all())


def publication_rule() -> str:
    return (f"行政处罚、行政许可决定{rules.publish_days(DecisionKind.PENALTY)}个工作日内公示，"
            f"其他决定{rules.publish_days(DecisionKind.OTHER)}个工作日内公示")


def withdrawal_rule() -> str:
    return f"决定被变更、撤销、确认违法或无效后{settings.get('withdraw_days')}个工作日内撤回公示"


def expired_rule() -> str:
    return (f"警告、通报批评和较小数额罚款公示{settings.get('display_months_minor')}个月，"
            f"其他决定公示{settings.get('display_months_other')}个月，期满不再公开")


def training_rule() -> str:
    return f"执法人员年度培训不少于{settings.get('training_hours_per_year')}学时，决定之日不落后于进度"


@check("publication")
def publication(scope: Scope) -> CheckResult:
    """Each decision public within 7 (处罚/许可) or 20 (others) working days; on-time rate per agency and month."""
    days = WorkingDays()
    result = CheckResult("publication", "公示及时性", publication_rule())
    stmt = scope.decisions(decided(select(
        Decision.id, Decision.number, Decision.kind, Decision.procedure, Decision.penalty_kinds,
        Decision.party_is_minor, Decision.agency_id, Decision.decided_on, Decision.published_on)))
    # (agency, month) -> [due, on time, late, overdue]
    stats: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in db.session.execute(stmt.order_by(Decision.decided_on, Decision.id)):
        kinds = [k for k in r.penalty_kinds.split(",") if k]
        if not rules.needs_publication(r.kind, r.procedure, kinds, r.party_is_minor):
            continue
        due = days.due(r.decided_on, rules.publish_days(r.kind))
        if r.published_on is None and due >= scope.today:
            continue  # still within its time limit
        result.checked += 1
        cell = stats[(r.agency_id, r.decided_on.strftime("%Y-%m"))]
        cell[0] += 1
        if r.published_on is None:
            cell[3] += 1
            result.items.append(Item("decision", r.id, r.number,
                                     f"未公示：{r.decided_on.isoformat()}作出，应于{due.isoformat()}前公示",
                                     r.agency_id, r.decided_on))
        elif r.published_on > due:
            cell[2] += 1
            result.items.append(Item("decision", r.id, r.number,
                                     f"公示超期：应于{due.isoformat()}前公示，实际{r.published_on.isoformat()}公示"
                                     f"（逾期{days.count_between(due, r.published_on)}个工作日）",
                                     r.agency_id, r.decided_on))
        else:
            cell[1] += 1
    names = _agency_names()
    months = _months(scope, {m for _a, m in stats})
    agencies = sorted({a for a, _m in stats} | ({scope.agency_id} if scope.agency_id else set()))
    rows = []
    for agency_id in agencies:
        for month in months:
            due, on_time, late, overdue = stats.get((agency_id, month), [0, 0, 0, 0])
            rate = f"{on_time / due:.1%}" if due else "—"
            rows.append([names.get(agency_id, str(agency_id)), month, due, on_time, late, overdue, rate])
    result.table = {"title": "各主体按月公示及时率",
                    "columns": ["执法主体", "月份", "应公示", "按时", "超期公示", "逾期未公示", "及时率"], "rows": rows}
    result.notes += days.note()
    return result


def _months(scope: Scope, seen: set[str]) -> list[str]:
    """Every month of the scope's year (explicit zeros), or every month seen when no year is given."""
    if scope.year is not None:
        last = 12 if scope.year < scope.today.year else scope.today.month
        return [f"{scope.year}-{m:02d}" for m in range(1, last + 1)]
    return sorted(seen)


@check("withdrawal")
def withdrawal(scope: Scope) -> CheckResult:
    """A changed, revoked, illegal or void decision leaves public view within 3 working days."""
    days = WorkingDays()
    limit = settings.get("withdraw_days")
    result = CheckResult("withdrawal", "撤回公示及时性", withdrawal_rule())
    stmt = scope.decisions(select(Decision.id, Decision.number, Decision.agency_id, Decision.ended_on,
                                  Decision.withdrawn_on).where(Decision.ended_on.is_not(None),
                                                               Decision.published_on.is_not(None)),
                           Decision.ended_on)
    for r in db.session.execute(stmt.order_by(Decision.ended_on, Decision.id)):
        due = days.due(r.ended_on, limit)
        if r.withdrawn_on is None and due >= scope.today:
            continue  # still within its time limit
        result.checked += 1
        if r.withdrawn_on is None:
            result.items.append(Item("decision", r.id, r.number,
                                     f"未撤回：{r.ended_on.isoformat()}失效，应于{due.isoformat()}前撤回公示",
                                     r.agency_id, r.ended_on))
        elif r.withdrawn_on > due:
            result.items.append(Item("decision", r.id, r.number,
                                     f"撤回超期：应于{due.isoformat()}前撤回，实际{r.withdrawn_on.isoformat()}撤回",
                                     r.agency_id, r.ended_on))
    result.notes += days.note()
    return result


@check("expired")
def expired(scope: Scope) -> CheckResult:
    """A decision past its display period (3 months for small penalties, 3 years otherwise) is not public."""
    result = CheckResult("expired", "公示期满仍公开", expired_rule())
    stmt = scope.decisions(select(
        Decision.id, Decision.number, Decision.kind, Decision.penalty_kinds, Decision.fine_amount,
        Decision.party_type, Decision.published_on, Decision.expires_on, Decision.agency_id).where(
        Decision.published_on.is_not(None), Decision.party_is_minor.is_(False),
        Decision.status.in_([str(s) for s in PUBLIC_STATUSES]),
        or_(Decision.expires_on.is_(None), Decision.expires_on > scope.today)))
    for r in db.session.execute(stmt.order_by(Decision.published_on, Decision.id)):
        result.checked += 1
        kinds = [k for k in r.penalty_kinds.split(",") if k]
        ends = rules.expiry_date(r.kind, kinds, r.fine_amount, r.party_type, r.published_on)
        if ends is not None and ends <= scope.today:
            shown = r.expires_on.isoformat() if r.expires_on else "未设置"
            result.items.append(Item("decision", r.id, r.number,
                                     f"公示期已于{ends.isoformat()}届满，仍在公开（登记的期满日：{shown}）",
                                     r.agency_id, r.published_on))
    return result


@check("officers")
def officers(scope: Scope) -> CheckResult:
    """At least two officers, each holding a credential valid on the decision date (行政处罚法 art. 42)."""
    result = CheckResult("officers", "执法人员资格", "每个决定至少两名执法人员，且决定之日执法证均有效")
    count = func.count(decision_officers.c.officer_id)
    base = scope.decisions(decided(select(Decision.id)))
    result.checked = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    too_few = scope.decisions(decided(
        select(Decision.id, Decision.number, Decision.agency_id, Decision.decided_on, count)
        .outerjoin(decision_officers, decision_officers.c.decision_id == Decision.id)
        .group_by(Decision.id, Decision.number, Decision.agency_id, Decision.decided_on)
        .having(count < 2)))
    for r in db.session.execute(too_few.order_by(Decision.decided_on)):
        result.items.append(Item("decision", r.id, r.number, f"执法人员仅{r[4]}名", r.agency_id, r.decided_on))
    # Mirrors Officer.credential_valid_on(decided_on), as a join over every decision at once.
    invalid = scope.decisions(decided(
        select(Decision.id, Decision.number, Decision.agency_id, Decision.decided_on, Officer.name,
               Officer.credential_number, Officer.status)
        .join(decision_officers, decision_officers.c.decision_id == Decision.id)
        .join(Officer, Officer.id == decision_officers.c.officer_id)
        .where(or_(Officer.status != "valid", Officer.credential_issued_on > Decision.decided_on,
                   Officer.credential_expires_on < Decision.decided_on))))
    for r in db.session.execute(invalid.order_by(Decision.decided_on, Decision.id)):
        why = "证件已暂扣或注销" if r.status != "valid" else "决定之日执法证不在有效期内"
        result.items.append(Item("decision", r.id, r.number, f"执法人员{r.name}（{r.credential_number}）{why}",
                                 r.agency_id, r.decided_on))
    return result


@check("training")
def training(scope: Scope) -> CheckResult:
    """Each officer of a decision was not behind on training hours on the decision date."""
    result = CheckResult("training", "执法人员培训学时", training_rule())
    try:
        from enforcement.training import services as training_services
    except ImportError:
        result.notes.append("培训模块尚未提供学时数据，本项未检查")
        return result
    pairs = scope.decisions(decided(
        select(Decision.id, Decision.number, Decision.agency_id, Decision.decided_on, Officer.id.label("officer_id"),
               Officer.name)
        .join(decision_officers, decision_officers.c.decision_id == Decision.id)
        .join(Officer, Officer.id == decision_officers.c.officer_id)))
    rows = db.session.execute(pairs.order_by(Decision.decided_on, Decision.id)).all()
    behind = _behind(training_services, rows, scope.today)
    for r in rows:
        result.checked += 1
        hours = behind.get((r.id, r.officer_id))
        if hours is not None:
            result.items.append(Item("decision", r.id, r.number,
                                     f"执法人员{r.name}培训学时落后：已完成{hours[0]}学时，应完成{hours[1]}学时",
                                     r.agency_id, r.decided_on))
    return result


def _behind(training_services, rows, today: date) -> dict[tuple[int, int], tuple]:
    """(decision, officer) → (earned, expected) for officers behind on the decision date.

    Uses the training domain's year-at-once ``training_lapses`` when it offers one, else
    ``officer_standing`` per officer and day (the contract), memoised.
    """
    bulk = getattr(training_services, "training_lapses", None)
    if bulk is not None:
        found = {}
        for year in sorted({r.decided_on.year for r in rows}):
            for lapse in bulk(min(date(year, 12, 31), max(today, date(year, 1, 1)))):
                if lapse.training_behind:
                    found[(lapse.decision_id, lapse.officer_id)] = (lapse.earned_hours, lapse.expected_hours)
        return found
    standings: dict[tuple[int, date], object] = {}
    found = {}
    for r in rows:
        key = (r.officer_id, r.decided_on)
        if key not in standings:
            standings[key] = training_services.officer_standing(r.officer_id, r.decided_on)
        s = standings[key]
        if s.behind:
            found[(r.id, r.officer_id)] = (s.earned_hours, s.expected_hours_by_now)
    return found


@check("legal_review")
def legal_review(scope: Scope) -> CheckResult:
    """A major decision has a passing legal review dated on or before the decision."""
    result = CheckResult("legal_review", "重大执法决定法制审核", "重大执法决定作出前须经法制审核通过")
    passed_before = exists().where(and_(LegalReview.decision_id == Decision.id, LegalReview.passed.is_(True),
                                        LegalReview.reviewed_on <= Decision.decided_on))
    any_pass = exists().where(and_(LegalReview.decision_id == Decision.id, LegalReview.passed.is_(True)))
    major = scope.decisions(decided(select(func.count(Decision.id)).where(Decision.is_major.is_(True))))
    result.checked = db.session.scalar(major) or 0
    missing = scope.decisions(decided(
        select(Decision.id, Decision.number, Decision.agency_id, Decision.decided_on, Decision.major_reasons,
               any_pass.label("passed_later"))
        .where(Decision.is_major.is_(True), ~passed_before)))
    for r in db.session.execute(missing.order_by(Decision.decided_on, Decision.id)):
        what = "法制审核在决定作出之后才通过" if r.passed_later else "无通过的法制审核"
        reasons = f"（{r.major_reasons}）" if r.major_reasons else ""
        result.items.append(Item("decision", r.id, r.number, f"重大执法决定{reasons}{what}", r.agency_id, r.decided_on))
    return result


@check("zero_months")
def zero_months(scope: Scope) -> CheckResult:
    """Months without any decision of a kind are reported as explicit zeros (“无案件”也是信息)."""
    year = scope.year or scope.today.year
    result = CheckResult("zero_months", "零报告（无案件月份）", "每类决定每月均须有统计，无案件的月份显示为0而不是空缺",
                         informational=True)
    month = extract("month", Decision.decided_on)
    stmt = Scope(scope.today, year, scope.agency_id).decisions(decided(
        select(Decision.kind, month, func.count(Decision.id)).group_by(Decision.kind, month)))
    counts = {(kind, int(m)): n for kind, m, n in db.session.execute(stmt)}
    last = 12 if year < scope.today.year else scope.today.month
    rows = []
    for kind in DecisionKind:
        row = [kind.label]
        for m in range(1, 13):
            n = counts.get((kind.value, m), 0)
            row.append(n if m <= last else "")
            if m <= last:
                result.checked += 1
                if n == 0:
                    result.items.append(Item("month", f"{year}-{m:02d}", f"{year}年{m}月",
                                             f"{kind.label}：本月无案件（公示为0）", scope.agency_id))
        rows.append(row)
    result.table = {"title": f"{year}年各类决定按月统计", "columns": ["类别", *[f"{m}月" for m in range(1, 13)]],
                    "rows": rows}
    return result
