"""Filters as citizens and API clients write them: read like the canonical spelling, shown back as applied,
refused with a message naming the field, and never echoed with control characters."""

from __future__ import annotations

import re

import pytest

from tests.disclosure.test_public_pages import build_town, text

NUMBER = r"京兴西.字〔\d{4}〕第\d{4}号"
SEPT = {"京兴西罚字〔2021〕第0001号", "京兴西罚字〔2021〕第0003号"}  # decided in September 2021
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.fixture
def town(app, monkeypatch):
    """The public pages' minimal town: four listed decisions, dated 2021-12-01."""
    return build_town(app, monkeypatch)


def shown(response) -> set[str]:
    return set(re.findall(NUMBER, text(response)))


@pytest.mark.parametrize("written", [
    "20210901",  # ISO 8601 basic format, common in spreadsheets and API clients
    "2021 年 9 月 1 日", "2021年 9月 1日",  # Word pads the parts with spaces
    "2021。9。1",  # the full stop a Chinese IME types
    "2021年09月01号",
    "2021-09-01T10:30:00+08:00", "2021-09-01T10:30:00.000", "2021-09-01 10:30:00Z",
    "二〇二一年九月一日", "二零二一年九月一日", "二○二一年九月一日", "2021年九月一日",  # as a 决定书 dates itself
    "二〇二一年九月一日星期三", "2021年9月1日（星期三）", "2021-09-01 周三",  # a weekday, as a notice or calendar adds
    "2021年9月1日上午9时", "2021-09-01 9时30分", "2021年9月1日0时",  # a time in words, as a 送达回证 records it
    "“2021-09-01”", "（2021年9月1日）", "【2021-09-01】", "[2021-09-01]",  # pasted with the sentence around it
    "2021-09-01起", "2021年9月1日。",
    "2021–09–01", "2021—09—01", "2021‐09‐01", "2021−09−01",  # Word's en dash, Excel's minus sign
    "\ufeff2021-09-01", "2021-09-01\u200b", "2021-09-01T10:30:00 +08:00",
])
def test_unambiguous_date_spellings_are_read_like_the_canonical_one(client, town, written):
    query = {"date_from": written, "date_to": "2021-09-30"}
    page = client.get("/decisions", query_string=query)
    assert page.status_code == 200 and shown(page) == SEPT
    assert client.get("/api/v1/decisions", query_string=query).get_json()["total"] == 2


@pytest.mark.parametrize("written", ["2021-09-01 25:61", "2021-09-01T99", "2021-09-01 00:00:00:00", "2021-09-011",
                                     "2021-09-1012", "二〇二一年十三月一日", "二〇二一年二月三十日", "二〇二一年九月",
                                     "2021年9月1日（星期四）",  # 2021-09-01 was a Wednesday: which day is meant?
                                     "2021-09-01 25时", "2021-09-01至2021-09-30", "9月1日"])
def test_a_date_with_an_impossible_time_or_extra_digits_is_refused(client, town, written):
    r = client.get("/decisions", query_string={"date_from": written})
    assert r.status_code == 400 and "决定日期自" in text(r)
    assert client.get("/api/v1/decisions", query_string={"date_from": written}).status_code == 400


@pytest.mark.parametrize("path, query, message", [
    ("/decisions", {"year": "2_020"}, "筛选条件“年度”有误：应为整数"),
    ("/decisions", {"page": "1_0"}, "应为整数"),  # int() reads 1_0 as 10: "超出范围" before
    ("/decisions", {"per_page": "1_0"}, "应为整数"),
    ("/decisions", {"agency": "0_1"}, "应为整数"),
    ("/api/v1/decisions", {"year": "2_020"}, "应为整数"),
    ("/api/v1/decisions", {"page": "1_0"}, "应为整数"),  # an empty page 10 before
    ("/api/v1/search", {"page": "1_0"}, "应为整数"),
])
def test_underscore_grouped_digits_are_not_a_number(client, town, path, query, message):
    r = client.get(path, query_string=query)
    assert r.status_code == 400 and message in text(r)


def test_the_days_of_a_printed_notice_read_as_those_days(client, town):
    """廿 (20), 卅 (30) and 元月 (January) in a date written in Chinese numerals."""
    query = {"date_from": "二〇二一年元月一日", "date_to": "二〇二一年九月卅日"}
    assert client.get("/api/v1/decisions", query_string=query).get_json()["total"] == \
        client.get("/api/v1/decisions", query_string={"date_from": "2021-01-01", "date_to": "2021-09-30"}).get_json()["total"]
    assert client.get("/decisions", query_string={"date_to": "二〇二一年九月廿一日"}).status_code == 200


@pytest.mark.parametrize("query, applied", [
    ({"year": "2021\u200b"}, 'value="2021"'), ({"year": "\ufeff2021"}, 'value="2021"'),
    ({"page": "\ufeff1"}, "共 <strong>4</strong>"), ({"per_page": "20\u200b"}, "共 <strong>4</strong>"),
])
def test_a_whole_number_pasted_with_an_invisible_character_is_read(client, town, query, applied):
    """The box shows 2021; "应为整数" would be a riddle."""
    r = client.get("/decisions", query_string=query)
    assert r.status_code == 200 and applied in text(r)
    assert client.get("/api/v1/decisions", query_string=query).status_code == 200


@pytest.mark.parametrize("query, echoed", [
    ({"date_from": "2021/9/1"}, 'name="date_from" type="date" value="2021-09-01"'),
    ({"date_from": "２０２１－０９－０１"}, 'name="date_from" type="date" value="2021-09-01"'),
    ({"date_from": "2021年9月1日"}, 'name="date_from" type="date" value="2021-09-01"'),
    ({"date_to": "2021-09-30 23:59"}, 'name="date_to" type="date" value="2021-09-30"'),
    ({"year": "２０２１"}, 'value="2021"'),
    ({"year": "+2021"}, 'value="2021"'),
    ({"kind": " penalty "}, '<option value="penalty" selected>'),
    ({"state": "withdrawn\t"}, '<option value="withdrawn" selected>'),
])
def test_an_accepted_spelling_is_shown_in_the_form_as_the_value_applied(client, town, query, echoed):
    """A date box drops any value not written YYYY-MM-DD, a number box drops full-width digits, an unmatched
    drop-down says 全部: the list would be filtered while the form says it is not, and the next submit loses it."""
    r = client.get("/decisions", query_string=query)
    assert r.status_code == 200
    assert echoed in re.sub(r"\s+", " ", text(r))


def test_an_agency_written_with_a_leading_zero_is_selected_in_the_form(client, town):
    from sqlalchemy import select

    from enforcement.disclosure.models import Agency
    from enforcement.extensions import db

    agency_id = db.session.scalar(select(Agency.id))
    for written in (f"0{agency_id}", chr(0xFF10 + agency_id) if agency_id < 10 else f"0{agency_id}"):
        r = client.get("/decisions", query_string={"agency": written})
        assert r.status_code == 200 and f'<option value="{agency_id}" selected>' in text(r)


def test_a_refused_filter_is_shown_as_typed_for_correction(client, town):
    r = client.get("/decisions", query_string={"date_from": "昨天"})
    assert r.status_code == 400 and 'type="date" value="昨天"' in text(r)


@pytest.mark.parametrize("path, query", [
    ("/decisions", {"q": "燃气\x01\x1b[31m"}),
    ("/decisions", {"q": "a\x00b"}),
    ("/decisions", {"year": "2020\x00"}),
    ("/decisions", {"date_from": "\x01\x02"}),
    ("/powers", {"q": "\x1b[2J"}),
    ("/officers", {"q": "\x08"}),
    ("/laws", {"title": "\x01"}),
    ("/search", {"q": "a\x00b"}),
    ("/search", {"q": "\x01\x1b"}),
])
def test_control_characters_are_never_echoed_into_the_page(client, town, path, query):
    r = client.get(path, query_string=query)
    assert r.status_code < 500
    assert not CONTROL.search(text(r)), repr(CONTROL.findall(text(r)))


INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff\U000e0000-\U000e007f]")


@pytest.mark.parametrize("path, query", [
    ("/decisions", {"q": "a\u202eb"}),  # RIGHT-TO-LEFT OVERRIDE: the printed date would read reversed
    ("/decisions", {"date_from": "\u202e10-90-1202"}),
    ("/decisions", {"year": "\u202e1202"}),
    ("/laws", {"title": "\u202e例条"}),
    ("/officers", {"q": "\u2066王强\u2069"}),
    ("/decisions", {"q": "燃气\u2028报警"}),  # LINE SEPARATOR
    ("/decisions", {"date_from": "2021-09-01\u2028"}),
    ("/decisions", {"q": "燃气\u200b"}),
    ("/decisions", {"q": "\U000e0041燃气"}),  # a TAG character
    ("/search", {"q": "a\u202eb"}), ("/search", {"q": "燃\u200b气"}),
])
def test_format_and_bidi_controls_are_never_echoed(client, town, path, query):
    page = text(client.get(path, query_string=query))
    assert not INVISIBLE.search(page), [page[max(0, m.start() - 50):m.start() + 5] for m in INVISIBLE.finditer(page)]


@pytest.mark.parametrize("path", ["/search", "/api/v1/search"])
@pytest.mark.parametrize("raw", ["q=%ff", "q=%C8%BC%C6%F8", "q=%e7%87"])  # %C8%BC%C6%F8 is 燃气 in GBK
def test_search_refuses_a_query_that_is_not_utf8_like_the_lists_do(client, town, path, raw):
    r = client.get(path, environ_overrides={"QUERY_STRING": raw})
    assert r.status_code == 400 and "UTF-8" in text(r)


@pytest.mark.parametrize("query, label", [("kind=robbery", "决定类型"), ("year=abc", "年度"), ("page=0", "页码"),
                                          ("category=x", "类别"), ("sort=x", "排序")])
def test_search_page_errors_name_the_field_in_chinese(client, town, query, label):
    r = client.get(f"/search?q=x&{query}")
    error = re.search(r'class="search-error"[^>]*>(.*?)</p>', text(r), re.S).group(1)
    assert r.status_code == 400 and f"“{label}”" in error


@pytest.mark.parametrize("path, query, expected_total", [
    ("/api/v1/decisions", {"q": "燃气 报警"}, 4),  # two words: records matching both, as on /search
    ("/api/v1/decisions", {"q": "报警 燃气"}, 4),
    ("/api/v1/decisions", {"q": "燃气\u3000报警"}, 4),  # the full-width space of a Chinese IME
    ("/api/v1/decisions", {"q": "燃气 火锅"}, 0),  # every word must match
    ("/api/v1/powers", {"q": "燃气 行政处罚"}, 1),
    ("/api/v1/laws", {"title": "《北京市燃气管理条例》"}, 1),  # law names are written inside 《》
    ("/api/v1/laws", {"title": "燃气 条例"}, 1),
    ("/api/v1/decisions", {"q": "\ufeff燃气"}, 4),  # a BOM from a pasted Notepad or Excel cell
    ("/api/v1/decisions", {"q": "燃\u200b气"}, 4),  # a zero-width space from a web page
    ("/api/v1/decisions", {"q": "燃气、报警"}, 4),  # 、 between listed words
    ("/api/v1/decisions", {"q": "【燃气】"}, 4), ("/api/v1/decisions", {"q": "（燃气）"}, 4),
    ("/api/v1/powers", {"q": "【行政处罚】"}, 1),
    ("/api/v1/powers", {"q": "Ｐ－ＲＱ－５９"}, 1),  # a full-width IME
    ("/api/v1/decisions", {"q": "〔2021〕2号"}, 1),  # a 文号 starting with its bracket
])
def test_keywords_written_as_people_write_them_find_the_records(client, town, path, query, expected_total):
    assert client.get(path, query_string=query).get_json()["total"] == expected_total


def test_a_keyword_of_only_invisible_characters_filters_nothing(client, town):
    assert client.get("/api/v1/decisions", query_string={"q": "\u200b\ufeff"}).get_json()["total"] == \
        client.get("/api/v1/decisions").get_json()["total"]


@pytest.mark.parametrize("path, query", [
    ("/api/v1/officers", {"q": "110 115 000 01"}),  # a 执法证号 grouped as printed on the card
    ("/api/v1/decisions", {"q": "9111 0115 MA01 ABCD1J"}),  # a grouped 统一社会信用代码
    ("/api/v1/decisions", {"q": "91110115 MA01ABCD1J"}),
])
def test_an_identifier_typed_in_groups_is_one_identifier(client, town, path, query):
    """Four groups searched as four words each matched other officers' numbers too."""
    joined = {"q": "".join(query["q"].split())}
    found = client.get(path, query_string=query).get_json()
    assert found["total"] == 1 and found == client.get(path, query_string=joined).get_json()


def test_a_query_string_that_is_not_utf8_is_explained_without_internal_names(client, town):
    r = client.get("/decisions", environ_overrides={"QUERY_STRING": "q=%C8%BC%C6%F8"})
    assert r.status_code == 400 and "查询参数不是有效的 UTF-8 编码" in text(r) and "参数 query" not in text(r)
