"""The public site on a 390 x 844 phone: a compact header with a folded menu, search, a decision page with its
QR code, and statistics charts drawn to scale. Every page is scanned with axe-core and photographed."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.e2e
MAX_HEADER = 130  # px: the header (title, folded menu, search) of a 390 x 844 screen


def header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def menu_links(page):
    return page.locator("details.phone-menu nav a")


def check(page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    screenshot(page, name)


def test_home_search_decision_and_statistics_on_a_phone(live_server, phone_page):
    page = phone_page
    page.goto(f"{live_server}/")
    assert header_height(page) < MAX_HEADER
    # The menu is folded by default and opens on its button (a <details>: no script needed).
    assert not menu_links(page).first.is_visible()
    assert not page.locator("nav.wide-nav").is_visible()
    page.get_by_text("菜单", exact=True).click()
    assert menu_links(page).count() == 10 and menu_links(page).first.is_visible()
    page.get_by_text("菜单", exact=True).click()
    assert not menu_links(page).first.is_visible()
    check(page, "phone-home")

    # Search from the header, on the results page.
    page.locator("#site-q").fill("燃气")
    with page.expect_navigation():
        page.locator("#site-q").press("Enter")
    assert page.locator("main a[href^='/decisions/']").count() > 0
    assert header_height(page) < MAX_HEADER
    check(page, "phone-search")

    # A decision from the results: QR code, print and copy-link buttons (script on), the link as text.
    with page.expect_navigation():
        page.locator("main a[href^='/decisions/']").first.click()
    assert page.locator(".share-qr svg.qr").is_visible()
    assert page.get_by_role("button", name="打印本页").is_visible()
    assert page.get_by_role("button", name="复制链接").is_visible()
    assert page.get_by_label("本页链接").input_value() == page.url.split("?")[0]
    assert header_height(page) < MAX_HEADER
    check(page, "phone-decision")

    # Statistics through the folded menu: bars of different values have different lengths, values shown.
    page.get_by_text("菜单", exact=True).click()
    with page.expect_navigation():
        page.locator("details.phone-menu").get_by_role("link", name="年度统计").click()
    chart = page.locator("#chart-month")
    widths = {}
    for item in chart.locator(".bars li").all():
        value = int(item.locator(".bar-value").inner_text())
        box = item.locator("rect").bounding_box()
        widths.setdefault(value, set()).add(round(box["width"]) if box else 0)
        assert item.locator(".bar-value").is_visible()
    assert len(widths) > 1, "a year with months of different counts"
    by_value = sorted((v, max(w)) for v, w in widths.items())
    assert all(a[1] < b[1] for a, b in zip(by_value, by_value[1:], strict=False)), by_value
    assert max(w for _, w in by_value) <= 390
    check(page, "phone-stats")
