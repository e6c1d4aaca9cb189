"""The change log is written in the same transaction as the change, or not at all."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from enforcement.core.changelog import changes_since, latest_id
from enforcement.core.models import ChangeLog
from enforcement.disclosure.models import Agency, ProcedureGuide, ProcedureStep
from enforcement.extensions import db


def make_agency(code="11110115MB1C435893") -> Agency:
    agency = Agency(name="西红门镇人民政府", credit_code=code, legal_status="statutory")
    db.session.add(agency)
    return agency


def test_a_committed_change_leaves_a_row(app):
    agency = make_agency()
    db.session.commit()
    rows = changes_since(db.session, 0)
    assert [(r.entity, r.entity_id, r.op) for r in rows] == [("agency", agency.id, "upsert")]


def test_a_failed_transaction_leaves_no_row(app):
    make_agency()
    db.session.commit()
    before = latest_id(db.session)
    make_agency("12110115MB0X76251M")
    make_agency("11110115MB1C435893")  # duplicate credit code: the flush fails
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert latest_id(db.session) == before
    assert db.session.scalar(select(func.count()).select_from(Agency)) == 1


def test_a_rolled_back_change_leaves_no_row(app):
    make_agency()
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ChangeLog)) == 0


def test_updates_and_deletes_are_logged_and_child_rows_log_their_parent(app):
    agency = make_agency()
    db.session.flush()
    proc = ProcedureGuide(code="LC-1", item="一般程序", agency_id=agency.id)
    db.session.add(proc)
    db.session.commit()
    start = latest_id(db.session)
    proc.steps.append(ProcedureStep(position=1, name="立案"))
    db.session.commit()
    assert [(r.entity, r.entity_id, r.op) for r in changes_since(db.session, start)] == [("procedure", proc.id, "upsert")]
    start = latest_id(db.session)
    db.session.delete(proc)
    db.session.commit()
    assert ("procedure", proc.id, "delete") in [(r.entity, r.entity_id, r.op) for r in changes_since(db.session, start)]


def test_ids_are_monotonic(app):
    for i in range(3):
        agency = make_agency()
        db.session.commit()
        agency.name = f"名称{i}"
        db.session.commit()
        db.session.delete(agency)
        db.session.commit()
    ids = [r.id for r in changes_since(db.session, 0)]
    assert ids == sorted(ids) and len(ids) == 9
