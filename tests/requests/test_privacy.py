"""Applicants' identities and requests never reach a public surface: search index, exports, feeds, change log."""

from __future__ import annotations

import json

from sqlalchemy import select

from enforcement.core.models import ChangeLog
from enforcement.extensions import db
from enforcement.requests.models import InfoRequest


def _private_values() -> list[str]:
    values = []
    for r in db.session.scalars(select(InfoRequest)):
        values += [r.applicant_name, r.id_document_number, r.phone, r.address]
    assert len(values) > 100
    return [v for v in values if v]


def test_no_applicant_value_is_in_the_search_index(demo_index):
    from enforcement.search.documents import all_docs
    from enforcement.search.services import search

    with demo_index.app_context():
        values = _private_values()
        corpus = "\n".join(f"{d.title}\n{d.body}" for d in all_docs())
        assert not [v for v in values if v in corpus]
        for name in {r.applicant_name for r in db.session.scalars(select(InfoRequest))}:
            result = search(name)
            assert name not in json.dumps(result.results, ensure_ascii=False, default=str)
        db.session.remove()


def test_requests_never_enter_the_change_log(demo):
    entities = set(db.session.scalars(select(ChangeLog.entity).distinct()))
    assert not any("request" in e for e in entities)


def test_no_applicant_value_in_any_public_export_or_feed(demo, demo_client):
    values = _private_values()
    paths = [f"/{kind}/export.{fmt}" for kind in ("decisions", "agencies", "officers", "powers", "procedures")
             for fmt in ("csv", "jsonl")] + ["/feeds/decisions.atom", "/feeds/withdrawals.atom"]
    for path in paths:
        response = demo_client.get(path)
        if response.status_code != 200:
            continue
        body = response.get_data(as_text=True)
        assert not [v for v in values if v in body], path


def test_the_published_report_shows_figures_not_applicants(demo, demo_client):
    values = _private_values()
    page = demo_client.get("/requests/reports/2025")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "收到和处理政府信息公开申请情况" in body
    assert not [v for v in values if v in body]
    assert demo_client.get("/requests/reports/2019").status_code == 404  # never published
