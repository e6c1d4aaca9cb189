"""Staff pages as each role sees them on the demo town: the navigation, the start page after signing in,
flash categories, and no private value of a party on any page (staff lists mask like the public site).

The walk finds staff routes the way tests/test_route_access.py does, so a page added later is walked too.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from tests.conftest import login_as
from tests.test_route_access import Filler, expected_roles

ROLES = ("officer", "reviewer", "supervisor", "admin")
PASSWORDS = {r: f"{r}-demo-2021" for r in ROLES}
# Pages whose purpose is the raw value: the case's own edit form (the officer corrects what was typed) and
# the publication check (the officer decides, value by value, what the public sees).
RAW_BY_DESIGN = {"staff_decisions.edit", "staff_decisions.publish"}
MENU = re.compile(r'<ul id="staff-menu".*?</ul>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="[a-z]+")?>([^<]+)</a>')

# Exactly what each role finds in the menu (labels, in order).
STANDING = ["执法主体", "执法人员", "职权清单", "执法流程", "抽查事项"]
EXPECTED_MENU = {
    "officer": ["工作台", "执法决定", *STANDING, "我的培训", "培训课程", "整改任务", "双随机抽查", "依申请公开"],
    "reviewer": ["工作台", "执法决定", *STANDING, "培训课程"],
    "supervisor": ["执法监督", "工作台", "执法决定", *STANDING, "培训课程", "培训合规", "自学学时审核", "双随机抽查",
                   "依申请公开"],
    "admin": ["用户与角色", "执法监督", "工作台", "执法决定", *STANDING, "培训课程", "培训合规", "双随机抽查",
              "依申请公开"],
}


def menu(html: str) -> list[tuple[str, bool, str]]:
    block = MENU.search(html)
    assert block, "no staff menu on the page"
    return [(href, bool(current), label) for href, current, label in LINK.findall(block.group(0))]


def expected_menu(app, role: str) -> list[str]:
    labels = list(EXPECTED_MENU[role])
    if role == "reviewer" and "staff_decisions.review_queue" in app.view_functions:
        labels.insert(0, "法制审核")
    return labels


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_links_and_each_answers(demo_app, role):
    client = demo_app.test_client()
    login_as(client, role)
    links = menu(client.get("/staff/").get_data(as_text=True))
    assert [label for _, _, label in links] == expected_menu(demo_app, role)
    for href, _, label in links:
        page = client.get(href)
        assert page.status_code == 200, f"{label} {href}: {page.status_code}"
        here = [(h, lab) for h, current, lab in menu(page.get_data(as_text=True)) if current]
        assert here == [(href, label)], f"{href}: current section {here}"


def test_the_menu_marks_a_deeper_page_with_its_section(demo_app):
    client = demo_app.test_client()
    login_as(client, "officer")
    listing = client.get("/staff/decisions/").get_data(as_text=True)
    case = re.search(r'href="(/staff/decisions/\d+)"', listing).group(1)
    links = menu(client.get(case).get_data(as_text=True))
    assert [label for _, current, label in links if current] == ["执法决定"]


def test_nobody_signed_in_gets_no_menu(demo_app):
    assert 'id="staff-menu"' not in demo_app.test_client().get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_own_home(demo_app, role):
    home = {"officer": "staff.index", "reviewer": "staff_decisions.review_queue", "supervisor": "audit.dashboard",
            "admin": "staff_users.index"}[role]
    if home not in demo_app.view_functions:
        home = "staff.index"
    with demo_app.test_request_context():
        from flask import url_for

        target = url_for(home)
    client = demo_app.test_client()
    response = client.post("/login", data={"username": role, "password": PASSWORDS[role]})
    assert response.status_code == 302 and response.headers["Location"] == target
    assert client.get(target).status_code == 200


def test_a_next_address_still_wins_over_the_home(demo_app):
    client = demo_app.test_client()
    response = client.post("/login?next=/training/courses", data={"username": "supervisor",
                                                                  "password": PASSWORDS["supervisor"]})
    assert response.headers["Location"] == "/training/courses"


@pytest.fixture(scope="module")
def party_private_values(demo_app):
    """Every natural person's ID number and phone on a demo case (as written and as stored)."""
    with demo_app.app_context():
        values = set()
        for d in db.session.scalars(select(Decision).where(Decision.party_type != "organisation")):
            values |= {v for v in (d.party_id_number, d.party_phone) if v and len(v) >= 7}
        db.session.remove()
    assert len(values) > 20
    return values


def staff_pages(app, role: str):
    """(endpoint, path) of every GET staff page ``role`` may open, parameters filled with demo ids."""
    with app.app_context():
        filler = Filler()
        plan = []
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            roles = expected_roles(app, rule)
            if "GET" in rule.methods and roles is not None and role in roles and rule.endpoint not in RAW_BY_DESIGN:
                plan.append((rule.endpoint, filler.fill(rule.rule)[0]))
        db.session.remove()
    return plan


@pytest.mark.parametrize("role", ROLES)
def test_no_staff_page_shows_a_partys_id_number_or_phone(demo_app, role, party_private_values):
    client = demo_app.test_client()
    login_as(client, role)
    problems, walked = [], 0
    for endpoint, path in staff_pages(demo_app, role):
        response = client.get(path)
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        walked += 1
        body = response.get_data(as_text=True)
        leaked = sorted(v for v in party_private_values if v in body)
        if leaked:
            problems.append(f"{path} ({endpoint}): {leaked[:3]}")
    assert walked > 10
    assert not problems, "\n".join(problems)


def test_the_workbench_shows_no_full_id_number(demo_app):
    """The 案由 column of every role's workbench, most of all: an 18-digit number never reaches it whole."""
    id_number = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
    for role in ROLES:
        client = demo_app.test_client()
        login_as(client, role)
        for path in ("/staff/", "/staff/decisions/"):
            body = client.get(path).get_data(as_text=True)
            assert not id_number.findall(body), (role, path, id_number.findall(body)[:3])


def test_lists_show_chinese_labels_not_codes(demo_app):
    client = demo_app.test_client()
    login_as(client, "officer")
    agencies = client.get("/staff/agencies/").get_data(as_text=True)
    assert ">statutory<" not in agencies and ">entrusted<" not in agencies
    officers = client.get("/staff/officers/").get_data(as_text=True)
    assert ">valid<" not in officers and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", officers)


def test_who_acted_is_shown_by_name(demo_app):
    from enforcement.accounts.display import actor_name

    with demo_app.test_request_context():
        assert actor_name("officer") == "执法队员（演示）"
        assert actor_name("cli") == "系统命令" and actor_name("system") == "系统"
        assert actor_name("no-such-account") == "工作人员"
        assert actor_name(None) == "系统"


def test_a_refused_form_starts_with_an_error_summary_linking_to_its_fields(demo_app):
    """GOV.UK error summary: on top, announced, focused (staff.js), each field's error a link to the field;
    the field itself repeats its error, named by aria-describedby."""
    client = demo_app.test_client()
    login_as(client, "admin")
    page = client.post("/staff/users/new", data={"display_name": "无名"}).get_data(as_text=True)
    main = page[page.index("<main"):]
    summary = main[main.index('class="error-summary"'):main.index("</ul>")]
    assert 'role="alert"' in summary and "data-autofocus" in summary
    assert '<a href="#username">请输入用户名</a>' in summary
    assert '<a href="#roles-0">请至少选择一个角色</a>' in summary
    assert main.index("error-summary") < main.index("<form")
    assert 'id="username-error"' in main and 'aria-describedby="username-error"' in main
    assert 'aria-invalid="true"' in main
