"""Admins manage accounts and roles on /staff/users/ and with `flask users ...`; every change is audited."""

from __future__ import annotations

from sqlalchemy import select

from enforcement.accounts.models import User
from enforcement.accounts.services import create_user, verify_password
from enforcement.core.audit_log import AuditEvent
from enforcement.extensions import db
from tests.conftest import login_as


def user(name: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == name))


def make_admin():
    create_user("admin", "admin-password-1", ["admin"])
    create_user("liuna", "officer-password-1", ["officer"])
    db.session.commit()


def test_only_admins_see_the_user_pages(app, client):
    make_admin()
    login_as(client, "liuna")
    assert client.get("/staff/users/").status_code == 403
    login_as(client, "admin")
    assert "liuna" in client.get("/staff/users/").get_data(as_text=True)


def test_an_admin_creates_a_user_with_several_roles(app, client):
    make_admin()
    login_as(client, "admin")
    response = client.post("/staff/users/new", data={
        "username": "zhaomin", "display_name": "赵敏", "password": "a-long-password", "roles": ["officer", "reviewer"],
        "officer_id": "", "has_legal_qualification": "y", "enabled": "y"})
    assert response.status_code == 302
    created = user("zhaomin")
    assert created.roles == {"officer", "reviewer"} and created.has_legal_qualification
    assert verify_password(created, "a-long-password")


def test_a_short_password_is_refused_next_to_the_field_and_the_input_kept(app, client):
    make_admin()
    login_as(client, "admin")
    page = client.post("/staff/users/new", data={"username": "zhaomin", "password": "short", "roles": ["officer"]})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "密码至少12位" in text and 'value="zhaomin"' in text
    assert user("zhaomin") is None
    refused = db.session.scalar(select(AuditEvent).where(AuditEvent.outcome == "refused"))
    assert refused.action == "user.create"


def test_an_admin_changes_roles_and_disables_an_account(app, client):
    make_admin()
    login_as(client, "admin")
    target = user("liuna")
    client.post(f"/staff/users/{target.id}", data={"username": "liuna", "display_name": "刘娜", "roles": ["supervisor"],
                                                   "officer_id": ""})
    changed = user("liuna")
    assert changed.roles == {"supervisor"} and not changed.enabled
    assert {e.action for e in db.session.scalars(select(AuditEvent))} >= {"user.set_roles", "user.disable"}


def test_the_last_admin_cannot_remove_their_own_role(app, client):
    make_admin()
    login_as(client, "admin")
    me = user("admin")
    page = client.post(f"/staff/users/{me.id}", data={"username": "admin", "roles": ["officer"], "enabled": "y",
                                                      "officer_id": ""})
    assert "不能停用或撤销最后一个系统管理员" in page.get_data(as_text=True)
    assert user("admin").roles == {"admin"}


def test_users_cli_create_set_roles_disable(app, runner):
    result = runner.invoke(args=["users", "create", "zhangwei", "--role", "officer", "--password", "cli-password-1",
                                 "--display-name", "张伟"])
    assert result.exit_code == 0 and "已创建用户 zhangwei（执法人员）" in result.output
    result = runner.invoke(args=["users", "set-roles", "zhangwei", "officer", "reviewer"])
    assert result.exit_code == 0 and user("zhangwei").roles == {"officer", "reviewer"}
    result = runner.invoke(args=["users", "disable", "zhangwei"])
    assert result.exit_code == 0 and not user("zhangwei").enabled


def test_users_cli_refuses_clearly(app, runner):
    result = runner.invoke(args=["users", "create", "x", "--role", "officer", "--password", "short"])
    assert result.exit_code == 1 and "密码至少12位" in result.output
    result = runner.invoke(args=["users", "disable", "nobody"])
    assert result.exit_code == 1 and "用户 nobody 不存在" in result.output
    result = runner.invoke(args=["users", "set-roles", "nobody", "pilot"])
    assert result.exit_code == 2  # click names the valid roles
