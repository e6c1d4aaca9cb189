"""Reading the audit: stored decision-level results (``audit_results``) plus the small live checks.

The dashboard, a check's drill-down and ``flask audit check`` all read through here, after
``incremental.refresh()``. Counts are SQL aggregates over the stored rows for the scope and day (no row is
loaded); items are read a page at a time; training findings are summarised per officer, with the officer's
decisions as the drill-down. Checks over small tables (agencies, powers, laws, inspections, requests, the
monthly zeros) still run live: they take milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, extract, func, or_, select

from enforcement.audit.checks import CHECKS, CheckResult, Item, Scope, check_codes
from enforcement.audit.evaluate import STORED_CHECKS
from enforcement.audit.models import AuditResult, AuditState
from enforcement.disclosure.models import Agency, Officer
from enforcement.extensions import db

_R = AuditResult


@dataclass
class Summary:
    """A check's figures for a scope and day: what the dashboard shows, without its items."""

    code: str
    title: str
    rule: str
    checked: int = 0
    failed: int = 0  # findings (training: decision x officer pairs)
    notes: list[str] = field(default_factory=list)
    table: dict[str, Any] | None = None
    informational: bool = False
    live: CheckResult | None = None  # the live part (items of small tables), when the check has one
    officers: int = 0  # training: officers with findings

    @property
    def passed(self) -> bool:
        return self.informational or not self.failed

    @property
    def shown(self) -> int:
        """The number shown in the 问题数 column (零报告: the zero months)."""
        return len(self.live.items) if self.informational and self.live else self.failed


def _in_scope(stmt, scope: Scope):
    """Rows of the scope: a decision by its year and agency; standing records (no year) in the all-years
    audit only, whatever the agency (as the full masking check lists them)."""
    if scope.year is not None:
        stmt = stmt.where(_R.year == scope.year)
    if scope.agency_id is not None:
        stmt = stmt.where(or_(_R.agency_id == scope.agency_id, _R.entity != "decision"))
    return stmt


def failing(today):
    """SQL: the row is a finding on ``today``."""
    return and_(_R.failing_from.is_not(None), _R.failing_from <= today, _R.failing_until > today)


def _checked(today):
    return and_(_R.counts == 1, _R.checked_from <= today, _R.checked_until > today)


_cache: dict[tuple, dict[str, Any]] = {}


def _stored(scope: Scope) -> dict[str, Any]:
    """The stored checks' figures for a scope and day: {"counts": {check: (checked, failed)}, "notes": {check:
    [...]}, "publication": table, "officers": n}, computed by SQL aggregates once per results generation
    (any refresh that changed rows starts a new one) and kept in this process."""
    state = db.session.execute(select(AuditState.generation, AuditState.built_at).where(AuditState.id == 1)).first()
    key = (str(db.engine.url), tuple(state or ()), scope.today, scope.year, scope.agency_id)
    if key not in _cache:
        stmt = _in_scope(select(_R.check_code, func.sum(case((_checked(scope.today), 1), else_=0)),
                                func.sum(case((failing(scope.today), 1), else_=0))).group_by(_R.check_code), scope)
        counts = {code: (int(c or 0), int(f or 0)) for code, c, f in db.session.execute(stmt)}
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = {"counts": counts, "notes": _all_notes(scope), "publication": _publication_table(scope),
                       "officers": len(training_officers(scope))}
    return _cache[key]


def _all_notes(scope: Scope) -> dict[str, list[str]]:
    """{check: notes}: the years whose holidays were not entered, that a stored deadline depended on."""
    stmt = _in_scope(select(_R.check_code, _R.provisional).where(_R.provisional != "").distinct(), scope)
    years: dict[str, set[int]] = defaultdict(set)
    for code, value in db.session.execute(stmt):
        years[code].update(int(y) for y in value.split(",") if y)
    return {code: [f"{'、'.join(str(y) for y in sorted(ys))}年的法定节假日安排尚未录入，涉及这些年份的期限按周一至周五暂定计算"]
            for code, ys in years.items()}


def _live(code: str, scope: Scope) -> CheckResult | None:
    """The live part of a check: the whole check when not stored; the small-table part of a stored one."""
    from enforcement.audit import checks_public

    if code == "completeness":
        return checks_public.completeness(scope, entities=[e for e in checks_public.REQUIRED if e != "decision"])
    if code in STORED_CHECKS:
        return None
    return dict(CHECKS)[code](scope)


def _publication_table(scope: Scope) -> dict[str, Any]:
    from enforcement.audit.checks_decisions import _months

    year, month = extract("year", _R.on), extract("month", _R.on)
    stmt = _in_scope(select(_R.agency_id, year, month, _R.flag, func.sum(case((failing(scope.today), 1), else_=0)),
                            func.count()).where(_R.check_code == "publication", _checked(scope.today))
                     .group_by(_R.agency_id, year, month, _R.flag), scope)
    stats: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for agency_id, y, m, flag, failed, n in db.session.execute(stmt):
        cell = stats[(agency_id, f"{int(y)}-{int(m):02d}")]
        cell[0] += n
        cell[2 if flag == "late" else 3] += int(failed or 0)
        cell[1] += n - int(failed or 0)
    names = dict(db.session.execute(select(Agency.id, Agency.name)).all())
    months = _months(scope, {m for _a, m in stats})
    rows = []
    for agency_id in sorted({a for a, _m in stats} | ({scope.agency_id} if scope.agency_id else set())):
        for m in months:
            due, on_time, late, overdue = stats.get((agency_id, m), [0, 0, 0, 0])
            rows.append([names.get(agency_id, str(agency_id)), m, due, on_time, late, overdue,
                         f"{on_time / due:.1%}" if due else "—"])
    return {"title": "各主体按月公示及时率", "columns": ["执法主体", "月份", "应公示", "按时", "超期公示", "逾期未公示", "及时率"],
            "rows": rows}


def _header(code: str, scope: Scope) -> CheckResult:
    """Title and rule of a stored check, as its full check words them (without running it)."""
    from enforcement.audit import checks_decisions, checks_public

    headers = {
        "publication": ("公示及时性", checks_decisions.publication_rule),
        "withdrawal": ("撤回公示及时性", checks_decisions.withdrawal_rule),
        "expired": ("公示期满仍公开", checks_decisions.expired_rule),
        "officers": ("执法人员资格", lambda: "每个决定至少两名执法人员，且决定之日执法证均有效"),
        "training": ("执法人员培训学时", checks_decisions.training_rule),
        "legal_review": ("重大执法决定法制审核", lambda: "重大执法决定作出前须经法制审核通过"),
        "completeness": ("公示内容完整性", lambda: checks_public.COMPLETENESS_RULE),
        "masking": ("个人信息隐去", lambda: checks_public.MASKING_RULE),
    }
    title, rule = headers[code]
    return CheckResult(code, title, rule())


def summaries(scope: Scope, codes: list[str] | None = None) -> list[Summary]:
    """Every check's figures for the scope, in dashboard order. Call ``incremental.refresh()`` first."""
    stored = _stored(scope)
    out = []
    for code in check_codes():
        if codes is not None and code not in codes:
            continue
        live = _live(code, scope)
        if code in STORED_CHECKS:
            head = _header(code, scope)
            checked, failed = stored["counts"].get(code, (0, 0))
            s = Summary(code, head.title, head.rule, checked, failed, list(stored["notes"].get(code, [])), live=live)
            if live is not None:
                s.checked += live.checked
                s.failed += len(live.items)
            if code == "publication":
                s.table = stored["publication"]
            if code == "training":
                s.officers = stored["officers"]
        else:
            s = Summary(code, live.title, live.rule, live.checked, live.failed, live.notes, live.table,
                        live.informational, live)
        out.append(s)
    return out


def _item(row) -> Item:
    return Item(row.entity, row.decision_id, row.label, row.message, row.agency_id, row.on)


def stored_items(scope: Scope, code: str, offset: int = 0, limit: int | None = None,
                 officer_id: int | None = None) -> list[Item]:
    """A page of a stored check's findings, ordered by date and decision."""
    stmt = _in_scope(select(_R.entity, _R.decision_id, _R.label, _R.message, _R.agency_id, _R.on)
                     .where(_R.check_code == code, failing(scope.today)), scope)
    if officer_id is not None:
        stmt = stmt.where(_R.officer_id == officer_id)
    stmt = stmt.order_by(_R.entity != "decision", _R.on, _R.decision_id, _R.seq).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_item(r) for r in db.session.execute(stmt)]


def iter_stored_items(scope: Scope, code: str) -> Iterator[Item]:
    """Every finding of a stored check, streamed from the database in chunks (no list of them all)."""
    stmt = _in_scope(select(_R.entity, _R.decision_id, _R.label, _R.message, _R.agency_id, _R.on)
                     .where(_R.check_code == code, failing(scope.today)), scope)
    stmt = stmt.order_by(_R.entity != "decision", _R.on, _R.decision_id, _R.seq).execution_options(yield_per=2000)
    for row in db.session.execute(stmt):
        yield _item(row)


def count_items(scope: Scope, code: str, officer_id: int | None = None) -> int:
    stmt = _in_scope(select(func.count()).select_from(_R).where(_R.check_code == code, failing(scope.today)), scope)
    if officer_id is not None:
        stmt = stmt.where(_R.officer_id == officer_id)
    return db.session.scalar(stmt) or 0


@dataclass
class OfficerTraining:
    """Training findings of one officer in the scope: how many decisions, and the first and last date."""

    officer_id: int
    name: str
    credential_number: str
    decisions: int
    first: Any
    last: Any

    @property
    def url(self) -> str:
        return f"/audit/checks/training?officer={self.officer_id}"

    def as_item(self) -> dict[str, Any]:
        return {"entity": "officer", "entity_id": self.officer_id, "label": self.name,
                "message": f"{self.decisions}件决定作出之日培训学时落后于进度（{self.first.isoformat()}至{self.last.isoformat()}）",
                "decisions": self.decisions, "url": self.url}


def training_officers(scope: Scope) -> list[OfficerTraining]:
    """Training findings summarised per officer, most decisions first."""
    n = func.count()
    stmt = _in_scope(select(_R.officer_id, Officer.name, Officer.credential_number, n, func.min(_R.on),
                            func.max(_R.on))
                     .join(Officer, Officer.id == _R.officer_id)
                     .where(_R.check_code == "training", failing(scope.today))
                     .group_by(_R.officer_id, Officer.name, Officer.credential_number), scope)
    return [OfficerTraining(*r) for r in db.session.execute(stmt.order_by(n.desc(), _R.officer_id))]


def full_result(scope: Scope, code: str) -> CheckResult:
    """A check as a CheckResult with every item (tests; small scopes): stored items then the live ones."""
    summary = summaries(scope, [code])[0]
    result = CheckResult(code, summary.title, summary.rule, summary.checked, notes=summary.notes,
                         table=summary.table, informational=summary.informational)
    if code in STORED_CHECKS:
        result.items = stored_items(scope, code)
    if summary.live is not None:
        result.items += summary.live.items
    return result
