"""The shared Jinja helpers: one Chinese date format, Chinese punctuation, QR codes."""

from datetime import date, datetime

import pytest

from enforcement.core.qr import qr_svg
from enforcement.core.templating import cn_date, cn_punct


@pytest.mark.parametrize("value, expected", [
    (date(2024, 3, 5), "2024年3月5日"),
    ("2024-03-05", "2024年3月5日"),
    ("", ""),
    (None, ""),
    ("不是日期", "不是日期"),
])
def test_cn_date_writes_every_date_one_way(value, expected):
    assert cn_date(value) == expected


def test_cn_date_moves_a_stored_utc_timestamp_to_the_local_day(app):
    with app.app_context():
        assert cn_date(datetime(2024, 3, 5, 20, 0)) == "2024年3月6日"  # 04:00 next day in Beijing
        assert cn_date("2024-03-05T20:00:00") == "2024年3月6日"


@pytest.mark.parametrize("text, expected", [
    ("当事人张某,违反规定:处罚(警告)!", "当事人张某，违反规定：处罚（警告）！"),
    ("处理完毕.", "处理完毕。"),
    ("是否属实?", "是否属实？"),
    ("罚款1,000.50元", "罚款1,000.50元"),
    ("时间08:30", "时间08:30"),
    ("Hello, world: (x)", "Hello, world: (x)"),
    ("见 https://example.cn/a?b=1,2", "见 https://example.cn/a?b=1,2"),
    (None, ""),
])
def test_cn_punct_gives_chinese_prose_chinese_punctuation_and_leaves_numbers_alone(text, expected):
    assert cn_punct(text) == expected


def test_qr_svg_is_an_inline_svg_without_inline_style():
    svg = str(qr_svg("https://example.cn/decisions/abc"))
    assert svg.startswith('<svg aria-hidden="true" focusable="false" viewBox="0 0 ')
    assert "style" not in svg and "<path" in svg and svg.endswith("</svg>")


def test_page_link_writes_what_url_with_writes(app):
    """The pager's links, encoded once per pager, are the very URLs url_with(page=n, cursor=None) gives."""
    from enforcement.core.templating import page_link, url_with

    for qs in ["", "page=3", "kind=penalty&page=3&year=2024", "q=%E4%B8%AD+x&cursor=abc&page=2&q=2",
               "cursor=x", "a=&page=&b=1", "page=1&page=2&z=%26"]:
        with app.test_request_context("/decisions?" + qs):
            link = page_link()
            for n in (1, 7, 1407):
                assert link(n) == url_with(page=n, cursor=None)


def test_public_menu_marks_the_current_section(client):
    html = client.get("/agencies").get_data(as_text=True)
    assert html.count('<li><a href="/agencies" aria-current="page">执法主体</a></li>') == 2
    assert html.count('aria-current="page">') == 2


def test_a_memo_block_is_rendered_once_per_key(app):
    calls = []

    def note(n):
        calls.append(n)
        return f"第{n}块"

    with app.test_request_context("/"):
        block = app.jinja_env.from_string("{% call memo('test-block', n) %}{{ note(n) }}{% endcall %}")
        shown = [block.render(n=n, note=note) for n in (1, 1, 2, 1)]
    assert shown == ["第1块", "第1块", "第2块", "第1块"] and calls == [1, 2]

    with app.test_request_context("/"):
        long_key = app.jinja_env.from_string("{% call memo('test-block', n * 600) %}{{ note(n) }}{% endcall %}")
        assert [long_key.render(n="燃气", note=note) for _ in range(2)] == ["第燃气块"] * 2
    assert calls == [1, 2, "燃气", "燃气"]  # a key of 1,200 characters is not kept


def test_kept_page_parts_follow_the_query_and_the_text_size(client):
    """The header, count line, pager and export links are kept per key: each page still shows its own."""
    for q in ("燃气", "餐饮"):
        html = client.get(f"/search?q={q}").get_data(as_text=True)
        assert f'type="search" maxlength="200" placeholder="检索决定、职权、人员、法条…"\n               value="{q}"' in html
    assert 'value=""' in client.get("/decisions?q=燃气").get_data(as_text=True).split("</form>")[0]
    client.set_cookie("textsize", "large")
    assert "标准字号" in client.get("/decisions").get_data(as_text=True)
    client.delete_cookie("textsize")
    assert "大字版" in client.get("/decisions").get_data(as_text=True)
    for kind in ("penalty", "inspection"):
        html = client.get(f"/decisions?kind={kind}").get_data(as_text=True)
        assert f'href="/decisions/export.csv?kind={kind}"' in html
