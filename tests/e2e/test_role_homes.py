"""Each role's start page after signing in, on the office laptop and on a phone, and the administrator's
journey from that page to changing an account's role, by links and buttons only."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, login, screenshot, staff_nav_link, submit

ACCOUNTS = {"officer": "officer-demo-2021", "reviewer": "reviewer-demo-2021",
            "supervisor": "supervisor-demo-2021", "admin": "admin-demo-2021"}
# The menu entry of each role's start page (the reviewer's queue, until it exists, is the workbench).
HOMES = {"officer": ("工作台",), "reviewer": ("法制审核", "工作台"), "supervisor": ("执法监督",),
         "admin": ("用户与角色",)}


def open_menu(page) -> None:
    """On a phone the menu folds behind its button: open it (on a laptop the button is not shown)."""
    toggle = page.locator(".staff-menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    assert page.locator("#staff-menu").is_visible()


def nav_link(page, label: str):
    link = staff_nav_link(page, label)
    assert page.locator("#staff-menu").is_visible()
    return link


@pytest.mark.e2e
@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_each_role_starts_on_its_own_home(live_server, sized_page, role):
    page = sized_page
    login(page, live_server, role, ACCOUNTS[role])
    current = page.locator("#staff-menu a[aria-current]")
    assert current.count() == 1  # the home is the first entry of the role's menu, marked as where one is
    assert current.get_attribute("href") == page.locator("#staff-menu a").first.get_attribute("href")
    assert current.inner_text() in HOMES[role], current.inner_text()
    if sized_page.size == "phone":
        assert not page.locator("#staff-menu").is_visible()  # folded: the page starts with its content
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"home-{role}-{sized_page.size}")
    assert axe_violations(page) == []
    open_menu(page)
    assert axe_violations(page) == []


@pytest.mark.e2e
def test_the_administrator_changes_a_users_role_from_home(live_server, sized_page):
    page = sized_page
    username = f"e2e-nav-{sized_page.size}"
    name = "测试执法队员" + ("甲" if sized_page.size == "desktop" else "乙")  # each size its own account
    login(page, live_server, "admin", ACCOUNTS["admin"])
    # Away from home and back by the menu: the users page is one link away wherever the admin is.
    nav_link(page, "执法监督").click()
    page.wait_for_url("**/audit/")
    nav_link(page, "用户与角色").click()
    page.wait_for_url("**/staff/users/")
    assert page.locator("#staff-menu a[aria-current]").inner_text() == "用户与角色"

    page.get_by_role("link", name="新建用户").click()
    form = page.locator("main form")
    submit(page, form.locator("button[type=submit]"))  # nothing filled in: refused, with a summary on top
    summary = page.locator(".error-summary")
    assert summary.is_visible() and page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "请输入用户名" in summary.inner_text()
    screenshot(page, f"user-form-errors-{sized_page.size}")
    assert axe_violations(page) == []
    summary.get_by_role("link", name="请输入用户名").click()
    assert page.evaluate("document.activeElement.id") == "username"

    form.locator("input[name=username]").fill(username)
    form.locator("input[name=display_name]").fill(name)
    form.locator("input[name=password]").fill("e2e-nav-password-2026")
    form.get_by_label("执法人员", exact=True).check()
    submit(page, form.locator("button[type=submit]"))
    assert "已创建用户" in page.locator(".message-success").inner_text()

    nav_link(page, "用户与角色").click()
    page.wait_for_url("**/staff/users/")
    page.get_by_role("link", name=name, exact=True).click()
    form = page.locator("main form")
    form.get_by_label("执法人员", exact=True).uncheck()
    form.get_by_label("监督人员", exact=True).check()
    submit(page, form.locator("button[type=submit]"))
    banner = page.locator(".message-success")
    assert f"已保存用户 {name}" in banner.inner_text()
    screenshot(page, f"user-role-changed-{sized_page.size}")
    assert axe_violations(page) == []

    nav_link(page, "用户与角色").click()
    page.wait_for_url("**/staff/users/")
    row = page.locator("main tbody tr", has=page.get_by_role("link", name=name, exact=True))
    assert "监督人员" in row.inner_text() and "执法人员" not in row.inner_text()
