"""Separation of duties on the person, not the role (行政处罚法 art. 58; DOMAIN.md).

Whoever drafted, edited, submitted, handled, decided or published a case, filed
its records, recorded a recusal on it or was assigned to it cannot legally
review it, whatever roles the account holds; and whoever reviewed a case cannot
then handle it. Every combination of a reviewer's other roles with every part
taken in a case is tried.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from enforcement.accounts.services import create_user
from enforcement.core.errors import RuleViolation
from enforcement.disclosure import assignments, lifecycle, policy, records
from enforcement.disclosure.models import CaseParticipation, Officer
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import TODAY, draft_input, make_draft

town = fixtures.town
FULL = {key: True for key, _label in lifecycle.REVIEW_CHECKLIST}
ROLE_SETS = [("officer", "reviewer"), ("officer", "reviewer", "supervisor"), ("officer", "reviewer", "admin")]
MAJOR = {"fine_amount": "8000", "result": "罚款人民币8,000元。"}


def account(roles) -> object:
    """A qualified reviewer account of the case's agency holding ``roles``."""
    user = create_user("dual", "dual-pass-2026", list(roles), has_legal_qualification=True,
                       agency_id=db.session.scalar(select(Officer.agency_id).limit(1)))
    db.session.commit()
    return user


def officer_id(number: str) -> int:
    return db.session.scalar(select(Officer.id).where(Officer.credential_number == number))


def _draft_by(user):
    d = lifecycle.save_draft(None, draft_input(**MAJOR), actor=user)
    db.session.commit()
    return d


def _edited_by(user):
    d = make_draft(**MAJOR)
    lifecycle.save_draft(d, draft_input(**MAJOR, title="修改后的案由"), d.version, actor=user)
    db.session.commit()
    return d


def _submitted_by(user):
    d = make_draft(**MAJOR)
    lifecycle.submit_for_review(d, actor=user)
    db.session.commit()
    return d


def _recusal_by(user):
    d = make_draft(**MAJOR)
    lifecycle.recuse(d, officer_id("11011500002"), "与当事人系亲属", user.username, actor=user)
    db.session.commit()
    return d


def _filed_by(user):
    d = make_draft(**MAJOR)
    records.file_record(d, kind="text", title="笔录", file_name="笔录.txt", content_type="text/plain",
                        stream=io.BytesIO(b"note"), filed_by=user.username, actor=user)
    db.session.commit()
    return d


def _assigned(user):
    d = make_draft(**MAJOR)
    assignments.assign(d, user.username, "联合执法")
    db.session.commit()
    return d


THREE = ["11011500001", "11011500002", "11011500003"]


def _named_officer(user):
    user.officer_id = officer_id("11011500003")  # the account of one of the case's officers
    return make_draft(**MAJOR, officers=THREE)


def _recused_officer(user):
    user.officer_id = officer_id("11011500003")
    d = make_draft(**MAJOR, officers=THREE)
    lifecycle.recuse(d, officer_id("11011500003"), "与当事人系亲属", "officer")
    db.session.commit()
    return d


def _recorded(part):
    """Parts that come after a review in the lifecycle (deciding, publishing…) as the step records them."""
    def make(user):
        d = make_draft(**MAJOR)
        db.session.add(CaseParticipation(decision_id=d.id, user_id=user.id, part=part))
        db.session.commit()
        return d
    return make


PARTS = {"drafted": _draft_by, "edited": _edited_by, "submitted": _submitted_by, "recusal": _recusal_by,
         "filed": _filed_by, "assigned": _assigned, "named officer": _named_officer,
         "recused officer": _recused_officer, "decided": _recorded("decided"), "published": _recorded("published"),
         "ended": _recorded("ended"), "withdrawn": _recorded("withdrawn")}


def in_review(d):
    if d.status == "draft":
        lifecycle.submit_for_review(d)
        db.session.commit()
    return d


@pytest.mark.parametrize("roles", ROLE_SETS, ids="+".join)
@pytest.mark.parametrize("part", list(PARTS))
def test_an_account_that_took_part_cannot_review(town, roles, part):
    user = account(roles)
    d = in_review(PARTS[part](user))
    db.session.commit()
    with pytest.raises(RuleViolation, match="参与了本案办理"):
        lifecycle.record_review(d, user, passed=True, opinion="同意", checklist=FULL, reviewed_on=TODAY, today=TODAY)
    db.session.rollback()
    assert d.reviews == [] and d.status == "in_review"


@pytest.mark.parametrize("roles", ROLE_SETS, ids="+".join)
def test_the_same_account_reviews_a_case_it_took_no_part_in(town, roles):
    user = account(roles)
    d = in_review(make_draft(**MAJOR))
    review = lifecycle.record_review(d, user, passed=True, opinion="同意", checklist=FULL, reviewed_on=TODAY,
                                     today=TODAY)
    db.session.commit()
    assert lifecycle.passing_review(d) is review


HANDLING = ["decision.update", "decision.submit_review", "decision.decide", "decision.publish", "decision.end",
            "decision.withdraw", "decision.recuse", "decision.assign", "record.file"]


@pytest.mark.parametrize("action", HANDLING)
def test_an_account_that_reviewed_a_case_cannot_handle_it(town, action):
    user = account(["officer", "reviewer"])
    d = in_review(make_draft(**MAJOR))
    assert policy.allowed(action, user, d)
    lifecycle.record_review(d, user, passed=True, opinion="同意", checklist=FULL, reviewed_on=TODAY, today=TODAY)
    db.session.commit()
    assert "审核与办理分离" in policy.problem(action, user, d)


def test_the_reported_case_an_officer_reviewer_drafts_reviews_and_decides_its_own_major_decision(town, client):
    """The fault found in the probe: one account did all three. Now the review is refused on the page."""
    user = account(["officer", "reviewer"])
    login_as(client, "dual")
    assert client.post("/staff/decisions/new", data=draft_input(**MAJOR)).status_code == 302
    d = db.session.scalar(select(fixtures.Decision))
    client.post(f"/staff/decisions/{d.id}/submit-review")
    page = client.post(f"/staff/decisions/{d.id}/review", data={
        "passed": "1", "opinion": "同意", "reviewed_on": TODAY.isoformat(), "checklist": list(FULL)})
    assert "参与了本案办理" in page.get_data(as_text=True)
    db.session.expire_all()
    assert d.reviews == [] and user.id in {p.user_id for p in db.session.scalars(select(CaseParticipation))}
    client.post(f"/staff/decisions/{d.id}/decide", data={"decided_on": TODAY.isoformat(), "version": d.version})
    db.session.expire_all()
    assert d.status == "in_review"
