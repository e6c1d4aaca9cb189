"""The supervisor's audit in a real browser, on a laptop and on a phone: sign in through the form, reach the
dashboard by the menu, open a count's list, an item, the finding on it, and close it (销号) with an opinion
after confirming. Every page is scanned with axe-core (nothing serious or critical)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.conftest import axe_violations, login, screenshot, submit

pytestmark = pytest.mark.e2e


def check_page(page, name: str) -> None:
    assert axe_violations(page) == [], name
    screenshot(page, name)


def responded_finding(app, size: str) -> str:
    """Before the journey: the first late publication of this year carries a finding the agency answered."""
    from sqlalchemy import select

    from enforcement.accounts.models import User
    from enforcement.audit import findings, incremental, results
    from enforcement.audit.checks import Scope
    from enforcement.core import clock
    from enforcement.extensions import db

    with app.app_context():
        incremental.refresh()
        today = clock.today()
        item = results.stored_items(Scope(today, today.year), "publication", 0, 1)[0]
        supervisor = db.session.scalar(select(User).where(User.username == "supervisor"))
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        subject = f"{item.label}：公示及时性（{size}复核）"
        finding = findings.record_finding(supervisor, subject=subject, description=item.message, agency_id=officer.officer.agency_id,
                                          due_on=today + timedelta(days=20), today=today, check_code="publication",
                                          entity="decision", entity_id=str(item.entity_id))
        findings.respond(finding, officer, "已补充公示，并对承办人员进行了提醒谈话。")
        db.session.commit()
        db.session.remove()
    return subject


def open_menu_link(page, name: str) -> None:
    link = page.locator("nav a", has_text=name).first
    if not link.is_visible():  # on a phone the menu may fold behind a button
        page.get_by_role("button", name="菜单").first.click()
    with page.expect_navigation():
        link.click()


def test_supervisor_audits_and_closes_a_finding(sized_page, live_server, e2e_app):
    page = sized_page
    subject = responded_finding(e2e_app, page.size)
    login(page, live_server, "supervisor", "supervisor-demo-2021")
    open_menu_link(page, "监督检查")
    assert page.locator("h1").inner_text() == "监督检查"
    body = page.locator("main").inner_text()
    assert "decision #" not in body and "masking_confirmed" not in body
    check_page(page, f"supervisor-1-dashboard-{page.size}")

    count = page.locator("a[aria-label^='公示及时性：问题']")
    shown = int(count.inner_text())
    assert shown > 0
    with page.expect_navigation():
        count.click()
    assert f"共 {shown} 项" in page.locator("#items caption").inner_text()  # the list the count promised
    check_page(page, f"supervisor-2-list-{page.size}")

    with page.expect_navigation():
        page.locator("#items tbody tr").first.locator("td a").first.click()
    assert page.locator("h1").inner_text().startswith("核查对象：执法决定")
    check_page(page, f"supervisor-3-item-{page.size}")

    with page.expect_navigation():
        page.get_by_role("link", name=subject).click()
    assert "已反馈" in page.locator("dl.facts").inner_text()
    assert "supervisor" not in page.locator("main").inner_text()  # names, not accounts
    check_page(page, f"supervisor-4-finding-{page.size}")

    # The opinion and the confirmation box are both required (the server refuses either missing: unit tests).
    assert page.locator("#note").get_attribute("required") is not None
    assert page.locator("#confirm").get_attribute("required") is not None
    page.locator("#note").fill("已核实补充公示，整改到位，予以销号。")
    page.locator("#confirm").check()
    submit(page, page.get_by_role("button", name="确认销号"))
    assert "已销号" in page.locator(".flash.success").inner_text()
    assert "已销号" in page.locator("dl.facts").inner_text()
    assert "意见：已核实补充公示" in page.locator("main").inner_text()
    check_page(page, f"supervisor-5-closed-{page.size}")
