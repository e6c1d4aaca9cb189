"""A citizen's journey in a real browser: home, filter decisions, open one, check a credential, export CSV.

Every page is scanned with axe-core (no serious or critical violations) and
photographed on a desktop and on a 360-px phone.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.e2e.conftest import axe_violations, screenshot, submit

pytestmark = pytest.mark.e2e


def check_page(page, name: str) -> None:
    assert axe_violations(page) == [], name
    screenshot(page, name)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_citizen_finds_a_decision_checks_the_officer_and_takes_the_data(request, live_server, device):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")

    page.goto(f"{live_server}/")
    assert page.get_by_role("heading", level=1).inner_text() == "西红门镇行政执法信息公示"
    assert page.get_by_role("search").count() >= 1
    check_page(page, f"journey-1-home-{device}")

    if device == "phone":
        page.get_by_text("菜单", exact=True).click()  # the phone's menu is folded until asked for
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="执法决定").click()
    page.get_by_label("决定类型").select_option("penalty")
    page.get_by_label("年度").fill("2025")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/decisions?*kind=penalty*")
    status = page.get_by_role("status").first
    assert "件执法决定" in status.inner_text()
    assert page.locator(".decision-item").count() == 20
    check_page(page, f"journey-2-decisions-{device}")
    if device == "phone":
        assert no_horizontal_scroll(page)

    page.locator(".decision-item a").first.click()
    page.wait_for_url("**/decisions/*")
    assert "行政处罚" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("heading", name="违法事实").is_visible()
    check_page(page, f"journey-3-decision-{device}")
    if device == "phone":
        assert no_horizontal_scroll(page)

    credential = page.locator("a[href^='/officers/check']").first
    number = credential.inner_text().strip()
    credential.click()
    page.wait_for_url("**/officers/check?number=*")
    verdict = page.locator(".verdict").inner_text()
    assert number in verdict and ("证件有效" in verdict or "证件已过期" in verdict)
    check_page(page, f"journey-4-credential-{device}")

    page.get_by_label("执法证号").fill("00000000000")
    page.get_by_label("执法证号").press("Enter")
    page.wait_for_url("**number=00000000000")
    assert "未找到执法证号" in page.locator(".verdict").inner_text()

    page.goto(f"{live_server}/decisions?kind=penalty&year=2025")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows[0][0] == "决定文号" and len(rows) > 20
    assert {row[1] for row in rows[1:]} == {"行政处罚"}


def test_large_text_mode_and_keyboard_use(live_server, page):
    page.goto(f"{live_server}/decisions")
    page.get_by_role("link", name="大字版").click()
    page.wait_for_url("**/decisions")
    size = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert size == "20px"
    page.goto(f"{live_server}/powers")
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "20px"  # it persists
    check_page(page, "large-text-powers")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "跳到主要内容"
    submit(page, page.get_by_role("link", name="标准字号"))
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "16px"


@pytest.mark.parametrize("path", ["/agencies", "/officers", "/powers", "/procedures", "/inspection-items",
                                  "/stats/2025", "/open-data", "/decisions?year=abc"])
def test_other_public_pages_are_accessible_on_a_phone(live_server, phone_page, path):
    phone_page.goto(f"{live_server}{path}")
    name = "phone" + path.replace("/", "-").replace("?", "-").replace("=", "-")
    check_page(phone_page, name)
    assert no_horizontal_scroll(phone_page) or path == "/inspection-items"  # the 8-column table scrolls in its box


def test_a_procedure_flowchart_and_a_power_detail_are_accessible(live_server, page):
    page.goto(f"{live_server}/procedures")
    submit(page, page.locator(".entry-list a").first)
    assert page.locator("svg.flowchart rect.flow-box").count() >= 3
    check_page(page, "procedure-flowchart")
    page.goto(f"{live_server}/powers")
    submit(page, page.locator(".entry-list a").first)
    assert page.locator(".article-quote blockquote").count() >= 1
    check_page(page, "power-detail")
