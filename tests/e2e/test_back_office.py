"""Browser journey through the back office: a major decision from draft to withdrawal, the public site checked at each step.

The officer drafts a major decision (a fine above the local threshold), is
refused publication for want of legal review, the legal reviewer passes it,
the officer decides, masks every private value and publishes; then the
decision is revoked and withdrawn, leaving only a notice with the reason.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.e2e.conftest import axe_violations, login, screenshot, submit

OFFICER = ("officer", "officer-demo-2021")
REVIEWER = ("reviewer", "reviewer-demo-2021")
NUMBER = "京兴西罚字〔2026〕第9101号"
ID_NUMBER = "110115198806150326"
MOBILE = "13522223333"
FACTS = (f"当事人郑晓东（身份证号：{ID_NUMBER}，联系电话：{MOBILE}）在西红门镇欣宁街经营的餐馆使用液化石油气钢瓶"
         "且未安装燃气泄漏报警装置，经责令限期改正逾期未改正。证人王建国在场作证。")
REASON = "该决定经行政复议已被撤销，依据《中华人民共和国行政处罚法》第四十八条撤回原公示信息。"


def case_facts(app) -> dict:
    """Two officers whose credentials are valid today, and a penalty power, from the demo town."""
    from enforcement.disclosure.models import Agency, Officer, Power
    from enforcement.extensions import db

    today = date.today()
    with app.app_context():
        officers = db.session.scalars(select(Officer.credential_number).where(
            Officer.status == "valid", Officer.credential_issued_on <= today, Officer.credential_expires_on >= today,
        ).order_by(Officer.id).limit(2)).all()
        power = db.session.scalar(select(Power.code).where(Power.category == "penalty").order_by(Power.code))
        agency = db.session.scalar(select(Agency.credit_code).where(Agency.legal_status == "statutory"))
        db.session.remove()
    return {"officers": officers, "power": power, "agency": agency}


def public_page(browser, base_url: str, decision_id: int):
    """The public decision page as an anonymous citizen sees it: (status, text)."""
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        response = page.goto(f"{base_url}/decisions/{decision_id}")
        return response.status, page.locator("main").inner_text()
    finally:
        context.close()


def flash_text(page) -> str:
    return " ".join(page.locator(".message, .flash, .form-errors, .error-summary").all_inner_texts())


@pytest.mark.e2e
def test_a_major_decision_from_draft_to_withdrawal(live_server, e2e_app, browser, page):
    facts = case_facts(e2e_app)
    login(page, live_server, *OFFICER)

    # 1. The officer drafts a major decision: 8,000 yuan for a natural person is above the 5,000 threshold.
    page.goto(f"{live_server}/staff/decisions/new")
    assert axe_violations(page) == []
    form = page.locator("main form")
    form.locator("input[name=number]").fill(NUMBER)
    form.locator("select[name=kind]").select_option("penalty")
    form.locator("select[name=procedure]").select_option("ordinary")
    form.locator("select[name=agency_credit_code]").select_option(facts["agency"])
    form.locator("input[name=title]").fill("未安装燃气泄漏报警装置案")
    form.locator("select[name=party_type]").select_option("person")
    form.locator("input[name=party_name]").fill("郑晓东")
    form.locator("input[name=party_id_number]").fill(ID_NUMBER)
    form.locator("input[name=party_phone]").fill(MOBILE)
    form.locator("textarea[name=other_names]").fill("王建国")
    form.locator("textarea[name=facts]").fill(FACTS)
    form.locator("textarea[name=basis]").fill("《北京市燃气管理条例》第五十九条")
    form.locator("textarea[name=result]").fill("罚款人民币8,000元，责令立即改正。")
    form.locator("input[name=penalty_kinds][value=fine]").check()
    form.locator("input[name=fine_amount]").fill("8000")
    form.locator("input[name=filed_on]").fill((date.today() - timedelta(days=20)).isoformat())
    for number in facts["officers"]:
        form.locator(f"input[name=officers][value='{number}']").check()
    form.locator("select[name=powers]").select_option([facts["power"]])
    submit(page, form.locator("button[type=submit]"))
    page.wait_for_url(re.compile(r".*/staff/decisions/\d+$"))
    decision_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert "重大执法决定" in page.locator("main").inner_text() and "公示期限" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert public_page(browser, live_server, decision_id)[0] == 404

    # 2. Publishing is not offered: the preview says up front that legal review and the decision come first;
    #    the masking choices can be saved meanwhile.
    page.goto(f"{live_server}/staff/decisions/{decision_id}/publish")
    assert ID_NUMBER in page.locator("main table").inner_text()  # the officer sees each suspected private value
    assert "须先经法制审核通过" in page.locator("main .blockers").inner_text()
    assert axe_violations(page) == []
    submit(page, page.locator("main form button[type=submit]", has_text="保存隐去设置"))
    assert "隐去设置已保存" in flash_text(page) and "须先经法制审核通过" in flash_text(page)
    screenshot(page, "back_office_refused")
    assert public_page(browser, live_server, decision_id)[0] == 404
    page.goto(f"{live_server}/staff/decisions/{decision_id}")
    submit(page, page.locator("main form:has(button:text('提交法制审核')) button"))
    assert "已提交法制审核" in flash_text(page)

    # 3. The legal reviewer passes it with an opinion and every checklist item.
    reviewer_context = browser.new_context(locale="zh-CN")
    reviewer = reviewer_context.new_page()
    login(reviewer, live_server, *REVIEWER)
    reviewer.goto(f"{live_server}/staff/decisions/{decision_id}/review")
    assert axe_violations(reviewer) == []
    review = reviewer.locator("main form")
    for box in review.locator("input[name=checklist]").all():
        box.check()
    review.locator("input[name=passed][value='1']").check()
    review.locator("textarea[name=opinion]").fill("主体合法，程序合法，事实清楚，证据充分，适用法律正确，裁量适当，同意。")
    submit(reviewer, review.locator("button[type=submit]"))
    assert "审核通过" in flash_text(reviewer)
    reviewer_context.close()

    # 4. The officer decides, chooses to hide every private value, and publishes.
    page.goto(f"{live_server}/staff/decisions/{decision_id}")
    submit(page, page.locator("main form:has(button:text('作出决定')) button"))
    assert "已作出决定" in flash_text(page)
    page.goto(f"{live_server}/staff/decisions/{decision_id}/publish")
    preview = page.locator("main .preview").inner_text()
    assert "郑某" in preview and ID_NUMBER not in preview and MOBILE not in preview
    for choice in page.locator("main input[type=radio][value=mask]").all():
        choice.check()
    submit(page, page.locator("main form button[type=submit]"))
    assert "已公示" in flash_text(page)
    status, text = public_page(browser, live_server, decision_id)
    assert status == 200 and NUMBER in text and "郑某" in text
    assert "郑晓东" not in text and ID_NUMBER not in text and MOBILE not in text and "王建国" not in text

    # 5. The decision is revoked: still public, now marked revoked, with the withdrawal deadline on the case.
    page.goto(f"{live_server}/staff/decisions/{decision_id}/end")
    end = page.locator("main form")
    end.locator("input[name=how][value=revoked]").check()
    end.locator("textarea[name=reason]").fill("经行政复议，北京市大兴区人民政府决定撤销该处罚决定。")
    submit(page, end.locator("button[type=submit]"))
    assert "已登记撤销" in flash_text(page) and "撤回公示期限" in page.locator("main").inner_text()
    status, text = public_page(browser, live_server, decision_id)
    assert status == 200 and "撤销" in text

    # 6. Withdrawn: the public sees only the notice with its reason, never the body.
    page.goto(f"{live_server}/staff/decisions/{decision_id}/withdraw")
    withdraw = page.locator("main form")
    withdraw.locator("textarea[name=reason]").fill(REASON)
    submit(page, withdraw.locator("button[type=submit]"))
    assert "已撤回公示" in flash_text(page)
    status, text = public_page(browser, live_server, decision_id)
    assert status == 200 and REASON in text and NUMBER in text
    assert "液化石油气钢瓶" not in text and "郑某" not in text
    screenshot(page, "back_office_withdrawn")
