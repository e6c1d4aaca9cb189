"""Browser journey: the supervisor signs an officer in, the officer takes an exam, the supervisor checks compliance."""

import re

from tests.e2e.conftest import axe_violations, login, screenshot, submit

SUPERVISOR = ("supervisor", "supervisor-demo-2021")
OFFICER = ("officer", "officer-demo-2021")


def demo_officer_name(app) -> str:
    from sqlalchemy import select

    from enforcement.accounts.models import User
    from enforcement.extensions import db

    with app.app_context():
        return db.session.scalar(select(User).where(User.username == OFFICER[0])).officer.name


def test_sign_in_take_an_exam_and_check_the_compliance_table(browser, live_server, e2e_app):
    name = demo_officer_name(e2e_app)
    # The supervisor records a partial attendance for the demo officer, who missed the November session.
    supervisor = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    login(supervisor, live_server, *SUPERVISOR)
    supervisor.goto(f"{live_server}/training/courses")
    supervisor.get_by_role("link", name="执法文书制作与文明执法").click()
    supervisor.get_by_role("link", name=re.compile("2026-11-12")).click()
    officer_option = supervisor.locator("select[name=officer_id] option", has_text=name)
    supervisor.select_option("select[name=officer_id]", value=officer_option.get_attribute("value"))
    supervisor.fill("input[name=hours]", "3")
    submit(supervisor, supervisor.get_by_role("button", name="登记签到"))
    assert f"已登记 {name} 3 学时" in supervisor.content()
    assert supervisor.locator("table", has_text=name).count() == 1

    # The officer sees the hours, takes the three-systems exam and gets a score with explanations.
    officer = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    login(officer, live_server, *OFFICER)
    officer.goto(f"{live_server}/training/")
    assert "执法文书制作与文明执法" in officer.content()
    officer.get_by_role("row", name=re.compile("行政执法三项制度结业考试")).get_by_role("link").click()
    submit(officer, officer.get_by_role("button", name="开始考试"))
    questions = officer.locator("fieldset.question")
    assert questions.count() == 10
    for i in range(questions.count()):
        questions.nth(i).locator("input").first.check()
    screenshot(officer, "training-attempt")
    submit(officer, officer.get_by_role("button", name="交卷"))
    assert re.search(r"得分 \d+ 分", officer.locator("[role=status]").last.inner_text())
    assert "解析" in officer.content()

    # The supervisor's compliance table shows the team, with a drill-down for the officer.
    supervisor.goto(f"{live_server}/training/compliance")
    table = supervisor.locator("#compliance-table")
    assert table.locator("tbody tr").count() == 30
    assert "落后" in table.inner_text()
    screenshot(supervisor, "training-compliance")
    assert axe_violations(supervisor) == []
    submit(supervisor, table.get_by_role("link", name=name))
    assert f"{name}的培训" in supervisor.content() and "执法文书制作与文明执法" in supervisor.content()
