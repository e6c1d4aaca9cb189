"""The demo town is realistic, deterministic, and its public projection leaks nothing."""

from datetime import date

from sqlalchemy import func, select

from enforcement.disclosure.models import Agency, Decision, Officer, Power
from enforcement.disclosure.projection import public_decision
from enforcement.extensions import db


def test_the_demo_town_has_every_category(demo):
    assert db.session.scalar(select(func.count()).select_from(Decision).where(Decision.status.notin_(["draft", "in_review"]))) == 3000
    assert 25 <= db.session.scalar(select(func.count()).select_from(Officer)) <= 35
    assert 100 <= db.session.scalar(select(func.count()).select_from(Power)) <= 140
    assert db.session.scalar(select(Agency.name).where(Agency.legal_status == "statutory")) == "北京市大兴区西红门镇人民政府"
    years = {y for (y,) in db.session.execute(select(func.min(Decision.decided_on)).union(select(func.max(Decision.decided_on))))}
    assert min(years).year == 2019 and max(years).year == 2026


def test_some_credentials_are_expired_or_expiring(demo):
    officers = db.session.scalars(select(Officer)).all()
    demo_day = date(2026, 11, 28)
    assert any(o.credential_expires_on < demo_day for o in officers)
    assert any(0 <= (o.credential_expires_on - demo_day).days <= 60 for o in officers)


def test_raw_party_data_holds_the_private_data_masking_must_hide(demo):
    persons = db.session.scalars(select(Decision).where(Decision.party_type == "person")).all()
    assert persons and all(d.party_id_number and d.party_phone and d.party_address for d in persons)
    assert any(d.party_id_number in d.facts for d in persons)
    assert any(d.other_names for d in persons)


def test_no_public_projection_contains_a_raw_private_value(demo):
    checked = 0
    for d in db.session.scalars(select(Decision)):
        projected = public_decision(d, today=date(2026, 11, 28))
        if projected is None:
            continue
        text = repr(projected)
        private = [d.party_id_number, d.party_phone, d.party_bank_account, *d.other_names.splitlines()]
        if d.party_type != "organisation":
            private.append(d.party_address)
        if d.party_type == "person":
            private.append(d.party_name)
        if d.party_type == "sole_trader":
            private.append(d.party_legal_rep)
        leaked = [p for p in private if p and p in text]
        assert not leaked, (d.number, leaked)
        checked += 1
    assert checked > 500


def test_minors_cases_are_never_public(demo):
    minors = db.session.scalars(select(Decision).where(Decision.party_is_minor.is_(True))).all()
    assert minors and all(public_decision(d) is None for d in minors)


def test_loading_twice_changes_nothing(demo):
    from enforcement.demo.loader import load_demo

    count = db.session.scalar(select(func.count()).select_from(Decision))
    before = db.session.scalar(select(func.max(Decision.updated_at)))
    load_demo(3000)
    assert db.session.scalar(select(func.count()).select_from(Decision)) == count
    assert db.session.scalar(select(func.max(Decision.updated_at))) == before
    db.session.rollback()
