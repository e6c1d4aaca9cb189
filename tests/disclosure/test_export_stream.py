"""The streamed decisions export: the same file as the ORM projection, cached per change-log generation."""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import quote

import pytest

from enforcement.core.exporting import csv_chunks
from enforcement.disclosure import export_files, queries
from enforcement.disclosure.export_stream import decision_rows
from enforcement.extensions import db


def _csv(rows) -> str:
    return "".join(csv_chunks(rows, queries.DECISIONS.export_columns))


@pytest.mark.parametrize("filters", [{}, {"kind": "penalty", "year": 2024}, {"state": "withdrawn"},
                                     {"agency": 1, "date_from": date(2025, 1, 1)}, {"q": "燃气"}])
def test_the_streamed_export_equals_the_orm_projection_row_for_row(demo, filters):
    """Same rows, same order, same masking as the list pages' projection of ORM objects."""
    old = _csv(queries.iter_rows(queries.DECISIONS, filters))
    new = _csv(decision_rows(filters, batch=97))  # a batch size that splits days: keyset order must hold
    assert new == old
    assert new.count("\n") > 1


def test_the_streamed_export_holds_no_private_value_of_the_demo(demo):
    from sqlalchemy import select

    from enforcement.disclosure.models import Decision

    text = _csv(decision_rows({}))
    private = db.session.execute(select(Decision.party_id_number, Decision.party_phone).where(
        Decision.published_on.is_not(None), Decision.party_id_number != "").limit(200)).all()
    assert private
    for id_number, phone in private:
        assert id_number not in text
        assert not phone or phone not in text


def test_a_second_download_is_served_from_the_cache_until_something_changes(app, client, monkeypatch):
    from enforcement.disclosure.importing import import_rows
    from enforcement.disclosure.models import Decision
    from tests.disclosure.helpers import decision, load_minimal_town

    app.config["TODAY"] = date(2026, 11, 30)
    load_minimal_town()
    import_rows("decisions", [(1, decision("京兴西罚字〔2026〕第0001号", title="占道经营",
                                           decided_on="2026-09-30", published_on="2026-10-12"))])
    db.session.commit()
    builds = []
    real = export_files.current_rows
    monkeypatch.setattr(export_files, "current_rows", lambda *a: builds.append(a) or real(*a))
    for fmt in ("csv", "xlsx"):
        first = client.get(f"/decisions/export.{fmt}")
        assert first.status_code == 200 and first.data  # a CSV is cached once its stream has ended
        second = client.get(f"/decisions/export.{fmt}")
        assert second.data == first.data
    assert len(builds) == 2  # one build per format, the second download of each from the cache
    d = db.session.scalar(db.select(Decision))
    d.title = "擅自占用道路"
    db.session.commit()  # a change-log row: the cached files no longer describe the data
    after = client.get("/decisions/export.csv").get_data(as_text=True)
    assert len(builds) == 3 and "擅自占用道路" in after and "占道经营" not in after
    rows = list(csv.reader(io.StringIO(after.lstrip("\ufeff"))))
    assert len(rows) == 2


def test_download_names_say_the_filter_in_chinese(demo, demo_client):
    from enforcement.disclosure.models import Agency

    agency = db.session.get(Agency, 1)
    r = demo_client.get("/decisions/export.csv?year=2024&agency=1&kind=penalty")
    disposition = r.headers["Content-Disposition"]
    name = f"执法决定_行政处罚_{agency.name}_2024年.csv"
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert export_files.download_name(queries.DECISIONS, {"q": "a/b"}, "xlsx") == "执法决定_关键词“a_b”.xlsx"
