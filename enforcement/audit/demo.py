"""Demo supervision: legal reviews for most major decisions, a few wrongly confirmed phones, some findings.

Deterministic and idempotent. What stays imperfect is chosen by id, so a
re-run picks the same decisions: about one major decision in seven has no
review; the demo generator has five recent public decisions confirm a third
person's mobile number as public; so the audit has late, unmasked and
unreviewed items to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import exists, func, insert, select

from enforcement.accounts.models import User
from enforcement.audit import findings
from enforcement.audit.checks import Scope, run_checks
from enforcement.audit.models import Finding
from enforcement.demo.town import ENFORCEMENT_TEAM, TODAY
from enforcement.disclosure.models import Agency, Decision, LegalReview
from enforcement.extensions import db


def load_audit_demo(progress: Callable[[str], None]) -> str:
    reviews = _reviews()
    unmasked = _wrongly_confirmed_phones()
    made = _findings()
    progress(f"法制审核 {reviews} 条，误确认公开电话 {unmasked} 件，监督意见 {made} 条")
    return f"法制审核 {reviews} 条，监督意见 {made} 条"


def _reviews() -> int:
    reviewer = db.session.scalar(select(User.id).where(User.username == "reviewer"))
    if reviewer is None:
        return 0
    unreviewed = db.session.execute(select(Decision.id, Decision.decided_on).where(
        Decision.is_major.is_(True), Decision.decided_on.is_not(None),
        ~exists().where(LegalReview.decision_id == Decision.id)).order_by(Decision.id)).all()
    rows = [{"decision_id": d_id, "reviewer_id": reviewer, "reviewed_on": decided - timedelta(days=1 + d_id % 3),
             "passed": True, "opinion": "主体合法，程序合法，事实清楚，证据充分，适用法律正确，裁量适当，同意作出决定。",
             "checklist": "{}"} for d_id, decided in unreviewed if d_id % 7]
    if rows:
        db.session.execute(insert(LegalReview), rows)
    return len(rows)


def _wrongly_confirmed_phones() -> int:
    """The demo generator has officers wrongly confirm a third person's mobile as public in a few cases."""
    return db.session.scalar(select(func.count()).select_from(Decision).where(Decision.masking_confirmed != "")) or 0


def _findings() -> int:
    if db.session.scalar(select(Finding.id)) is not None:
        return 0
    supervisor = db.session.scalar(select(User).where(User.username == "supervisor"))
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    team = db.session.scalar(select(Agency.id).where(Agency.credit_code == ENFORCEMENT_TEAM))
    if supervisor is None or officer is None:
        return 0
    scope = Scope(TODAY, TODAY.year)
    results = {r.code: r for r in run_checks(scope, ["publication", "masking", "legal_review"])}
    made = []
    for code in ("publication", "masking", "legal_review"):
        for item in results[code].items[:2]:
            made.append(findings.record_finding(
                supervisor, subject=f"{item.label}：{results[code].title}", description=item.message + "。请核查并整改。",
                agency_id=team, due_on=TODAY + timedelta(days=20), today=TODAY, check_code=code,
                entity=item.entity, entity_id=str(item.entity_id)))
    if len(made) >= 2:
        findings.respond(made[0], officer, "已补充公示，并对承办人员进行了提醒谈话。")
        findings.respond(made[1], officer, "已核实，系系统录入延误，已整改。")
        findings.close(made[1], supervisor, "整改到位，予以销号。")
    return len(made)
