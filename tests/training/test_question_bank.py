"""The shipped question bank: at least 60 questions, each tied to an article that exists in the statute texts."""

import json

import pytest
from sqlalchemy import select

from enforcement.core.records import ImportRejected
from enforcement.disclosure.laws import load_bundled_laws
from enforcement.extensions import db
from enforcement.training.models import Question
from enforcement.training.questionbank import BANK_DIR, load_bank, read_bank

# What DOMAIN.md says a course must cover, as (statute, article) pairs the bank must test.
MUST_COVER = {
    "中华人民共和国行政处罚法": {2, 9, 24, 33, 34, 36, 39, 41, 47, 48, 51, 58, 63, 64, 67},
    "北京市燃气管理条例": {27, 30, 59, 60, 70},
}


@pytest.fixture
def bank(app):
    load_bundled_laws()
    load_bank()
    return list(db.session.scalars(select(Question)))


def test_the_bank_has_at_least_60_questions_over_the_three_subjects(bank):
    assert len(bank) >= 60
    by_subject = {s: sum(q.subject == s for q in bank) for s in ("penalty_law", "gas", "three_systems")}
    assert min(by_subject.values()) >= 15, by_subject
    assert {q.kind for q in bank} == {"single", "multiple", "true_false"}


def test_every_question_cites_a_real_article_and_explains_its_answer(bank):
    for q in bank:
        assert q.article.text and q.article.law.title, q.code
        assert len(q.explanation) >= 10, q.code
        assert set(q.answer) <= {letter for letter, _ in q.lettered_options}, q.code
    covered = {(q.article.law.title, q.article.number) for q in bank}
    for title, numbers in MUST_COVER.items():
        assert {n for t, n in covered if t == title} >= numbers, title


def test_loading_twice_changes_nothing(bank):
    assert load_bank() == (0, 0)


def test_a_question_citing_a_missing_article_stops_the_whole_load(app, tmp_path):
    load_bundled_laws()
    broken = json.loads((BANK_DIR / "gas.json").read_text(encoding="utf-8"))
    broken["questions"][0]["citation"] = "《北京市燃气管理条例》(2020-09-25)第九十九条"
    broken["questions"][1]["answer"] = "E"
    (tmp_path / "gas.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        load_bank(tmp_path)
    messages = [(e.field, e.message) for e in rejected.value.errors]
    assert ("RQ-001", "《北京市燃气管理条例》(2020-09-25)没有第九十九条") in messages
    assert any(code == "RQ-002" and "不在选项范围" in m for code, m in messages)
    assert db.session.scalars(select(Question)).first() is None
    assert len(read_bank(tmp_path)) == len(broken["questions"])
