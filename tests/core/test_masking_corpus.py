"""The masking engine measured on a labelled corpus written by someone who had not read it.

``tests/core/pii_corpus/`` holds hand-written case-file sentences (copied from PDFs with full-width
digits, typed on phones, dictated) and a deterministic generator of more, each with its private spans,
and texts that only look private (decision numbers, article numbers, amounts, dates, 执法证号, credit
codes, agencies' public contacts, the statute texts the platform ships). The high-confidence kinds must
be hidden without asking every time; the figures for the others are printed (``pytest -s``).
"""

from __future__ import annotations

import pytest

from tests.core.pii_corpus import evaluate


@pytest.fixture(scope="module")
def scores():
    return evaluate.evaluate(evaluate.positives(), evaluate.negatives())


def test_the_corpus_is_large_enough_and_covers_every_kind():
    pos, neg = evaluate.positives(), evaluate.negatives()
    spans = [s["kind"] for case in pos for s in case["spans"]]
    assert len(spans) >= 1000 and len(neg) >= 1000
    from enforcement.core.masking import KIND_LABELS

    assert {k: spans.count(k) >= 40 for k in KIND_LABELS} == dict.fromkeys(KIND_LABELS, True)


@pytest.mark.parametrize("kind", evaluate.HIGH_CONFIDENCE_KINDS)
def test_every_high_confidence_value_is_hidden_without_asking(scores, kind):
    print(f"\n{scores.table()}")
    missed = scores.misses.get(kind, [])[:5]
    assert scores.recall(kind, certain=True) == 1.0, missed


def test_names_addresses_and_health_are_mostly_found_and_rarely_wrongly(scores):
    for kind, recall in (("address", 0.9), ("health", 0.8), ("name", 0.8)):
        assert scores.recall(kind) >= recall, (kind, scores.misses.get(kind, [])[:5])
    for kind in ("id_number", "phone", "bank_account", "id_document", "email", "licence_plate", "address", "name"):
        assert scores.precision(kind) >= 0.95, kind
