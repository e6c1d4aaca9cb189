"""The decision-level audit rules, evaluated per decision into stored rows (enforcement.audit.models.AuditResult).

Each rule here states, for one decision, the same thing as its full-table check in ``checks_decisions`` /
``checks_public`` does for a scope and a day, but as *date intervals*: from when the unit counts as checked
and from when (until when) it is a finding. A row computed once is therefore right on every later day, and
only a change to the decision, one of its officers, an officer's training record or the rules recomputes it.
``tests/audit/test_incremental.py`` proves the stored rows give exactly the full checks' counts and items.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from enforcement.audit import checks_decisions  # noqa: F401  (registered first: the dashboard order)
from enforcement.audit.checks import WorkingDays
from enforcement.audit.checks_public import REQUIRED, _DecisionRow, decision_leaks, leak_message
from enforcement.core import settings
from enforcement.disclosure import projection, rules
from enforcement.disclosure.models import Decision, LegalReview, Officer, decision_officers
from enforcement.extensions import db

NEVER = date(9999, 12, 31)  # an interval that does not end
ALWAYS = date(1, 1, 1)  # an interval that has always begun
STORED_CHECKS = ("publication", "withdrawal", "expired", "officers", "training", "legal_review", "completeness",
                 "masking")
_PUBLIC = {str(s) for s in projection.PUBLIC_STATUSES}
_DECISION_FIELDS = REQUIRED["decision"][1]
ZERO = Decimal("0")
TENTH = Decimal("0.1")


class TrainingHistory:
    """Every officer's attendance as cumulative hours, so hours earned in a year up to a day is two bisects."""

    def __init__(self, rows: Iterable[tuple[int, date, Any]]):
        self._days: dict[int, list[date]] = defaultdict(list)
        self._totals: dict[int, list[Decimal]] = defaultdict(list)
        for officer_id, day, hours in sorted(rows, key=lambda r: (r[0], r[1])):
            totals = self._totals[officer_id]
            self._days[officer_id].append(day)
            totals.append((totals[-1] if totals else ZERO) + Decimal(hours))

    def _upto(self, officer_id: int, day: date) -> Decimal:
        days = self._days.get(officer_id)
        if not days:
            return ZERO
        i = bisect.bisect_right(days, day)
        return self._totals[officer_id][i - 1] if i else ZERO

    def earned(self, officer_id: int, on: date) -> Decimal:
        """Hours attended from 1 January of ``on``'s year up to and including ``on`` (training.services rules)."""
        return self._upto(officer_id, on) - self._upto(officer_id, date(on.year, 1, 1) - timedelta(days=1))


def load_training() -> TrainingHistory:
    """All attendance rows (officer, day, hours): a few per officer and month, read once per evaluation."""
    from enforcement.training.models import Attendance

    return TrainingHistory(db.session.execute(select(Attendance.officer_id, Attendance.attended_on, Attendance.hours)))


class Evaluator:
    """Evaluates decisions into row dicts for ``audit_results``; one instance per refresh (shares the calendar)."""

    def __init__(self, training: TrainingHistory | None = None):
        from enforcement.training import services as training_services

        self.days = WorkingDays()
        self.training = training or load_training()
        self.required = training_services.required_hours()
        self.expected_by = training_services.expected_by
        self.withdraw_days = settings.get("withdraw_days")

    def _due(self, start: date, n: int) -> tuple[date, str]:
        self.days.provisional_years = set()
        due = self.days.due(start, n)
        return due, ",".join(str(y) for y in sorted(self.days.provisional_years))

    def rows(self, ids: list[int]) -> Iterator[dict[str, Any]]:
        """Rows for the given decision ids (a missing id, a deleted decision, gives none)."""
        decisions = db.session.execute(select(*Decision.__table__.columns).where(Decision.id.in_(ids))
                                       .order_by(Decision.id)).mappings().all()
        officers: dict[int, list] = defaultdict(list)
        for r in db.session.execute(
                select(decision_officers.c.decision_id, Officer.id, Officer.name, Officer.credential_number,
                       Officer.status, Officer.credential_issued_on, Officer.credential_expires_on)
                .join(Officer, Officer.id == decision_officers.c.officer_id)
                .where(decision_officers.c.decision_id.in_(ids)).order_by(Officer.id)):
            officers[r.decision_id].append(r)
        reviews: dict[int, list] = defaultdict(list)
        for r in db.session.execute(select(LegalReview.decision_id, LegalReview.passed, LegalReview.reviewed_on)
                                    .where(LegalReview.decision_id.in_(ids))):
            reviews[r.decision_id].append(r)
        for d in decisions:
            yield from self.decision_rows(d, officers.get(d["id"], []), reviews.get(d["id"], []))

    def decision_rows(self, d, officers: list, reviews: list) -> Iterator[dict[str, Any]]:
        decided = d["decided_on"] is not None and d["status"] not in ("draft", "in_review")
        base = {"decision_id": d["id"], "agency_id": d["agency_id"], "label": d["number"],
                "year": d["decided_on"].year if d["decided_on"] else None, "on": d["decided_on"]}
        if decided:
            yield from self._publication(d, base)
            yield from self._officers(d, base, officers)
            yield from self._training(d, base, officers)
            yield from self._legal_review(d, base, reviews)
        yield from self._withdrawal(d, base)
        public = (d["published_on"] is not None and not d["party_is_minor"] and d["status"] in _PUBLIC)
        if public:
            yield from self._public(d, base)

    def _publication(self, d, base) -> Iterator[dict]:
        kinds = [k for k in d["penalty_kinds"].split(",") if k]
        if not rules.needs_publication(d["kind"], d["procedure"], kinds, d["party_is_minor"]):
            return
        due, provisional = self._due(d["decided_on"], rules.publish_days(d["kind"]))
        row = {**base, "check_code": "publication", "provisional": provisional,
               "checked_from": ALWAYS if d["published_on"] else due + timedelta(days=1)}
        if d["published_on"] is None:
            row.update(flag="overdue", failing_from=due + timedelta(days=1),
                       message=f"未公示：{d['decided_on'].isoformat()}作出，应于{due.isoformat()}前公示")
        elif d["published_on"] > due:
            late = self.days.count_between(due, d["published_on"])
            row.update(flag="late", failing_from=ALWAYS,
                       message=f"公示超期：应于{due.isoformat()}前公示，实际{d['published_on'].isoformat()}公示"
                               f"（逾期{late}个工作日）")
        yield row

    def _withdrawal(self, d, base) -> Iterator[dict]:
        if d["ended_on"] is None or d["published_on"] is None:
            return
        due, provisional = self._due(d["ended_on"], self.withdraw_days)
        row = {**base, "check_code": "withdrawal", "year": d["ended_on"].year, "on": d["ended_on"],
               "provisional": provisional, "checked_from": ALWAYS if d["withdrawn_on"] else due + timedelta(days=1)}
        if d["withdrawn_on"] is None:
            row.update(failing_from=due + timedelta(days=1),
                       message=f"未撤回：{d['ended_on'].isoformat()}失效，应于{due.isoformat()}前撤回公示")
        elif d["withdrawn_on"] > due:
            row.update(failing_from=ALWAYS,
                       message=f"撤回超期：应于{due.isoformat()}前撤回，实际{d['withdrawn_on'].isoformat()}撤回")
        yield row

    def _officers(self, d, base, officers: list) -> Iterator[dict]:
        row = {**base, "check_code": "officers"}
        if len(officers) < 2:
            row.update(failing_from=ALWAYS, message=f"执法人员仅{len(officers)}名")
        yield row
        for seq, o in enumerate(officers, 1):
            if o.status != "valid" or o.credential_issued_on > d["decided_on"] or o.credential_expires_on < d["decided_on"]:
                why = "证件已暂扣或注销" if o.status != "valid" else "决定之日执法证不在有效期内"
                yield {**base, "check_code": "officers", "counts": 0, "seq": seq, "officer_id": o.id,
                       "failing_from": ALWAYS, "message": f"执法人员{o.name}（{o.credential_number}）{why}"}

    def _training(self, d, base, officers: list) -> Iterator[dict]:
        on = d["decided_on"]
        expected = self.expected_by(on, self.required)
        for seq, o in enumerate(officers, 1):
            row = {**base, "check_code": "training", "seq": seq, "officer_id": o.id}
            earned = self.training.earned(o.id, on)
            if earned < expected:
                row.update(failing_from=on,
                           message=f"执法人员{o.name}培训学时落后：已完成{earned.quantize(TENTH)}学时，应完成{expected}学时")
            yield row

    def _legal_review(self, d, base, reviews: list) -> Iterator[dict]:
        if not d["is_major"]:
            return
        row = {**base, "check_code": "legal_review"}
        if not any(r.passed and r.reviewed_on <= d["decided_on"] for r in reviews):
            what = "法制审核在决定作出之后才通过" if any(r.passed for r in reviews) else "无通过的法制审核"
            reasons = f"（{d['major_reasons']}）" if d["major_reasons"] else ""
            row.update(failing_from=ALWAYS, message=f"重大执法决定{reasons}{what}")
        yield row

    def _public(self, d, base) -> Iterator[dict]:
        """Rows of the checks over what the public sees, while the decision is public (until ``expires_on``)."""
        until = d["expires_on"] or NEVER
        shown = {**base, "checked_until": until}
        kinds = [k for k in d["penalty_kinds"].split(",") if k]
        ends = rules.expiry_date(d["kind"], kinds, d["fine_amount"], d["party_type"], d["published_on"])
        row = {**shown, "check_code": "expired", "on": d["published_on"]}
        if ends is not None and ends < until:
            stated = d["expires_on"].isoformat() if d["expires_on"] else "未设置"
            row.update(failing_from=ends, failing_until=until,
                       message=f"公示期已于{ends.isoformat()}届满，仍在公开（登记的期满日：{stated}）")
        yield row
        row = {**shown, "check_code": "completeness", "label": f"执法决定 {d['number']}", "on": None}
        if any(str(d[f] or "").strip(" ") == "" for f in _DECISION_FIELDS):
            missing = [label for f, label in _DECISION_FIELDS.items() if not str(d[f] or "").strip()]
            row.update(failing_from=ALWAYS, failing_until=until, message="缺少：" + "、".join(missing))
        yield row
        row = {**shown, "check_code": "masking"}
        leaks = decision_leaks(_DecisionRow(d), d["published_on"] if until > d["published_on"] else until - timedelta(1))
        if leaks:
            row.update(failing_from=ALWAYS, failing_until=until, message=leak_message(leaks))
        yield row


def standing_rows(ids: dict[str, set[int]] | None = None) -> Iterator[dict[str, Any]]:
    """Masking rows for standing records (agencies, powers, procedures, inspection items): findings only,
    counted in the all-years audit (they have no year), as ``checks_public._standing_leaks`` finds them."""
    from enforcement.audit.checks_public import _standing_leaks

    for item in _standing_leaks(ids):
        yield {"check_code": "masking", "entity": item.entity, "decision_id": item.entity_id, "counts": 0,
               "year": None, "agency_id": item.agency_id, "on": None, "label": item.label, "message": item.message,
               "failing_from": ALWAYS}


def complete(row: dict[str, Any]) -> dict[str, Any]:
    """Fill a row's defaults for a bulk insert (every row of one insert must have the same keys)."""
    row.setdefault("entity", "decision")
    row.setdefault("officer_id", None)
    row.setdefault("seq", 0)
    row.setdefault("counts", 1)
    row.setdefault("checked_from", ALWAYS)
    row.setdefault("checked_until", NEVER)
    row.setdefault("failing_from", None)
    if row["failing_from"] is not None:
        row.setdefault("failing_until", NEVER)
    else:
        row["failing_until"] = None
    row.setdefault("flag", "")
    row.setdefault("message", "")
    row.setdefault("provisional", "")
    row["label"] = (row.get("label") or "")[:300]
    return row
