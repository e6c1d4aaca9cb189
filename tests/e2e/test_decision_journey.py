"""Browser journey: an officer drafts a major decision with the searchable power picker and submits it for
legal review; the reviewer finds it in the review queue from the navigation, is warned that no evidence is
on file, and passes it; the officer's case page then reads 审核通过. Links and buttons only after logging in,
at the office-laptop and the phone size, with no serious or critical accessibility violation on any page.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.e2e.conftest import axe_violations, login, screenshot, submit

OFFICER = ("officer", "officer-demo-2021")
REVIEWER = ("reviewer", "reviewer-demo-2021")
FACTS = "当事人刘建华在西红门镇欣宁街经营的餐馆使用液化石油气钢瓶且未安装燃气泄漏报警装置，经责令限期改正逾期未改正。"


def nav_link(page, name: str) -> None:
    """Follow a link of the staff navigation (opening the menu first when a narrow screen folds it away)."""
    link = page.locator("nav").get_by_role("link", name=name, exact=True).first
    if not link.is_visible():
        toggle = page.locator("nav button[aria-expanded], nav summary").first
        if toggle.count():
            toggle.click()
    with page.expect_navigation(timeout=30_000):
        link.click()


def stage(page) -> str:
    return page.locator("main h1 .tag").inner_text().strip()


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.e2e
def test_an_officer_drafts_and_submits_and_the_reviewer_approves_from_the_queue(live_server, browser, sized_page):
    page, size = sized_page, sized_page.size
    login(page, live_server, *OFFICER)

    # 1. The officer opens a new draft from the navigation: the next 文号 is proposed.
    nav_link(page, "执法决定")
    with page.expect_navigation():
        page.get_by_role("link", name="新建执法决定草稿").click()
    assert_accessible(page)
    form = page.locator("main form").first
    number = form.locator("input[name=number]").input_value()
    assert re.fullmatch(r".+字〔\d{4}〕第\d+号", number), number

    # Officers who cannot act are offered disabled, with the reason next to them.
    assert page.locator("main .officer-picker input[disabled]").count() > 0
    assert page.locator("main .officer-picker .why").first.inner_text().startswith("不能选择：")
    enabled = page.locator("main .officer-picker input[name=officers]:not([disabled])")
    enabled.nth(0).check()
    enabled.nth(1).check()

    form.locator("select[name=kind]").select_option("penalty")
    form.locator("select[name=procedure]").select_option("ordinary")
    form.locator("input[name=title]").fill("未安装燃气泄漏报警装置案")
    form.locator("select[name=party_type]").select_option("person")
    form.locator("input[name=party_name]").fill("刘建华")
    form.locator("textarea[name=facts]").fill(FACTS)
    form.locator("textarea[name=result]").fill("罚款人民币8,000元，责令立即改正。")
    form.locator("input[name=penalty_kinds][value=fine]").check()
    form.locator("input[name=fine_amount]").fill("8000")
    form.locator("input[name=filed_on]").fill((date.today() - timedelta(days=20)).isoformat())

    # 2. The searchable power picker: typing narrows ~116 powers; choosing one fills in its legal basis.
    assert form.locator("textarea[name=basis]").input_value() == ""
    search = page.locator("main .power-picker .ts-control input")
    search.click()
    search.fill("报警装置")
    options = page.locator("main .power-picker .ts-dropdown .option")
    page.wait_for_function("() => document.querySelectorAll('.power-picker .ts-dropdown .option').length < 20")
    assert 0 < options.count() < 20 and all("报警装置" in t for t in options.all_inner_texts())
    options.first.click()
    search.press("Escape")
    page.locator("main h1").click()  # leave the picker: its list closes (on a phone it covers the page)
    page.locator("main .power-picker .ts-dropdown").wait_for(state="hidden")
    basis = form.locator("textarea[name=basis]").input_value()
    assert re.search(r"《.+》第.+条", basis), basis
    assert_accessible(page)
    screenshot(page, f"decision_form_{size}")
    save = form.locator("button[type=submit]", has_text="保存草稿")
    save.focus()  # by keyboard: a picker list that reopens late on a slow machine cannot take the click
    with page.expect_navigation(timeout=30_000):
        save.press("Enter")
    page.wait_for_url(re.compile(r".*/staff/decisions/\d+$"))
    assert stage(page) == "草稿"
    assert "须先经法制审核通过" in page.locator("main .task-list").inner_text()  # 作出决定 explained, not offered
    assert page.locator("main button", has_text="作出决定").count() == 0
    assert_accessible(page)

    # 3. Submitted for review.
    submit(page, page.locator("main button", has_text="提交法制审核"))
    assert stage(page) == "待法制审核"
    screenshot(page, f"decision_submitted_{size}")

    # 4. The reviewer opens the queue from the navigation, sees the case, is warned, and passes it.
    phone = size == "phone"
    context = browser.new_context(viewport=page.viewport_size, locale="zh-CN", is_mobile=phone, has_touch=phone)
    try:
        reviewer = context.new_page()
        login(reviewer, live_server, *REVIEWER)
        nav_link(reviewer, "法制审核")
        assert "法制审核待办" in reviewer.locator("main h1").inner_text()
        assert_accessible(reviewer)
        with reviewer.expect_navigation():
            reviewer.get_by_role("link", name=f"审核 {number}").click()
        warning = reviewer.locator("main .evidence-warning").inner_text()
        assert "未归档任何证据材料" in warning
        assert "裁量基准" in reviewer.locator("main").inner_text()
        assert_accessible(reviewer)
        screenshot(reviewer, f"decision_review_{size}")
        review = reviewer.locator("main form", has=reviewer.locator("textarea[name=opinion]"))
        for box in review.locator("input[name=checklist]").all():
            box.check()
        review.locator("input[name=passed][value='1']").check()
        review.locator("textarea[name=opinion]").fill("主体合法，程序合法，事实清楚；请在决定前补充归档现场检查笔录。同意。")
        submit(reviewer, review.locator("button[type=submit]"))
        assert "审核通过" in reviewer.locator(".message-success").first.inner_text()
        assert stage(reviewer) == "审核通过"
    finally:
        context.close()

    # 5. The officer's case now reads 审核通过 and offers the decision.
    page.reload()
    assert stage(page) == "审核通过"
    assert page.locator("main button", has_text="作出决定").count() == 1
    assert_accessible(page)
