"""The law cited is the law in force: statute versions, their in-force intervals, and citations by date.

A version is in force from its entry into force (the header's "… 施行" line, else
the text's own later final clause, else adoption) until the next version takes
effect, whichever file is newest. Decisions are read against the law of their
own date, standing information against today's.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.laws import (
    BUNDLED_LAWS_DIR,
    article_in_force,
    corresponding_number,
    law_status,
    load_bundled_laws,
    load_statute_file,
    parse_statute,
    resolve_citation,
    resolve_text_citations,
    version_in_force,
    versions_of,
)
from enforcement.disclosure.models import Decision, Law, Power
from enforcement.extensions import db
from tests.disclosure.helpers import AGENCY, OFFICERS, decision

WASTE = "北京市生活垃圾管理条例"
RECONSIDERATION = "中华人民共和国行政复议法"


def _version(title: str, adopted: str) -> Law:
    return db.session.scalar(select(Law).where(Law.title == title, Law.version_date == date.fromisoformat(adopted)))


def test_each_version_holds_its_adoption_date_and_in_force_interval(app):
    load_bundled_laws()
    old, new = _version(RECONSIDERATION, "2017-09-01"), _version(RECONSIDERATION, "2023-09-01")
    assert (new.version_date, new.in_force_from, new.in_force_until) == (date(2023, 9, 1), date(2024, 1, 1), None)
    assert old.in_force_until == date(2023, 12, 31)
    waste_2019, waste_2020 = _version(WASTE, "2019-11-27"), _version(WASTE, "2020-09-25")
    assert (waste_2019.in_force_from, waste_2019.in_force_until) == (date(2020, 5, 1), date(2020, 9, 24))
    assert (waste_2020.in_force_from, waste_2020.in_force_until) == (date(2020, 9, 25), None)
    assert len(waste_2019.articles) == 78 and len(waste_2020.articles) == 79
    # a revised text's own final clause gives its later entry into force when the header has none
    assert _version("中华人民共和国行政处罚法", "2021-01-22").in_force_from == date(2021, 7, 15)
    assert _version("北京市燃气管理条例", "2020-09-25").in_force_from == date(2021, 1, 1)
    # an amended text keeps its original clause (本条例自2012年3月1日起施行): in force on adoption
    assert waste_2020.in_force_from == waste_2020.version_date


def test_the_version_in_force_is_decided_by_entry_into_force_not_by_the_newest_file(app):
    load_bundled_laws()
    assert version_in_force(RECONSIDERATION, date(2023, 12, 31)).version_date == date(2017, 9, 1)
    assert version_in_force(RECONSIDERATION, date(2024, 1, 1)).version_date == date(2023, 9, 1)
    assert version_in_force("行政复议法", date(2024, 1, 2)).version_date == date(2023, 9, 1)  # prefix dropped
    adopted_not_yet = _version(RECONSIDERATION, "2023-09-01")
    assert law_status(adopted_not_yet, date(2023, 10, 1)) == "not_yet"
    assert law_status(_version(RECONSIDERATION, "2017-09-01"), date(2023, 10, 1)) == "in_force"
    assert law_status(_version(RECONSIDERATION, "2017-09-01"), date(2024, 1, 1)) == "superseded"
    assert version_in_force(WASTE, date(2020, 4, 30)) is None  # the 2011 text is not in the library
    assert version_in_force(WASTE, date(2020, 9, 24)).version_date == date(2019, 11, 27)


def test_the_law_page_says_not_yet_in_force_from_the_dates(client, app):
    load_bundled_laws()
    db.session.commit()
    app.config["TODAY"] = date(2023, 10, 1)
    try:
        page = client.get(f"/laws/{_version(RECONSIDERATION, '2023-09-01').id}").get_data(as_text=True)
        listing = client.get("/laws?title=行政复议法").get_data(as_text=True)
    finally:
        app.config.pop("TODAY")
    assert "尚未施行" in page and "2024年1月1日起施行" in page and "2017年9月1日版" in page
    assert "2024年1月1日起施行 · 尚未施行" in listing and "2017年9月1日起施行至2023年12月31日 · 现行有效" in listing


def test_loading_a_new_version_never_breaks_citations_of_an_older_one(app):
    load_statute_file(BUNDLED_LAWS_DIR / f"{WASTE}(2019-11-27).md")
    cited = resolve_citation(f"《{WASTE}》(2019-11-27)第六十八条")
    assert "三千元" not in cited.text and "3000元以上3万元以下罚款" in cited.text
    load_statute_file(BUNDLED_LAWS_DIR / f"{WASTE}(2020-09-25).md")
    load_bundled_laws()  # and again: idempotent
    again = resolve_citation(f"《{WASTE}》(2019-11-27)第六十八条")
    assert again.id == cited.id and again.text == cited.text
    assert [v.version_date for v in versions_of(WASTE)] == [date(2019, 11, 27), date(2020, 9, 25)]
    # unpinned citations follow the date
    assert resolve_citation(f"《{WASTE}》第六十八条", date(2020, 6, 1)).id == cited.id
    assert "五万元以上五十万元以下" in resolve_citation(f"《{WASTE}》第六十八条", date(2021, 1, 4)).text


def test_articles_are_matched_across_versions_only_through_the_concordance(app):
    load_bundled_laws()
    # the 2020 amendment inserted art. 27: old 26 stays, old 27 onwards move up by one
    assert corresponding_number(WASTE, 26, date(2019, 11, 27), date(2020, 9, 25)) == 26
    assert corresponding_number(WASTE, 68, date(2019, 11, 27), date(2020, 9, 25)) == 69
    assert corresponding_number(WASTE, 78, date(2019, 11, 27), date(2020, 9, 25)) == 79
    assert corresponding_number(WASTE, 27, date(2020, 9, 25), date(2019, 11, 27)) is None  # new article
    assert corresponding_number(WASTE, 69, date(2020, 9, 25), date(2019, 11, 27)) == 68
    old_68 = resolve_citation(f"《{WASTE}》(2019-11-27)第六十八条")
    assert article_in_force(old_68, date(2024, 1, 1)).label == "第六十九条"
    # no concordance for the full revision of 2023: art. 9 of 2017 is not taken for art. 9 of 2023
    old_9 = resolve_citation(f"《{RECONSIDERATION}》(2017-09-01)第九条")
    assert article_in_force(old_9, date(2024, 1, 2)) is None
    assert article_in_force(old_9, date(2023, 12, 31)).id == old_9.id


def test_every_mapped_waste_article_is_the_same_provision(app):
    """The concordance is checked against the texts: each matched pair reads alike."""
    from difflib import SequenceMatcher

    load_bundled_laws()
    old, new = _version(WASTE, "2019-11-27"), _version(WASTE, "2020-09-25")
    new_by_number = {a.number: a for a in new.articles}
    for article in old.articles:
        mapped = new_by_number[corresponding_number(WASTE, article.number, old.version_date, new.version_date)]
        assert SequenceMatcher(None, article.text, mapped.text).ratio() > 0.7, (article.label, mapped.label)
    assert "适量点餐" in new_by_number[27].text


def test_the_in_force_line_is_read_and_checked(app):
    text = "# 某条例\n\n2023年9月1日 通过\n\n2024年1月1日 施行\n\n<!-- INFO END -->\n\n第一条 本条例自公布之日起施行。\n"
    assert parse_statute(text, file_name="某条例(2023-09-01).md").in_force_from == date(2024, 1, 1)
    with pytest.raises(ValueError, match="早于通过日期"):
        parse_statute(text.replace("2024年1月1日 施行", "2023年1月1日 施行"), file_name="某条例(2023-09-01).md")


def test_importing_a_version_row_by_row_ends_the_previous_interval(app):
    load_statute_file(BUNDLED_LAWS_DIR / "北京市燃气管理条例(2020-09-25).md")
    import_rows("laws", [(1, {"title": "北京市燃气管理条例", "version_date": "2026-01-01", "number": 1,
                              "chapter": "", "text": "新版本第一条"})])
    old = _version("北京市燃气管理条例", "2020-09-25")
    assert old.in_force_until == date(2025, 12, 31)
    assert version_in_force("北京市燃气管理条例", date(2026, 1, 2)).version_date == date(2026, 1, 1)


def _town_citing(citation: str) -> Power:
    load_bundled_laws()
    import_rows("agencies", [(1, AGENCY)])
    import_rows("officers", enumerate(OFFICERS, 1))
    import_rows("powers", [(1, {"code": "P-LJ", "name": "对分类管理责任人的处罚", "category": "行政处罚",
                                "agency_credit_code": AGENCY["credit_code"], "basis": [citation]})])
    db.session.commit()
    return db.session.scalar(select(Power))


def test_a_power_citing_the_2019_waste_text_shows_where_the_article_is_now(client, app):
    power = _town_citing(f"《{WASTE}》(2019-11-27)第六十八条")
    page = client.get(f"/powers/{power.id}").get_data(as_text=True)
    assert "引用的是2019年11月27日版第六十八条，该条现为第六十九条" in page
    assert "三千元以上三万元以下罚款" in page  # the text in force, not the 2019 wording
    new_69 = resolve_citation(f"《{WASTE}》(2020-09-25)第六十九条")
    assert f'href="/laws/{new_69.law_id}#a69"' in page


def test_a_power_citing_a_revised_law_without_concordance_shows_the_cited_text(client, app):
    power = _town_citing(f"《{RECONSIDERATION}》(2017-09-01)第九条")
    basis = client.get(f"/api/v1/powers/{power.id}").get_json()["basis"][0]
    assert basis["match"] == "unmatched" and basis["in_force"] is False and basis["in_force_version"] == "2023-09-01"
    page = client.get(f"/powers/{power.id}").get_data(as_text=True)
    assert "对应条文尚未核对" in page and "六十日内提出行政复议申请" in page


def test_the_audit_flags_powers_that_still_cite_the_2019_waste_text(app):
    from enforcement.audit.checks import Scope, run_checks

    _town_citing(f"《{WASTE}》(2019-11-27)第六十八条")
    [result] = run_checks(Scope(date(2024, 6, 1)), ["laws"])
    assert len(result.items) == 1
    assert "2019-11-27" in result.items[0].message and "现行版本为2020-09-25版" in result.items[0].message
    assert "第六十九条" in result.items[0].message
    assert not run_checks(Scope(date(2020, 9, 1)), ["laws"])[0].items  # then it was the law in force


def _decision_page(client, app, decided: str, procedure: str = "ordinary", basis: str = "") -> str:
    """The public page of one published decision of ``decided``, viewed a week later."""
    load_bundled_laws()
    import_rows("agencies", [(1, AGENCY)])
    import_rows("officers", enumerate(OFFICERS, 1))
    import_rows("decisions", [(1, decision(
        decided_on=decided, published_on=decided, procedure=procedure, powers=[], party_type="organisation",
        party_name="北京某餐饮有限公司", party_credit_code="91110115MA01ABCD1J", party_id_number="",
        basis=basis or f"《{WASTE}》第六十八条"))])
    db.session.commit()
    app.config["TODAY"] = date.fromisoformat(decided) + timedelta(days=7)
    try:
        return client.get(f"/decisions/{db.session.scalar(select(Decision.id))}").get_data(as_text=True)
    finally:
        app.config.pop("TODAY")


def test_a_decision_of_2023_12_31_states_the_2017_reconsideration_channel(client, app):
    page = _decision_page(client, app, "2023-12-31")
    assert "《中华人民共和国行政复议法》（2017年9月1日版）" in page
    assert "(2017-09-01)第九条" in page and "(2017-09-01)第十三条" in page
    assert "自知道该具体行政行为之日起60日内向北京市大兴区人民政府申请行政复议" in page
    assert "6个月内直接向北京市大兴区人民法院提起行政诉讼" in page and "(2017-06-27)第四十六条" in page
    assert "2023-09-01" not in page


def test_a_decision_of_2024_01_02_states_the_2023_reconsideration_channel(client, app):
    page = _decision_page(client, app, "2024-01-02")
    assert "《中华人民共和国行政复议法》（2023年9月1日版）" in page
    assert "(2023-09-01)第二十条" in page and "(2023-09-01)第二十四条" in page
    assert "自知道或者应当知道该行政行为之日起60日内" in page and "适用简易程序的30日内" in page
    assert "应当先申请行政复议" not in page  # an ordinary-procedure decision may go straight to court


def test_an_on_the_spot_penalty_under_the_2023_law_must_go_to_reconsideration_first(client, app):
    page = _decision_page(client, app, "2024-01-02", procedure="simple")
    assert "应当先申请行政复议" in page and "(2023-09-01)第二十三条" in page
    assert "个月内直接向" not in page


def test_remedy_channels_by_date_are_data_not_fixed_text(app):
    from enforcement.disclosure.models import Agency
    from enforcement.disclosure.remedies import remedy_channels

    load_bundled_laws()
    import_rows("agencies", [(1, AGENCY)])
    agency = db.session.scalar(select(Agency))
    before, after = remedy_channels(agency, date(2023, 12, 31)), remedy_channels(agency, date(2024, 1, 2))
    assert before["reconsideration"].version_date == date(2017, 9, 1)
    assert after["reconsideration"].version_date == date(2023, 9, 1)
    assert before["reconsideration"].basis["apply"].number == 9 and after["reconsideration"].basis["apply"].number == 20
    assert before["reconsideration"].figures["simple_decide_days"] is None
    assert after["reconsideration"].figures["simple_decide_days"] == 30
    assert after["litigation"].figures == {"court": "北京市大兴区人民法院", "direct_months": 6, "after_days": 15,
                                           "direct_allowed": True}
    # before the library holds any 复议法 version in force, the channel says it does not know
    assert not remedy_channels(agency, date(1998, 1, 1))["reconsideration"].known


def test_a_decision_page_names_the_version_of_each_cited_article(client, app):
    page = _decision_page(client, app, "2020-06-01", basis=f"依据《{WASTE}》第六十八条、第六十九条作出本决定。")
    assert "（2019年11月27日版，2020年5月1日起施行，决定作出之日现行有效）" in page
    old_68 = resolve_citation(f"《{WASTE}》(2019-11-27)第六十八条")
    assert f'href="/laws/{old_68.law_id}#a68"' in page and f'href="/laws/{old_68.law_id}#a69"' in page


def test_text_citations_pinned_to_a_version_not_in_force_are_flagged(app):
    load_bundled_laws()
    [item] = resolve_text_citations(f"《{WASTE}》(2019-11-27)第六十八条", date(2021, 3, 1))
    assert item["pinned_not_in_force"] is True
    [missing] = resolve_text_citations(f"《{WASTE}》第八十条", date(2021, 3, 1))
    assert "没有第八十条" in missing["error"]


def test_the_api_gives_a_decision_s_cited_versions_and_remedy_channels_as_data(client, app):
    _decision_page(client, app, "2024-01-02", procedure="simple")
    app.config["TODAY"] = date(2024, 1, 9)
    try:
        body = client.get(f"/api/v1/decisions/{db.session.scalar(select(Decision.id))}").get_json()
    finally:
        app.config.pop("TODAY")
    [cited] = body["citations"]
    assert cited["version_date"] == "2020-09-25" and cited["in_force_on_decision_date"] is True
    recon = body["remedy_channels"]["reconsideration"]
    assert recon["version_date"] == "2023-09-01" and recon["figures"]["first_required"] is True
    assert recon["basis"]["first"]["citation"] == "《中华人民共和国行政复议法》(2023-09-01)第二十三条"
    assert body["remedy_channels"]["litigation"]["figures"]["direct_allowed"] is False
