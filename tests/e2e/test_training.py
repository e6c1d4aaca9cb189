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


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 256


def an_exam_of_its_own(app, size: str) -> str:
    """A ten-question three-systems assessment for this run, so the journey never runs out of attempts."""
    from enforcement.extensions import db
    from enforcement.training.models import Assessment

    title = f"执法规范化自测（{'手机' if size == 'phone' else '电脑'}）"
    with app.app_context():
        db.session.add(Assessment(title=title, subject="three_systems", question_count=10, time_limit_minutes=20,
                                  pass_mark=60, max_attempts=3))
        db.session.commit()
        db.session.remove()
    return title


def earned_hours(page) -> float:
    """已获学时 on the officer's own page."""
    text = page.locator("dt:text-is('已获学时') + dd").inner_text()
    return float(text.split("学时")[0].strip())


def follow(page, name: str) -> None:
    """Follow a link of the staff navigation; on a phone the navigation may be folded behind a menu button."""
    link = page.get_by_role("link", name=name, exact=True).first
    if not link.is_visible():
        toggle = page.locator("summary:visible, button[aria-expanded]:visible").first
        if toggle.count():
            toggle.click()
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()


def test_self_study_waits_for_the_supervisor_and_the_exam_warns_of_blank_questions(sized_page, browser,
                                                                                       live_server, e2e_app):
    page, size = sized_page, sized_page.size
    name = demo_officer_name(e2e_app)
    exam = an_exam_of_its_own(e2e_app, size)
    evidence = f"学习平台记录-{size}.png"

    # The officer declares self-study with an evidence file: pending, not yet counted.
    login(page, live_server, *OFFICER)
    follow(page, "我的培训")
    earned = earned_hours(page)
    page.locator("main").get_by_role("link", name="执法业务网络自学").first.click()
    page.wait_for_load_state()
    form = page.locator("form:has(input[type=file])")
    form.get_by_label("学时").fill("0.5")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": evidence, "mimeType": "image/png", "buffer": PNG}])
    form.get_by_label("说明（可选：学习内容、学习平台记录编号）").fill("学习《行政处罚法》第五章")
    submit(page, form.get_by_role("button", name="提交自学学时"))
    assert "审核通过后计入学时" in page.locator(".messages").inner_text()
    assert page.get_by_role("row", name=re.compile(re.escape(evidence) + ".*待审核")).count() == 1
    assert page.get_by_role("button", name="提交自学学时").is_visible()  # the form stays for the next entry
    screenshot(page, f"training-self-study-{size}")
    assert axe_violations(page) == []

    # The exam: the timer stays in view while scrolling; handing in with blanks lists them first.
    follow(page, "我的培训")
    assert earned_hours(page) == earned  # pending hours do not count
    page.get_by_role("row", name=re.compile(exam)).get_by_role("link").click()
    page.wait_for_load_state()
    submit(page, page.get_by_role("button", name="开始考试"))
    questions = page.locator("fieldset.question")
    assert questions.count() == 10
    questions.nth(0).locator("input").first.check()
    questions.nth(9).scroll_into_view_if_needed()
    timer = page.locator("#time-left")
    assert timer.is_visible() and abs(timer.bounding_box()["y"]) < 2  # stuck to the top of the screen
    assert "剩余时间" in timer.inner_text()
    page.get_by_role("button", name="交卷", exact=True).click()
    warning = page.locator("#unanswered")
    assert warning.is_visible() and "还有 9 题未作答" in warning.inner_text()
    assert warning.get_by_role("link").count() == 9 and "第2题" in warning.inner_text()
    screenshot(page, f"training-unanswered-{size}")
    assert axe_violations(page) == []
    submit(page, warning.get_by_role("button", name="确认交卷"))
    assert re.search(r"得分 \d+ 分", page.locator("[role=status]").last.inner_text())

    # The supervisor approves the declaration from the review queue; it then counts.
    supervisor = page.context.browser.new_context(viewport=page.viewport_size, locale="zh-CN",
                                                  is_mobile=size == "phone", has_touch=size == "phone").new_page()
    login(supervisor, live_server, *SUPERVISOR)
    follow(supervisor, "自学学时审核")
    claim = supervisor.locator("section.claim", has_text=evidence)
    assert claim.count() == 1 and name in claim.inner_text()
    screenshot(supervisor, f"training-review-{size}")
    assert axe_violations(supervisor) == []
    submit(supervisor, claim.get_by_role("button", name="通过并计入学时"))
    assert f"已通过 {name} 的自学学时 0.5 学时" in supervisor.locator(".messages").inner_text()
    assert supervisor.locator("section.claim", has_text=evidence).count() == 0
    supervisor.context.close()

    follow(page, "我的培训")
    assert page.get_by_role("row", name=re.compile(re.escape("执法业务网络自学") + ".*已通过")).count() >= 1
    assert earned_hours(page) == earned + 0.5
