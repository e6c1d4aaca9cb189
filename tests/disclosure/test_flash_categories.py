"""Refusals of the case workflow are flashed as errors, not in the green success box, and each category
is drawn its own way on the staff page (GOV.UK: error box, notification banner, warning text)."""

from __future__ import annotations

from flask import flash, render_template_string
from sqlalchemy import select

from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import draft_input

town = fixtures.town  # the shared fixture
MAJOR = {"fine_amount": "8000", "result": "罚款人民币8,000元。"}


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def drafted(client, **overrides) -> Decision:
    saved = client.post("/staff/decisions/new", data=draft_input(**overrides))
    assert saved.status_code == 302
    assert [c for c, _ in flashes(client)] == ["success"]
    client.get(saved.headers["Location"])  # the saved message is shown, and gone
    return db.session.scalar(select(Decision).order_by(Decision.id.desc()))


def decide(client, d: Decision):
    return client.post(f"/staff/decisions/{d.id}/decide", data={"decided_on": "2026-11-02", "version": d.version})


def test_deciding_a_major_case_without_review_is_an_error(town, client):
    login_as(client, "officer")
    d = drafted(client, **MAJOR)
    decide(client, d)
    [(category, message)] = flashes(client)
    assert category == "error" and "未经法制审核通过" in message
    page = client.get(f"/staff/decisions/{d.id}").get_data(as_text=True)
    assert 'class="message message-error" role="alert"' in page and "message-success" not in page
    db.session.expire_all()
    assert d.status == "draft"


def test_fewer_than_two_officers_is_an_error(town, client):
    login_as(client, "officer")
    d = drafted(client, officers=["11011500001"])
    decide(client, d)
    [(category, message)] = flashes(client)
    assert category == "error" and "执法人员不得少于2人" in message


def test_a_step_that_went_through_is_a_success(town, client):
    login_as(client, "officer")
    d = drafted(client)
    client.post(f"/staff/decisions/{d.id}/recusals", data={})
    assert [c for c, _ in flashes(client)] == ["error"]  # an empty form is refused too
    client.get(f"/staff/decisions/{d.id}")  # shown once, then gone
    decide(client, d)
    assert [c for c, _ in flashes(client)] == ["success"]


def test_each_category_has_its_own_look_and_none_sits_in_the_header(town, app):
    login_as(app.test_client(), "officer")
    with app.test_request_context("/staff/"):
        from flask_login import login_user

        login_user(town.officer)
        for category in ("error", "warning", "success", "info", "message"):
            flash(f"内容-{category}", category)
        html = render_template_string('{% extends "staff/layout.html" %}{% block content %}<h1>页</h1>{% endblock %}')
    main = html[html.index("<main"):]
    assert "内容-error" not in html[:html.index("<main")]  # no band in the header any more
    assert 'message-error" role="alert" tabindex="-1" data-autofocus' in main
    assert 'message-success" role="alert"' in main
    assert 'message-warning' in main and "注意：</span>内容-warning" in main
    assert main.count('message-info" role="region"') == 2  # an unknown category is shown as information


def test_every_flash_in_the_code_names_its_category():
    """A flash without a category renders as the default 'message': the sweep keeps it that way."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "enforcement"
    bare = []
    for path in root.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            call = re.search(r"\bflash\((.*)\)\s*$", line)
            if call and not re.search(r"""(["'](error|warning|success|info)["']|category)\s*$""", call.group(1)):
                bare.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert not bare, "\n".join(bare)
