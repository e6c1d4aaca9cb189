"""The stored public export rows: equal to a fresh projection after any edit, and the export reads only them."""

from __future__ import annotations

import io
import json
import random
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from enforcement.core.enums import DecisionStatus
from enforcement.core.exporting import csv_chunks, write_xlsx
from enforcement.disclosure import export_files, public_rows, queries
from enforcement.disclosure.models import Agency, Decision, DecisionPublicRow, Officer
from enforcement.extensions import db

DEC = queries.DECISIONS
FILTERS = [{}, {"kind": "penalty", "year": 2024}, {"state": "withdrawn"}, {"agency": 1, "date_from": date(2025, 1, 1)},
           {"q": "燃气"}, {"party": "有限公司"}]


def _old_csv(filters, on=None) -> str:
    return "".join(csv_chunks(queries.iter_rows(DEC, filters, on), DEC.export_columns))


def _new_csv(filters, on) -> str:
    out = io.BytesIO()
    export_files.write_file(DEC, filters, "csv", out, on)
    return out.getvalue().decode("utf-8")


def _stored() -> dict[int, str]:
    return dict(db.session.execute(select(DecisionPublicRow.decision_id, DecisionPublicRow.cells)).all())


def _fresh(on: date | None = None) -> dict[int, str]:
    """The rows a build for ``on`` would store."""
    on = on or queries.today()
    ids = list(db.session.scalars(select(Decision.id).where(*public_rows.candidate_conditions(on))))
    return public_rows._project(ids, on)


@pytest.fixture
def town(app):
    from enforcement.demo.loader import load_demo

    load_demo(400)
    db.session.commit()
    return app


def _sheet(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("filters", FILTERS)
def test_the_export_from_stored_rows_equals_the_projection_byte_for_byte(demo, filters):
    on = queries.today()
    assert _new_csv(filters, on) == _old_csv(filters, on)
    old, new = io.BytesIO(), io.BytesIO()
    write_xlsx(queries.iter_rows(DEC, filters, on), DEC.export_columns, old, title=DEC.label)
    export_files.write_file(DEC, filters, "xlsx", new, on)
    assert _sheet(new.getvalue()) == _sheet(old.getvalue())


def _listed_rows_match(on: date) -> None:
    """Every decision listed on ``on`` has its fresh projection stored; any other stored row is of a
    decision no longer listed (its display period ended since it was stored), which the export leaves out."""
    stored, fresh = _stored(), _fresh(on)
    assert {i: stored.get(i) for i in fresh} == fresh
    listed = set(db.session.scalars(select(Decision.id).where(*public_rows.candidate_conditions(on))))
    assert not (set(stored) - set(fresh)) & listed


def test_the_store_equals_a_fresh_projection_after_random_edits(town):
    rng = random.Random(18)
    start = date(2026, 11, 30)
    town.config["TODAY"] = start
    assert public_rows.refresh() > 0  # the first refresh builds every row
    db.session.commit()
    assert _stored() == _fresh()
    ids = list(db.session.scalars(select(Decision.id).where(*public_rows.candidate_conditions(start))))
    for round_ in range(4):
        decisions = [db.session.get(Decision, i) for i in ids]  # an export ends its session's objects
        for d in rng.sample(decisions, 6):
            d.title = f"{d.title}（更正{round_}）"
            d.facts = (d.facts or "") + f"经复核，联系电话1391234{rng.randint(1000, 9999)}。"
        officer = db.session.get(Officer, rng.choice(list(db.session.scalars(select(Officer.id)))))
        officer.name = f"{officer.name[:1]}新{round_}"
        agency = db.session.get(Agency, rng.choice(list(db.session.scalars(select(Agency.id)))))
        agency.name = f"{agency.name}（更名{round_}）"
        public = [d for d in decisions if d.status == DecisionStatus.PUBLISHED]
        gone = rng.choice(public)
        gone.status, gone.withdrawn_on, gone.withdrawal_reason = (DecisionStatus.WITHDRAWN, gone.published_on,
                                                                   "依法撤回公开")
        ending = rng.choice(public)
        ending.expires_on = start + timedelta(days=90 * round_ + 30)  # its display period ends next round
        db.session.commit()
        on = start + timedelta(days=90 * round_)  # display periods end as days pass
        town.config["TODAY"] = on
        changed = public_rows.refresh()
        db.session.commit()
        assert 0 < changed < len(decisions)  # caught up, not rebuilt
        _listed_rows_match(on)
        for filters in ({}, {"state": "withdrawn"}, {"agency": agency.id}):
            assert _new_csv(filters, on) == _old_csv(filters, on)
    # A day before the store's: rows of decisions whose period ended since may be missing, so it rebuilds.
    assert public_rows.pending(start) and _new_csv({}, start) == _old_csv({}, start)
    assert _stored() == _fresh(start)


def test_after_one_edit_the_store_catches_up_one_row_and_nothing_when_nothing_changed(town):
    public_rows.refresh()
    db.session.commit()
    assert not public_rows.pending() and public_rows.refresh() == 0
    d = db.session.scalar(select(Decision).where(*public_rows.candidate_conditions(queries.today())).limit(1))
    d.title = "擅自占用城市道路"
    db.session.commit()
    assert public_rows.pending()
    assert public_rows.refresh() == 1
    db.session.commit()
    assert json.loads(_stored()[d.id])[[k for k, _ in DEC.export_columns].index("title")] == "擅自占用城市道路"


def test_a_decision_leaving_public_view_leaves_the_store(town):
    public_rows.refresh()
    d = db.session.scalar(select(Decision).where(*public_rows.candidate_conditions(queries.today())).limit(1))
    d.party_is_minor = True
    db.session.commit()
    public_rows.refresh()
    db.session.commit()
    assert d.id not in _stored() and _stored() == _fresh()


def test_the_export_masks_nothing_once_the_store_is_current(town, monkeypatch):
    from enforcement.core import masking

    export_files.current_rows()
    expected = _old_csv({})

    def refuse(*_a, **_k):
        raise AssertionError("masking ran at export time")

    monkeypatch.setattr(masking, "mask_text", refuse)
    monkeypatch.setattr(masking, "mask_person_name", refuse)
    assert _new_csv({}, queries.today()) == expected


def test_a_new_version_or_a_replaced_change_log_rebuilds(town, monkeypatch):
    total = public_rows.refresh()
    db.session.commit()
    monkeypatch.setattr(public_rows, "VERSION", "test-next")
    assert public_rows.pending() and public_rows.refresh() == total


def test_the_commands_build_the_rows_and_the_cli_export_reads_them(town, tmp_path):
    runner = town.test_cli_runner()
    result = runner.invoke(args=["decisions", "public-rows"])
    assert result.exit_code == 0 and "公开导出行" in result.output
    assert not public_rows.pending()
    out = tmp_path / "d.csv"
    result = runner.invoke(args=["export", "decisions", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes().decode("utf-8") == _old_csv({})
    result = runner.invoke(args=["decisions", "public-rows", "--rebuild"])
    assert result.exit_code == 0 and _stored() == _fresh()
