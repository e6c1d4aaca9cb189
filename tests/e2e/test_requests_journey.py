"""依申请公开 in a real browser: a citizen asks and follows the request, staff correct and answer, the
supervisor opens the annual report. Every page is scanned with axe-core (nothing serious or critical)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.e2e.conftest import axe_violations, login, screenshot, submit

pytestmark = pytest.mark.e2e
DIGITS = "零一二三四五六七八九"


def check_page(page, name: str) -> None:
    assert axe_violations(page) == [], name
    screenshot(page, name)


def solve(page) -> str:
    hint = page.locator("#answer-hint").inner_text()
    m = re.search(r"([一二三四五六七八九])加([一二三四五六七八九])", hint)
    return str(DIGITS.index(m.group(1)) + DIGITS.index(m.group(2)))


def open_action(page, name: str):
    page.locator(f"#action-{name} summary").click()
    return page.locator(f"#action-{name} form")


def citizen_status(browser, base: str, number: str, code: str):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/requests/status")
    page.locator("#tracking_number").fill(number)
    page.locator("#code").fill(code)
    submit(page, page.get_by_role("button", name="查询"))
    return context, page


def test_request_from_submission_to_partial_disclosure_and_the_annual_report(browser, page, live_server, e2e_app):
    from enforcement.extensions import db
    from enforcement.requests.models import InfoRequest

    # A citizen submits without an account.
    page.goto(f"{live_server}/requests/")
    check_page(page, "requests-1-form")
    page.locator("#applicant_type").select_option("natural")
    page.locator("#name").fill("温若川")
    page.locator("#id_document_type").select_option("resident_id")
    page.locator("#id_document_number").fill("11010519491231002X")
    page.locator("#phone").fill("13600001111")
    page.locator("#description").fill("西红门镇燃气安全专项检查计划")
    page.locator("#answer").fill(solve(page))
    page.locator("#privacy").check()
    submit(page, page.get_by_role("button", name="提交申请"))
    number = page.locator(".tracking-number").inner_text().strip()
    code = page.locator(".query-code").inner_text().strip()
    check_page(page, "requests-2-submitted")

    context, citizen = citizen_status(browser, live_server, number, code)
    assert "待确认收到" in citizen.locator(".status-label").inner_text()
    assert "温若川" not in citizen.content()
    check_page(citizen, "requests-3-status")
    context.close()

    with e2e_app.app_context():
        request_id = db.session.scalar(select(InfoRequest.id).where(InfoRequest.tracking_number == number))
        db.session.remove()

    # Staff confirm receipt and ask for a correction.
    login(page, live_server, "officer", "officer-demo-2021")
    page.goto(f"{live_server}/staff/requests/{request_id}")
    submit(page, open_action(page, "confirm").get_by_role("button", name="确认收到"))
    assert "办理中" in page.locator(".status-label").inner_text()
    form = open_action(page, "correction")
    form.locator("textarea").fill("请说明所需检查计划的年份")
    submit(page, form.get_by_role("button", name="发出补正告知"))
    assert "待申请人补正" in page.locator(".status-label").inner_text()
    check_page(page, "requests-4-staff-correction")

    # The citizen corrects on the status page.
    context, citizen = citizen_status(browser, live_server, number, code)
    assert "请说明所需检查计划的年份" in citizen.content()
    citizen.locator("#text").fill("2025年度的燃气安全专项检查计划")
    submit(citizen, citizen.get_by_role("button", name="提交补正"))
    assert "补正已收到" in citizen.content()
    assert "办理中" in citizen.locator(".status-label").inner_text()
    check_page(citizen, "requests-5-corrected")
    context.close()

    # Staff answer with partial disclosure; the letter carries the remedy channels.
    page.goto(f"{live_server}/staff/requests/{request_id}")
    page.locator("#action-answer summary").click()
    page.locator("#answer-outcome").select_option("partial")
    assert "第三十七条" in page.locator("#answer-legal_basis").input_value()  # filled in for the outcome
    page.locator("#answer-reasons").fill("计划中的商户名单涉及第三方商业秘密，予以删除")
    page.locator("#answer-provided").fill("删除商户名单后的检查计划")
    submit(page, page.get_by_role("button", name="答复"))
    assert "已答复" in page.locator(".status-label").inner_text()
    letter = page.locator(".letter").inner_text()
    assert "部分公开" in letter and "行政复议" in letter and "行政诉讼" in letter
    check_page(page, "requests-6-answered")
    pdf = page.request.get(f"{live_server}/staff/requests/{request_id}/letter.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The supervisor opens the annual report.
    page.context.clear_cookies()
    login(page, live_server, "supervisor", "supervisor-demo-2021")
    page.goto(f"{live_server}/staff/requests/reports/2025")
    assert "政府信息公开工作年度报告" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("table.table-three tbody tr").count() == 25
    check_page(page, "requests-7-report")
