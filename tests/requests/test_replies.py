"""Outcomes exactly as the national classification, each with a legal basis and a reply letter with remedies."""

from __future__ import annotations

from datetime import date

import pytest

from enforcement.core.errors import RuleViolation
from enforcement.requests import replies, services
from enforcement.requests.codes import OUTCOMES
from enforcement.requests.letters import letter_pdf
from tests.requests.helpers import agency, registered


def test_the_classification_has_the_national_rows():
    groups = [o.group for o in OUTCOMES]
    assert groups.count("granted") == 1 and groups.count("partial") == 1
    assert groups.count("withheld") == 8
    assert groups.count("unable") == 3
    assert groups.count("not_handled") == 5
    assert groups.count("other") == 3


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o.code != "other.no_correction"], ids=lambda o: o.code)
def test_every_outcome_gives_a_letter_with_basis_and_remedy_channels(app, outcome):
    req, _ = registered(agency(), date(2021, 9, 28))
    replies.answer(req, outcome=outcome.code, legal_basis=outcome.basis or "《中华人民共和国政府信息公开条例》第三十六条",
                   answered_on=date(2021, 10, 20), actor="officer", reasons="涉及第三方商业秘密<b>&",
                   provided="2021年燃气安全检查计划（附件1份）")
    assert req.status == "answered" and req.outcome == outcome.code
    letter = replies.letter(req)
    assert outcome.label in letter.body or outcome.group in ("granted", "partial")
    assert "行政复议" in letter.remedies and "行政诉讼" in letter.remedies
    assert "北京市大兴区人民政府" in letter.remedies and "北京市大兴区人民法院" in letter.remedies
    assert letter.number in req.reply.number
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF")


def test_an_outcome_without_legal_basis_is_refused(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    with pytest.raises(RuleViolation, match="法律依据"):
        replies.answer(req, outcome="granted", legal_basis="  ", answered_on=date(2021, 10, 20), actor="officer",
                       provided="计划")
    assert req.status == "processing" and req.reply is None


def test_refusals_and_partial_disclosure_need_reasons(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    with pytest.raises(RuleViolation, match="理由"):
        replies.answer(req, outcome="partial", legal_basis="条例第三十七条", answered_on=date(2021, 10, 20),
                       actor="officer", provided="计划")


def test_already_public_information_links_to_this_platform_only(app):
    req, _ = registered(agency(), date(2021, 9, 28))
    with pytest.raises(RuleViolation, match="本平台"):
        replies.answer(req, outcome="granted", legal_basis="条例第三十六条第（一）项", answered_on=date(2021, 10, 20),
                       actor="officer", public_url="https://evil.example/x")
    replies.answer(req, outcome="granted", legal_basis="条例第三十六条第（一）项", answered_on=date(2021, 10, 20),
                   actor="officer", public_url="/inspection-items")
    assert "/inspection-items" in replies.letter(req).body


def test_remedies_follow_the_law_in_force_on_the_answer_day(app):
    from enforcement.disclosure.laws import load_bundled_laws

    load_bundled_laws()
    a = agency()
    before = replies.remedy_text(a, date(2023, 12, 29))
    after = replies.remedy_text(a, date(2024, 1, 2))
    assert "(2017-09-01)第九条" in before
    assert "(2023-09-01)第二十条" in after
    assert "六个月" not in after and "6个月" in after


def test_information_asked_by_several_applicants_is_flagged_for_proactive_disclosure(app):
    from tests.requests.helpers import company

    a = agency()
    for applicant in (None, company()):
        req, _ = registered(a, date(2021, 9, 28), applicant=applicant)
        replies.answer(req, outcome="granted", legal_basis="条例第三十六条", answered_on=date(2021, 10, 20),
                       actor="officer", provided="计划", information_key="2021年燃气安全 检查计划")
    assert services.proactive_candidates() == [("2021年燃气安全检查计划", 2)]
