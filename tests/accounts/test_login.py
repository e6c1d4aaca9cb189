"""Staff log in at /login with Argon2 passwords; failures are throttled per account and per address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from enforcement.accounts.models import User
from enforcement.accounts.services import create_user
from enforcement.core.audit_log import AuditEvent
from enforcement.extensions import db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def officer(app):
    user = create_user("wangqiang", PASSWORD, ["officer"], display_name="王强")
    db.session.commit()
    return user


def log_in(client, username="wangqiang", password=PASSWORD, next_url=None, addr="10.0.0.1"):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password}, environ_base={"REMOTE_ADDR": addr})


def test_the_password_is_stored_as_an_argon2id_hash(officer):
    assert officer.password_hash.startswith("$argon2id$") and PASSWORD not in officer.password_hash


def test_outside_tests_the_hash_uses_argon2s_recommended_cost(app, monkeypatch):
    from argon2 import PasswordHasher

    from enforcement.accounts.services import hash_password

    monkeypatch.setattr(app, "testing", False)
    assert f"m={PasswordHasher().memory_cost},t={PasswordHasher().time_cost}" in hash_password(PASSWORD)


def test_logging_in_opens_the_workbench_and_logging_out_closes_it(officer, client):
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_next_returns_to_the_page_asked_for_but_never_to_another_site(officer, client):
    assert log_in(client, next_url="/staff/decisions/").headers["Location"] == "/staff/decisions/"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        client.post("/logout")
        assert log_in(client, next_url=evil).headers["Location"] == "/staff/"


def test_a_wrong_password_says_so_in_chinese_and_is_audited(officer, client):
    response = log_in(client, password="wrong-password")
    assert response.status_code == 200 and "用户名或密码错误" in response.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    assert (event.action, event.outcome, event.remote_addr) == ("user.login", "refused", "10.0.0.1")


def test_a_disabled_account_cannot_log_in(officer, client):
    from enforcement.accounts.services import disable_user

    disable_user(officer)
    db.session.commit()
    assert "账号已停用" in log_in(client).get_data(as_text=True)


def test_five_failures_lock_the_account_even_with_the_right_password(officer, client):
    for i in range(5):
        log_in(client, password="wrong-password", addr=f"10.0.1.{i}")
    response = log_in(client, addr="10.0.2.1")
    text = response.get_data(as_text=True)
    assert response.status_code == 429 and "该账号登录失败次数过多" in text and "15分钟后再试" in text
    assert client.get("/staff/").status_code == 302


def test_an_address_trying_many_accounts_is_throttled(officer, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    for name in ("a", "b", "c"):
        log_in(client, username=name, password="wrong-password")
    response = log_in(client)
    assert response.status_code == 429 and "您所在的网络地址登录失败次数过多" in response.get_data(as_text=True)
    assert log_in(client, addr="10.9.9.9").status_code == 302  # another address is not affected


def test_failures_older_than_the_window_no_longer_count(officer, client):
    from enforcement.accounts.models import LoginThrottle

    for _ in range(5):
        log_in(client, password="wrong-password")
    assert log_in(client).status_code == 429
    for counter in db.session.scalars(select(LoginThrottle)):
        counter.window_started -= timedelta(minutes=16)
    db.session.commit()
    assert log_in(client).status_code == 302


def test_a_successful_login_records_when(officer, client):
    log_in(client)
    assert db.session.scalar(select(User.last_login_at).where(User.username == "wangqiang")) is not None
