"""Relevance: realistic citizen queries against the demo town, scored by recall@10 and MRR.

The queries and the records a citizen would want for each live in
``relevance.json``, named by natural keys so the file reads without the
database. recall@10 is the share of wanted records on the first page (the first
ten results and the related standing entries shown beside them),
averaged over queries; MRR the mean of 1/rank of the first wanted record.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    Law,
    LawArticle,
    Officer,
    Power,
    ProcedureGuide,
)
from enforcement.extensions import db
from enforcement.search.services import search

RELEVANCE_SET = Path(__file__).with_name("relevance.json")
_NATURAL_KEYS = {
    "decision": (Decision, Decision.number),
    "power": (Power, Power.code),
    "procedure": (ProcedureGuide, ProcedureGuide.code),
    "inspection_item": (InspectionItem, InspectionItem.code),
    "agency": (Agency, Agency.credit_code),
    "officer": (Officer, Officer.credential_number),
}


def _index_key(category: str, natural: str) -> str:
    if category == "article":
        title, number = natural.split("#")
        article_id = db.session.scalar(select(LawArticle.id).join(Law).where(
            Law.title == title, LawArticle.number == int(number)).order_by(Law.version_date.desc()))
    else:
        model, column = _NATURAL_KEYS[category]
        article_id = db.session.scalar(select(model.id).where(column == natural))
    assert article_id is not None, f"{category} {natural} is not in the demo data"
    return f"{category}:{article_id}"


def evaluate(path: Path = RELEVANCE_SET, verbose: bool = False) -> dict:
    queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
    recalls, reciprocal_ranks, misses = [], [], []
    for item in queries:
        wanted = {_index_key(c, n) for c, n in item["expect"]}
        result = search(item["q"], per_page=10)
        # The first page: ten results and, beside them, the related powers, items, procedures and articles.
        top = [f"{r['category']}:{r['id']}" for r in [*result.results, *result.related]]
        found = wanted & set(top)
        recalls.append(len(found) / len(wanted))
        first = next((rank for rank, key in enumerate(top, 1) if key in wanted), None)
        reciprocal_ranks.append(1 / first if first else 0.0)
        if found != wanted:
            misses.append((item["q"], sorted(wanted - found)))
        if verbose:
            print(f"{item['q']}: recall {recalls[-1]:.2f}, first hit at {first}")
    return {"queries": len(queries), "recall_at_10": sum(recalls) / len(recalls),
            "mrr": sum(reciprocal_ranks) / len(reciprocal_ranks), "misses": misses}


def test_the_relevance_set_has_enough_realistic_queries():
    queries = json.loads(RELEVANCE_SET.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 40
    assert len({q["q"] for q in queries}) == len(queries)


def test_recall_at_10_over_the_relevance_set_is_at_least_90_percent(searching):
    report = evaluate()
    print(f"\nrelevance set: {report['queries']} queries, recall@10 = {report['recall_at_10']:.3f}, "
          f"MRR = {report['mrr']:.3f}; misses: {report['misses']}")
    assert report["recall_at_10"] >= 0.9, report["misses"]
