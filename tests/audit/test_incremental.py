"""The stored, incrementally kept audit equals a full recomputation, on the demo town, after random changes.

The reference is the full checks (``run_checks``), which read every table afresh; the stored audit is kept
current only from the change log, officers' training fingerprints and the rules. Compared on several days
(deadlines passing, display periods ending), years and one agency.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from enforcement.audit import incremental, results, streaming
from enforcement.audit.checks import Scope, run_checks
from enforcement.audit.evaluate import STORED_CHECKS
from enforcement.audit.models import AuditResult
from enforcement.demo.town import TODAY
from enforcement.disclosure.models import Agency, Decision, LegalReview, Officer, ProcedureGuide
from enforcement.extensions import db
from enforcement.training.models import Attendance

DAYS = (TODAY, TODAY - timedelta(days=150), TODAY + timedelta(days=400))


@pytest.fixture
def town(app):
    from enforcement.demo.loader import load_demo

    load_demo(400)
    db.session.commit()
    return app


def _key(items) -> list[tuple]:
    return sorted((i.entity, str(i.entity_id), i.label, i.message, i.agency_id) for i in items)


def assert_same_as_full() -> int:
    """Every stored check equals the full check in every scope tried; returns the findings compared."""
    agency = db.session.scalar(select(func.min(Agency.id)))
    compared = 0
    for today in DAYS:
        for year, agency_id in ((None, None), (TODAY.year, None), (TODAY.year - 1, None), (None, agency)):
            scope = Scope(today, year, agency_id)
            for code in STORED_CHECKS:
                full = run_checks(scope, [code])[0]
                stored = results.full_result(scope, code)
                where = f"{code} on {today} year {year} agency {agency_id}"
                assert stored.checked == full.checked, where
                assert _key(stored.items) == _key(full.items), where
                if code == "publication":
                    assert stored.table == full.table, where
                compared += len(full.items)
    return compared


def _stored_rows() -> list[tuple]:
    return sorted((tuple(r) for r in db.session.execute(select(
        AuditResult.check_code, AuditResult.decision_id, AuditResult.officer_id, AuditResult.seq, AuditResult.year,
        AuditResult.agency_id, AuditResult.on, AuditResult.counts, AuditResult.checked_from, AuditResult.checked_until,
        AuditResult.failing_from, AuditResult.failing_until, AuditResult.flag, AuditResult.label, AuditResult.message))),
                  key=repr)


def _change_at_random(rng: random.Random) -> None:
    """Edits, publications, withdrawals, expiry, officers' credentials, training, legal review: through the ORM."""
    ids = list(db.session.scalars(select(Decision.id).order_by(Decision.id)))
    for d in (db.session.get(Decision, i) for i in rng.sample(ids, 6)):  # edits: a phone, an empty field
        d.facts = (d.facts or "") + f"当事人联系电话1391234{rng.randint(1000, 9999)}。"
    db.session.get(Decision, rng.choice(ids)).result = ""
    unpublished = list(db.session.scalars(select(Decision).where(Decision.published_on.is_(None),
                                                                 Decision.decided_on.is_not(None)).limit(40)))
    for d in rng.sample(unpublished, min(4, len(unpublished))):  # publications, some late
        d.published_on = d.decided_on + timedelta(days=rng.choice([2, 30]))
        d.status = "published"
    published = list(db.session.scalars(select(Decision).where(Decision.status == "published").limit(200)))
    for d in rng.sample(published, 4):  # revoked, withdrawn on time or late, or not at all
        d.status, d.ended_on, d.ended_reason = "revoked", d.published_on + timedelta(days=40), "复议撤销"
        d.withdrawn_on = rng.choice([None, d.ended_on + timedelta(days=1), d.ended_on + timedelta(days=30)])
    for d in rng.sample(published, 3):  # expiry: the registered end moves, or the display period is over
        d.expires_on = rng.choice([TODAY - timedelta(days=3), TODAY + timedelta(days=90), None])
    for o in rng.sample(list(db.session.scalars(select(Officer))), 3):  # credentials
        o.credential_expires_on = TODAY - timedelta(days=rng.randint(30, 900))
    rng.choice(list(db.session.scalars(select(Officer)))).status = "suspended"
    attendance = list(db.session.scalars(select(Attendance).order_by(Attendance.id)))
    for a in rng.sample(attendance, min(5, len(attendance))):  # training that changes standing
        a.hours = Decimal("0.5")
    for a in rng.sample(attendance, min(2, len(attendance))):
        db.session.delete(a)
    procedure = rng.choice(list(db.session.scalars(select(ProcedureGuide))))  # standing records the masking scans
    procedure.conditions = (procedure.conditions or "") + f"咨询联系人手机1391234{rng.randint(1000, 9999)}。"
    review = db.session.scalar(select(LegalReview).order_by(LegalReview.id))
    if review is not None:
        review.reviewed_on = review.reviewed_on + timedelta(days=60)
    db.session.commit()


def test_incremental_audit_equals_full_recomputation_after_random_changes(town):
    assert incremental.refresh() == db.session.scalar(select(func.count(Decision.id)))  # first: a build
    db.session.commit()
    assert assert_same_as_full() > 0
    assert incremental.refresh() == 0  # nothing changed: nothing recomputed
    rng = random.Random(18)
    for _round in range(3):
        _change_at_random(rng)
        recomputed = incremental.refresh()
        db.session.commit()
        assert 0 < recomputed < db.session.scalar(select(func.count(Decision.id)))  # only what changed
        assert_same_as_full()
    kept = _stored_rows()
    incremental.refresh(full=True)
    db.session.commit()
    assert _stored_rows() == kept  # and the same rows as a rebuild from scratch


def test_a_rule_change_rebuilds(town):
    from enforcement.core import settings

    incremental.refresh()
    db.session.commit()
    settings.set_value("publish_days_penalty_licensing", 3)
    db.session.commit()
    assert incremental.refresh() == db.session.scalar(select(func.count(Decision.id)))
    db.session.commit()
    assert_same_as_full()


def test_json_is_streamed_with_training_per_officer(town):
    incremental.refresh()
    db.session.commit()
    scope = Scope(TODAY)
    chunks = list(streaming.iter_json(scope))
    assert len(chunks) > 100  # written a finding at a time
    doc = json.loads("".join(chunks))
    training = next(c for c in doc["checks"] if c["code"] == "training")
    pairs = run_checks(scope, ["training"])[0].items
    assert training["failed"] == len(pairs)
    assert len(training["items"]) == len({i.message.split("培训")[0] for i in pairs}) < len(pairs)
    assert sum(i["decisions"] for i in training["items"]) == len(pairs)
    assert all(i["url"].startswith("/audit/checks/training?officer=") for i in training["items"])
    publication = next(c for c in doc["checks"] if c["code"] == "publication")
    assert len(publication["items"]) == publication["failed"] == len(run_checks(scope, ["publication"])[0].items)
