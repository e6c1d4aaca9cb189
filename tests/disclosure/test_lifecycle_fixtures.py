"""A minimal town for the back-office tests: two officers on the case, one with a lapsed credential, reviewers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from enforcement.accounts.models import User
from enforcement.accounts.services import create_user
from enforcement.core.audit_log import AuditEvent
from enforcement.core.errors import RuleViolation
from enforcement.disclosure import lifecycle
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Decision, Officer
from enforcement.extensions import db
from tests.disclosure.helpers import AGENCY, keep_trained, load_minimal_town

TODAY = date(2026, 11, 27)  # a Friday, so working-day deadlines are easy to read
LAPSED = {"name": "赵六", "agency_credit_code": AGENCY["credit_code"], "credential_number": "11011500003",
          "credential_issued_on": "2015-01-01", "credential_expires_on": "2021-01-01"}


@dataclass
class Town:
    officer: User
    reviewer: User
    unqualified_reviewer: User
    reviewer_on_case: User


@pytest.fixture
def town(app) -> Town:
    load_minimal_town()
    import_rows("officers", [(1, LAPSED)])
    keep_trained(["11011500001", "11011500002"])  # the case's two officers may act (the lapsed one may not)
    officers = {o.credential_number: o.id for o in db.session.scalars(select(Officer))}
    town = Town(
        officer=create_user("officer", "officer-pass-123", ["officer"], officer_id=officers["11011500001"]),
        reviewer=create_user("reviewer", "reviewer-pass-123", ["reviewer"], has_legal_qualification=True),
        unqualified_reviewer=create_user("junior", "reviewer-pass-123", ["reviewer"]),
        reviewer_on_case=create_user("colleague", "reviewer-pass-123", ["reviewer", "officer"],
                                     officer_id=officers["11011500002"], has_legal_qualification=True),
    )
    db.session.commit()
    return town


def draft_input(**overrides) -> dict:
    """What an officer types into the decision form (a natural person fined 2,000 yuan: not major)."""
    raw = {
        "number": "京兴西罚字〔2026〕第0101号", "kind": "penalty", "procedure": "ordinary",
        "agency_credit_code": AGENCY["credit_code"], "title": "未安装燃气泄漏报警装置案",
        "party_type": "person", "party_name": "张三", "party_id_number": "11010519491231002X",
        "party_address": "北京市大兴区西红门镇金星小区3号楼2单元501室", "party_phone": "13912345678",
        "facts": "当事人张三（身份证号：11010519491231002X，联系电话：13912345678）经营的餐馆未安装燃气泄漏报警装置，证人李四在场。",
        "basis": "《北京市燃气管理条例》第五十九条", "result": "罚款人民币2,000元，责令改正。",
        "penalty_kinds": ["fine"], "fine_amount": "2000", "filed_on": "2026-10-20",
        "officers": ["11011500001", "11011500002"], "powers": ["P-RQ-59"], "other_names": "李四",
    }
    raw.update(overrides)
    return raw


def make_draft(**overrides) -> Decision:
    d = lifecycle.save_draft(None, draft_input(**overrides))
    db.session.commit()
    return d


def mask_everything(d: Decision) -> None:
    from enforcement.disclosure import publish_check

    publish_check.record_choices(d, {s.value: publish_check.MASK for s in publish_check.suspects(d)})
    db.session.commit()


def last_event() -> AuditEvent:
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))


def assert_refused(action, message: str, d: Decision | None = None, audit_action: str = "") -> RuleViolation:
    """The step is refused with ``message``, the decision is unchanged, and the refusal is in the audit log."""
    before = lifecycle.decision_snapshot(d) | {"version": d.version} if d is not None else None
    with pytest.raises(RuleViolation) as refused:
        action()
    assert message in refused.value.message
    if d is not None:
        db.session.expire_all()
        assert lifecycle.decision_snapshot(d) | {"version": d.version} == before
    event = last_event()
    assert event.outcome == "refused" and message in json.loads(event.detail)["reason"]
    if audit_action:
        assert event.action == audit_action
    return refused.value
