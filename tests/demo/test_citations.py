"""Every citation the platform ships points at the article it means, in the version it means.

Each citation (a demo power's legal basis, an inspection item's basis, a demo
decision's basis and facts, a course's articles, a question's article, a remedy
rule's article) carries a keyword: a phrase of the article it claims to cite. The
cited article must exist in the cited version (for decisions: the version in
force on the decision date) and contain that phrase, so a renumbering such as the
2020 waste-regulation amendment (new art. 27) can never pass silently.
"""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from enforcement.demo import town
from enforcement.demo.decisions import generate
from enforcement.demo.powers import LISTED, derive_powers, fine_range
from enforcement.disclosure.laws import (
    find_citations,
    load_bundled_laws,
    resolve_citation,
    resolve_ref,
    versions_of,
)
from enforcement.disclosure.models import Law
from enforcement.disclosure.remedies import remedy_rules, rule_citations
from enforcement.extensions import db
from enforcement.training.demo import CITATION_KEYWORDS, COURSES
from enforcement.training.questionbank import read_bank

WASTE = "北京市生活垃圾管理条例"


@pytest.fixture
def library(app):
    return load_bundled_laws()


@pytest.fixture
def powers(library):
    return derive_powers(list(db.session.scalars(select(Law))))


def test_every_question_cites_an_article_that_says_what_the_question_claims(library):
    bank = read_bank()
    assert bank
    for q in bank:
        assert q.get("keyword"), f"{q['code']} names no keyword"
        article = resolve_citation(q["citation"])
        assert q["keyword"] in article.text, f"{q['code']}: {q['citation']} does not contain “{q['keyword']}”"


def test_every_course_citation_has_a_keyword_found_in_its_article(library):
    cited = [c for course in COURSES for c in course[5]]
    assert cited and set(cited) <= set(CITATION_KEYWORDS)
    for citation in cited:
        assert CITATION_KEYWORDS[citation] in resolve_citation(citation).text, citation


def test_every_demo_power_cites_its_subject_in_the_version_in_force_on_the_demo_day(powers):
    assert {code for code, *_ in LISTED} <= {p.code for p in powers}  # none dropped for a missing article
    for p in powers:
        assert p.keyword, p.code
        article = resolve_citation(p.citation, town.TODAY)
        assert article.id == p.article_id, p.code
        assert p.keyword in article.text and p.paragraph in article.text, (p.code, p.citation, p.keyword)


def test_every_version_of_a_power_s_provision_is_quoted_from_that_version(powers):
    variants = 0
    for p in powers:
        assert p.on(town.TODAY) is not None, p.code
        for v in p.variants:
            variants += 1
            article = resolve_citation(v.pinned)
            assert article.id == v.article_id and v.paragraph in article.text, (p.code, v.pinned)
            assert resolve_citation(v.citation, v.in_force_from).id == v.article_id, (p.code, v.pinned)
    # the waste powers reach back to the 2019 text, one number lower from art. 27 on
    sorting = next(p for p in powers if p.code == "XHM-QT-002")
    assert [v.pinned for v in sorting.variants] == [f"《{WASTE}》(2019-11-27)第六十八条", f"《{WASTE}》(2020-09-25)第六十九条"]
    assert variants > len(powers)


def test_every_inspection_item_basis_cites_articles_that_say_what_the_item_checks(library):
    for seq, _item, _sub, basis, *_ in town.INSPECTION_ITEMS:
        refs = find_citations(basis)
        keywords = town.INSPECTION_BASIS_KEYWORDS.get(seq, [])
        assert len(refs) == len(keywords), (seq, basis)
        for ref, keyword in zip(refs, keywords, strict=True):
            assert keyword in resolve_ref(ref, town.TODAY).text, (seq, ref.written, keyword)


def test_every_demo_decision_cites_and_fines_by_the_text_in_force_on_its_date(powers):
    officers = town.officers(random.Random(20210101))
    waste_2019 = waste_2020 = 0
    for record in generate(600, powers, officers):
        decided = record["decided_on"]
        refs = find_citations(record["basis"])
        assert len(refs) == 1, record["basis"]
        article = resolve_ref(refs[0], decided)  # raises if no version was in force that day
        quoted = record["basis"].split("：", 1)[1]
        assert quoted in article.text, (record["number"], decided, record["basis"][:40])
        for ref in find_citations(record["facts"] + record["title"]):
            assert resolve_ref(ref, decided).id == article.id, record["number"]
        if record["fine_amount"] is not None:
            low, high = fine_range(quoted)
            assert low <= record["fine_amount"] <= max(high, Decimal(100)), (record["number"], quoted)
        for ref in find_citations(record["withdrawal_reason"]):
            resolve_ref(ref, record["withdrawn_on"])
        if article.law.title == WASTE:
            waste_2019 += article.law.version_date == date(2019, 11, 27)
            waste_2020 += article.law.version_date == date(2020, 9, 25)
    assert waste_2019 and waste_2020  # decisions of mid-2020 cite the 2019 text, later ones the 2020 text


def test_every_remedy_rule_rests_on_an_article_that_says_it(library):
    for citation, keyword in rule_citations():
        assert keyword in resolve_citation(citation).text, (citation, keyword)
    for spec in remedy_rules().values():  # a version loaded without its rule would leave decisions unanswered
        assert {v.version_date.isoformat() for v in versions_of(spec["law"])} == set(spec["versions"])


def test_a_renumbered_citation_fails_the_walk(library):
    """The check is real: the 2019 number of the sorting duty, read in the 2020 text, is another article."""
    article = resolve_citation(f"《{WASTE}》(2020-09-25)第三十五条")
    assert "生活垃圾分类管理责任人应当遵守下列规定" not in article.text
    assert re.search("生活垃圾分类管理责任人应当遵守下列规定",
                     resolve_citation(f"《{WASTE}》(2019-11-27)第三十五条").text)


def test_standing_citations_cite_the_version_in_force_on_the_demo_day(library, powers):
    """Questions, courses and powers are standing information: they teach and list today's law."""
    from enforcement.disclosure.laws import version_in_force

    cited = [q["citation"] for q in read_bank()] + [c for course in COURSES for c in course[5]]
    for citation in cited:
        article = resolve_citation(citation)
        assert version_in_force(article.law.title, town.TODAY).id == article.law_id, citation
    for p in powers:
        article = resolve_citation(p.citation, town.TODAY)
        assert version_in_force(article.law.title, town.TODAY).id == article.law_id, p.code
