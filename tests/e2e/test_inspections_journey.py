"""Browser journeys for 双随机: a citizen checks a draw, an officer declares a 回避 by picking, and search on a phone.

Links and buttons only after the first page.goto; each journey at 1366x900 and 390x844 (``sized_page``),
axe with no serious or critical violation on every page reached.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, login, screenshot, staff_nav_link, submit

OFFICER = ("officer", "officer-demo-2021")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def checked(page, name: str) -> None:
    assert axe_violations(page) == [], name
    screenshot(page, f"inspections-{name}-{page.size}")


@pytest.mark.e2e
def test_a_citizen_checks_a_random_inspection_draw_with_one_button(live_server, sized_page):
    page = sized_page
    page.goto(f"{live_server}/")
    page.locator("main a[href='/inspections/']").first.click()
    page.wait_for_url("**/inspections/")
    text = page.locator("main").inner_text()
    assert "HMAC" not in text and "SHA-256" not in text and "python" not in text
    checked(page, "1-index")

    drawn = page.locator("main tr", has_text="已抽取").first
    drawn.locator("a").first.click()
    page.wait_for_url("**/inspections/plans/*")
    assert page.get_by_role("heading", name="抽取结果").is_visible()
    checked(page, "2-plan")
    if page.size == "phone":
        assert no_horizontal_scroll(page)

    page.get_by_role("button", name="核对这次抽取").click()
    page.wait_for_url("**/check*")
    verdict = page.get_by_role("status").first.inner_text()
    assert "核对一致" in verdict
    checked(page, "3-check")
    if page.size == "phone":
        assert no_horizontal_scroll(page)

    page.get_by_role("link", name="技术说明").click()
    page.wait_for_url("**/inspections/algorithm")
    assert "技术说明" in page.get_by_role("heading", level=1).inner_text()
    checked(page, "4-technical")


@pytest.mark.e2e
def test_an_officer_declares_a_conflict_by_picking_from_the_pools(live_server, sized_page):
    page = sized_page
    login(page, live_server, *OFFICER)
    staff_nav_link(page, "双随机抽查").click()
    page.wait_for_url("**/inspections/manage/")
    assert page.get_by_role("heading", name="双随机抽查管理").is_visible()
    checked(page, "5-manage")

    form = page.locator("form", has=page.get_by_role("button", name="申报回避"))
    officer_label = form.get_by_label("执法人员").locator("option").nth(2).inner_text()
    form.get_by_label("执法人员").select_option(index=2)
    form.get_by_label("检查对象").select_option(index=3 if page.size == "phone" else 4)
    target_label = form.get_by_label("检查对象").locator("option:checked").inner_text()
    form.get_by_label("利害关系说明").fill("该执法人员的近亲属是该单位的股东")
    submit(page, form.get_by_role("button", name="申报回避"))
    flash = page.locator(".message-success").inner_text()
    assert "已申报回避" in flash and officer_label.split("（")[0] in flash and target_label.split("（")[0] in flash
    table = page.locator("table", has_text="已申报的利害关系").inner_text()
    assert "该执法人员的近亲属是该单位的股东" in table
    checked(page, "6-declared")
    if page.size == "phone":
        assert no_horizontal_scroll(page)


@pytest.mark.e2e
def test_on_a_phone_the_first_search_result_comes_before_the_facets(live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server}/search")
    box = page.locator("main input[name=q]")
    box.fill("燃气")
    submit(page, page.locator("main form[role=search] button[type=submit]"))
    first = page.locator("ol.results > li").first.bounding_box()
    drawer = page.locator("details.facets-drawer")
    assert first["y"] < drawer.bounding_box()["y"]
    assert first["y"] < 844, f"first result starts {first['y']:.0f} px down"
    assert not drawer.evaluate("d => d.open")  # a closed drawer on a phone
    drawer.locator("summary").click()
    assert drawer.get_by_role("link", name="按日期").is_visible()
    assert axe_violations(page) == []
    page.size = "phone"
    screenshot(page, "inspections-7-search-phone")
