"""The public site as a citizen uses it: every category's list and detail page, filters, decision states."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Agency, Decision, Law, Officer, Power, ProcedureGuide
from enforcement.extensions import db
from tests.disclosure.helpers import AGENCY, decision, load_minimal_town

TOWN_TODAY = date(2021, 12, 1)


def build_town(app, monkeypatch) -> dict[str, int]:
    """A minimal town with one decision in each public state; returns decision ids by role."""
    monkeypatch.setitem(app.config, "TODAY", TOWN_TODAY)
    load_minimal_town()
    org = {"party_type": "organisation", "party_name": "北京燃香餐饮有限公司", "party_credit_code": "91110115MA01ABCD1J",
           "party_legal_rep": "赵大海", "party_id_number": "", "party_address": "北京市大兴区西红门镇宏福路8号",
           "party_phone": "010-60001111", "facts": "当事人未安装燃气泄漏报警装置。", "other_names": [],
           "fine_amount": "40000"}
    import_rows("decisions", enumerate([
        decision("京兴西罚字〔2021〕第0001号"),
        decision("京兴西罚字〔2021〕第0002号", **org, decided_on="2021-11-01", published_on="2021-11-05"),
        decision("京兴西罚字〔2021〕第0003号", status="withdrawn", withdrawn_on="2021-11-20",
                 withdrawal_reason="该决定已被撤销，依法撤回原公示信息。", ended_on="2021-11-18",
                 ended_reason="经行政复议撤销。"),
        decision("京兴西罚字〔2021〕第0004号", status="expired"),
        decision("京兴西罚字〔2021〕第0005号", party_is_minor=True),
        decision("京兴西罚字〔2021〕第0006号", status="decided", published_on=None),
        decision("京兴西检字〔2020〕第0001号", kind="inspection", penalty_kinds=[], fine_amount=None,
                 decided_on="2020-06-01", published_on="2020-06-10", result="未发现问题。"),
    ], 1))
    db.session.commit()
    ids = dict(db.session.execute(select(Decision.number, Decision.id)).all())
    return {
        "public": ids["京兴西罚字〔2021〕第0001号"], "org": ids["京兴西罚字〔2021〕第0002号"],
        "withdrawn": ids["京兴西罚字〔2021〕第0003号"], "expired": ids["京兴西罚字〔2021〕第0004号"],
        "minor": ids["京兴西罚字〔2021〕第0005号"], "unpublished": ids["京兴西罚字〔2021〕第0006号"],
        "inspection": ids["京兴西检字〔2020〕第0001号"],
    }


@pytest.fixture
def town(app, monkeypatch):
    return build_town(app, monkeypatch)


def text(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- decisions


def test_a_public_decision_shows_the_masked_projection_only(client, town):
    page = text(client.get(f"/decisions/{town['public']}"))
    assert "京兴西罚字〔2021〕第0001号" in page
    assert "张某" in page and "张三" not in page
    assert "11010519491231002X" not in page and "13912345678" not in page
    assert "金星小区3号楼2单元501室" not in page
    assert "李四" not in page  # the witness
    assert "2,000元" in page


def test_an_organisation_keeps_its_name_and_credit_code(client, town):
    page = text(client.get(f"/decisions/{town['org']}"))
    assert "北京燃香餐饮有限公司" in page and "91110115MA01ABCD1J" in page


def test_a_withdrawn_decision_is_a_notice_with_the_reason_and_without_the_body(client, town):
    r = client.get(f"/decisions/{town['withdrawn']}")
    page = text(r)
    assert r.status_code == 200
    assert "撤回公示公告" in page and "该决定已被撤销，依法撤回原公示信息。" in page
    assert "未安装燃气泄漏报警装置" not in page and "张某" not in page and "2,000元" not in page


def test_an_expired_decision_is_gone_with_410_and_an_explanation(client, town):
    r = client.get(f"/decisions/{town['expired']}")
    assert r.status_code == 410
    assert "公示期已满" in text(r) and "京兴西罚字〔2021〕第0004号" in text(r)
    assert "张某" not in text(r)


def test_a_decision_past_its_display_period_is_gone_even_before_anyone_marks_it(client, town, app, monkeypatch):
    monkeypatch.setitem(app.config, "TODAY", date(2022, 6, 1))  # 3-month display of a 2,000-yuan fine has ended
    assert client.get(f"/decisions/{town['public']}").status_code == 410
    assert client.get(f"/decisions/{town['org']}").status_code == 200  # 40,000 yuan to an organisation: 3 years


@pytest.mark.parametrize("role", ["minor", "unpublished"])
def test_never_public_decisions_are_404(client, town, role):
    r = client.get(f"/decisions/{town[role]}")
    assert r.status_code == 404
    assert "未找到" in text(r)


def test_the_decision_list_shows_public_and_withdrawn_but_never_expired_or_hidden(client, town):
    page = text(client.get("/decisions"))
    assert "共 <strong>4</strong> 件执法决定" in page
    for number in ("第0001号", "第0002号", "第0003号"):
        assert f"京兴西罚字〔2021〕{number}" in page
    for number in ("第0004号", "第0005号", "第0006号"):
        assert f"京兴西罚字〔2021〕{number}" not in page
    assert "已撤回公示" in page


@pytest.mark.parametrize("query, expected", [
    ("kind=inspection", {"京兴西检字〔2020〕第0001号"}),
    ("year=2020", {"京兴西检字〔2020〕第0001号"}),
    ("date_from=2021-09-01&date_to=2021-09-30", {"京兴西罚字〔2021〕第0003号", "京兴西罚字〔2021〕第0001号"}),
    ("state=withdrawn", {"京兴西罚字〔2021〕第0003号"}),
    ("kind=penalty&state=public", {"京兴西罚字〔2021〕第0001号", "京兴西罚字〔2021〕第0002号"}),
])
def test_decisions_filter_by_kind_year_date_range_and_state(client, town, query, expected):
    page = text(client.get(f"/decisions?{query}"))
    shown = set(re.findall(r"京兴西.字〔\d{4}〕第\d{4}号", page))
    assert shown == expected
    assert f"共 <strong>{len(expected)}</strong> 件" in page


@pytest.mark.parametrize("written", ["2021-09-01", "2021/9/1", "2021.09.01", "2021年9月1日", "２０２１－０９－０１",
                                     "２０２１年９月１日", " 2021-9-1 "])
def test_a_date_filter_reads_dates_as_people_write_them(client, town, written):
    """Typed into the URL or pasted from a document: the same day however it is written, as imports read it."""
    page = text(client.get("/decisions", query_string={"date_from": written, "date_to": "2021-09-30"}))
    assert set(re.findall(r"京兴西.字〔\d{4}〕第\d{4}号", page)) == {"京兴西罚字〔2021〕第0003号", "京兴西罚字〔2021〕第0001号"}
    api = client.get("/api/v1/decisions", query_string={"date_from": written, "date_to": "2021-09-30"})
    assert api.get_json()["total"] == 2


def test_decisions_filter_by_agency(client, town):
    agency_id = db.session.scalar(select(Agency.id))
    assert "共 <strong>4</strong>" in text(client.get(f"/decisions?agency={agency_id}"))
    r = client.get(f"/decisions?agency={agency_id + 100}")
    assert r.status_code == 400 and "没有该执法主体" in text(r)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("query, message", [
    ("kind=robbery", "决定类型"),
    ("year=abc", "应为整数"),
    ("year=20211", "年度"),
    ("date_from=2021-13-45", "真实日期"),
    ("date_from=2023-02-29", "真实日期"),
    ("date_from=yesterday", "真实日期"),
    ("date_from=2021-12-01&date_to=2021-01-01", "结束日期早于开始日期"),
    ("page=999", "超出范围"),
    ("page=0", "页码"),
    ("page=-3", "页码"),
    ("per_page=100000", "每页条数"),
    ("agency=" + "9" * 30, "执法主体"),
    ("kind=" + "x" * 500, "长度"),
])
def test_bad_filters_keep_the_page_and_say_what_is_wrong(client, town, query, message):
    r = client.get(f"/decisions?{query}")
    assert r.status_code == 400
    page = text(r)
    assert message in page
    assert '<form class="filters"' in page  # the reader can correct the filter in place


def test_non_utf8_and_huge_query_strings_get_a_clear_400(client, town):
    r = client.get("/decisions", environ_overrides={"QUERY_STRING": "kind=%FF%FE"})
    assert r.status_code == 400 and "UTF-8" in text(r)
    r = client.get("/decisions?" + "a=1&" * 3000)
    assert r.status_code == 400 and "过长" in text(r)


@pytest.mark.parametrize("path", ["/decisions/999999", "/decisions/99999999999999999999", "/agencies/0",
                                  "/officers/123456", "/powers/2147483648", "/procedures/77", "/inspection-items/77",
                                  "/laws/9999", "/no-such-page"])
def test_unknown_ids_are_a_404_page(client, town, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "未找到" in text(r) and "<main" in text(r)


# ---------------------------------------------------------------- standing information


def test_agency_page_shows_duties_supervision_and_remedy_channels(client, town):
    agency_id = db.session.scalar(select(Agency.id))
    page = text(client.get(f"/agencies/{agency_id}"))
    assert AGENCY["duties"] in page and AGENCY["supervision_phone"] in page
    assert "行政复议" in page and "北京市大兴区人民政府" in page and "60日内" in page
    assert "行政诉讼" in page and "北京市大兴区人民法院" in page and "6个月内" in page
    assert AGENCY["name"] in text(client.get("/agencies"))


def test_officer_directory_shows_public_fields_only(client, town):
    page = text(client.get("/officers"))
    assert "王强" in page and "11011500001" in page and "李娜" in page
    assert "13800000001" not in page  # an officer's phone is not public
    officer_id = db.session.scalar(select(Officer.id).where(Officer.credential_number == "11011500001"))
    detail = text(client.get(f"/officers/{officer_id}"))
    assert "11011500001" in detail and "有效" in detail and "13800000001" not in detail


@pytest.mark.parametrize("number, verdict", [
    ("11011500001", "证件有效"),
    (" 110 115 000 01 ", "证件有效"),
    ("99999999999", "未找到执法证号"),
])
def test_credential_check_says_valid_or_not_found(client, town, number, verdict):
    r = client.get("/officers/check", query_string={"number": number})
    assert r.status_code == 200 and verdict in text(r)
    if verdict == "证件有效":
        assert "王强" in text(r) and AGENCY["name"] in text(r)


def test_credential_check_says_expired_with_the_holder_and_agency_only(client, town, app, monkeypatch):
    monkeypatch.setitem(app.config, "TODAY", date(2031, 1, 1))
    page = text(client.get("/officers/check?number=11011500001"))
    assert "证件已过期" in page and "王强" in page and AGENCY["name"] in page
    assert "13800000001" not in page and "2030" not in page  # holder's name and agency only


def test_credential_check_refuses_an_absurd_number(client, town):
    r = client.get("/officers/check", query_string={"number": "1" * 120})
    assert r.status_code == 400


def test_powers_filter_by_category_and_show_the_article_in_force(client, town):
    assert "对未安装燃气泄漏报警装置的行政处罚" in text(client.get("/powers?category=penalty"))
    assert "共 <strong>0</strong>" in text(client.get("/powers?category=licensing"))
    power_id = db.session.scalar(select(Power.id))
    page = text(client.get(f"/powers/{power_id}"))
    assert "《北京市燃气管理条例》第五十九条" in page
    assert "现行有效版本：2020年9月25日" in page
    law_id = db.session.scalar(select(Law.id))
    assert f'href="/laws/{law_id}#a59"' in page
    # the quoted text is the article itself
    article = db.session.scalar(select(Law).where(Law.id == law_id)).articles[58]
    assert article.number == 59 and article.text.split("\n")[0] in page


def test_a_law_page_anchors_every_article(client, town):
    law = db.session.scalar(select(Law))
    page = text(client.get(f"/laws/{law.id}"))
    assert 'id="a59"' in page and 'id="a1"' in page and "现行有效" in page and "2021年1月1日起" in page


def test_a_procedure_is_drawn_as_an_inline_svg_flowchart_from_its_steps(client, app):
    from enforcement.demo import town as demo_town

    load_minimal_town()
    import_rows("procedures", [(1, {**demo_town.procedure_records()[1], "agency_credit_code": AGENCY["credit_code"]})])
    db.session.commit()
    proc = db.session.scalar(select(ProcedureGuide))
    page = text(client.get(f"/procedures/{proc.id}"))
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count('class="flow-box"') == len(proc.steps) == 5
    assert svg.count('class="flow-line"') == 4
    assert "出示证件" in svg and "<title" in svg
    assert proc.item in text(client.get("/procedures"))


def test_inspection_items_are_the_eight_column_table(client, app):
    from enforcement.demo import town as demo_town

    load_minimal_town()
    items = [{**r, "agency_credit_code": AGENCY["credit_code"]} for r in demo_town.inspection_item_records()]
    import_rows("inspection-items", enumerate(items, 1))
    db.session.commit()
    page = text(client.get("/inspection-items"))
    for header in ("序号", "检查项目", "检查子项", "检查主体", "检查依据", "检查方式", "检查内容", "备注"):
        assert f'<th scope="col">{header}</th>' in page
    assert page.index("燃气安全检查") < page.index("建设工程建筑垃圾处理")  # in 序号 order
    assert "共 <strong>10</strong>" in page


# ---------------------------------------------------------------- home, statistics, layout


def test_home_shows_counts_latest_decisions_withdrawals_and_a_search_box(client, town):
    page = text(client.get("/"))
    assert '<form class="big-search" role="search" action="/search" method="get">' in page
    assert "京兴西罚字〔2021〕第0002号" in page  # latest
    assert "京兴西罚字〔2021〕第0003号" in page  # withdrawn
    assert re.search(r'<span class="num">3</span>公示中的执法决定', page)


def test_year_statistics_count_by_kind_agency_and_month_with_zero_months(client, town):
    page = text(client.get("/stats/2021"))
    assert "2021年行政执法统计" in page
    table = page[page.index("2021年各月执法决定数量（数据表）"):]
    assert "<th scope=\"row\">1月</th><td>0</td>" in table
    assert "<th scope=\"row\">9月</th><td>5</td>" in table  # 0001, 0003-0006 were decided 2021-09-30
    assert "<th scope=\"row\">11月</th><td>1</td>" in table
    assert page.count('class="bars"') == 3
    # Bars are drawn to scale of the largest value, whatever the screen width: September (5) is the full
    # width, November (1) a fifth of it, January (0) nothing.
    month = page[page.index('id="chart-month"'):page.index('id="chart-kind"')]
    assert 'width="100.0" height="8" class="chart-bar" data-value="5"' in month
    assert 'width="20.0" height="8" class="chart-bar" data-value="1"' in month
    assert 'width="0.0" height="8" class="chart-bar" data-value="0"' in month


def test_year_statistics_api_has_fines_and_on_time_rate(client, town):
    data = client.get("/api/v1/stats/2021").get_json()
    assert data["total"] == 6
    assert [m["count"] for m in data["by_month"]] == [0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 1, 0]
    assert {k["code"]: k["count"] for k in data["by_kind"]}["penalty"] == 6
    assert {k["code"]: k["count"] for k in data["by_kind"]}["licensing"] == 0
    assert Decimal(data["fines_total"]) == Decimal("50000")  # five fines of 2,000 and one of 40,000
    # 0001 published 2021-10-12: 7 working days after 2021-09-30 is 2021-10-15 → on time; the minor's case is not due
    pub = data["publication"]
    assert pub["due"] == 5 and 0 < pub["on_time_rate"] <= 1
    assert client.get("/stats/1800").status_code == 404


def test_large_text_mode_persists_in_a_cookie_without_javascript(client, town):
    r = client.get("/preferences/text-size?size=large&next=/decisions")
    assert r.status_code == 303 and r.headers["Location"].endswith("/decisions")
    assert 'class="large-text"' in text(client.get("/decisions"))
    assert "标准字号" in text(client.get("/"))
    client.get("/preferences/text-size?size=normal&next=/")
    assert 'class="large-text"' not in text(client.get("/decisions"))


def test_the_text_size_switch_never_redirects_off_site(client, town):
    r = client.get("/preferences/text-size?size=large&next=//evil.example/")
    assert r.headers["Location"].endswith("/") and "evil" not in r.headers["Location"]


def test_pages_have_landmarks_labels_and_a_live_result_count(client, town):
    page = text(client.get("/decisions"))
    assert "<header" in page and "<nav" in page and "<main" in page and "<footer" in page
    assert 'aria-live="polite"' in page
    for field in ("kind", "agency", "year", "date_from", "date_to", "state"):
        assert f'<label for="f-{field}">' in page and f'id="f-{field}"' in page
    assert 'media="print"' in page


@pytest.mark.parametrize("slug, noun", [("agencies", "个执法主体"), ("officers", "名执法人员"), ("powers", "项职权"),
                                        ("procedures", "项流程"), ("inspection-items", "项抽查事项"),
                                        ("decisions", "件执法决定"), ("laws", "部法律法规")])
def test_every_category_has_a_list_page_and_detail_pages_on_the_demo_town(demo_client, slug, noun):
    listing = text(demo_client.get(f"/{slug}"))
    assert noun in listing
    first = demo_client.get(f"/api/v1/{slug}?per_page=1").get_json()["items"][0]
    assert f'href="/{slug}/{first["id"]}"' in listing
    detail = demo_client.get(f"/{slug}/{first['id']}")
    assert detail.status_code == 200 and "<h1>" in text(detail)


def test_a_decision_page_carries_its_qr_code_link_and_print_source(client, town):
    page = text(client.get(f"/decisions/{town['public']}"))
    share = page[page.index('class="share"'):page.index("</aside>")]
    assert '<svg aria-hidden="true" focusable="false" viewBox=' in share and 'class="qr"' in share
    assert f'value="http://localhost/decisions/{town["public"]}"' in share  # the link the code encodes, as text
    assert "data-print hidden" in share and 'data-copy="share-url" hidden' in share  # script reveals them
    assert f"来源：http://localhost/decisions/{town['public']}" in page and "打印日期：" in page
    assert "style=" not in share  # the CSP allows no inline style


def test_the_public_menu_folds_into_a_details_element_for_phones(client, town):
    page = text(client.get("/decisions"))
    folded = page[page.index('<details class="phone-menu">'):page.index("</details>")]
    assert "<summary>" in folded and "菜单" in folded
    assert folded.count("<li>") == 10 and 'href="/decisions" aria-current="page"' in folded
