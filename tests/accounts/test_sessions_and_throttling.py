"""Sessions end everywhere at once; login throttling holds under concurrent guesses and does not let one
address lock out the accounts that work from it; passwords must not be guessable (ASVS 4.0 V2.1, V2.2, V3.3)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from enforcement.accounts import services
from enforcement.accounts.models import User
from enforcement.accounts.services import create_user
from enforcement.core.errors import RuleViolation
from enforcement.extensions import db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def officer(app):
    user = create_user("wangqiang", PASSWORD, ["officer"], display_name="王强")
    create_user("admin", "admin-password-1", ["admin"])
    db.session.commit()
    return user


def logged_in(app, username="wangqiang", password=PASSWORD, addr="10.0.0.1"):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password},
                           environ_base={"REMOTE_ADDR": addr})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def copy_of(app, client):
    """Another browser holding a copy of the same session cookie (stolen, or a second tab kept open)."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value)
    assert other.get("/staff/").status_code == 200
    return other


def test_logout_ends_the_session_everywhere_the_cookie_was_copied(app, officer):
    client = logged_in(app)
    stolen = copy_of(app, client)
    client.post("/logout")
    assert stolen.get("/staff/").status_code == 302


def test_a_password_change_ends_every_open_session(app, officer):
    client = logged_in(app)
    services.set_password(db.session.get(User, officer.id), "a-new-gas-inspection-phrase")
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_a_role_change_and_disabling_end_every_open_session(app, officer):
    client = logged_in(app)
    services.set_roles(db.session.get(User, officer.id), ["officer", "reviewer"])
    db.session.commit()
    assert client.get("/staff/").status_code == 302
    client = logged_in(app)
    services.disable_user(db.session.get(User, officer.id))
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_a_cookie_without_the_session_version_names_no_one(app, officer):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(officer.id)  # the format before session versions
    assert client.get("/staff/").status_code == 302


def test_concurrent_guesses_check_no_more_passwords_than_the_limit(app, officer, monkeypatch):
    checked = []
    real = services.verify_password

    def counting(user, password):
        checked.append(password)
        return real(user, password)

    monkeypatch.setattr(services, "verify_password", counting)
    start = threading.Barrier(16)

    def guess(i: int) -> None:
        with app.app_context():
            start.wait()
            try:
                services.authenticate("wangqiang", f"guess-{i}", f"10.1.0.{i}")
            except RuleViolation:
                pass
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= len(checked) <= 5


def test_failures_from_one_address_do_not_lock_accounts_that_work_from_it(app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    logged_in(app, addr="10.0.0.1")  # the officer works from the office's address
    guesser = app.test_client()
    for name in ("a", "b", "c", "d"):
        guesser.post("/login", data={"username": name, "password": "wrong-password-1"},
                     environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert guesser.post("/login", data={"username": "admin", "password": "admin-password-1"},
                        environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429  # never from here
    logged_in(app, addr="10.0.0.1")  # still works for the officer


@pytest.mark.parametrize("password", ["1234567890", "123456789012", "password1234", "qwertyuiopas", "aaaaaaaaaaaa", "wangqiang2026",
                                      "iloveyou1234", "abc123abc123", "2026-11-30"])
def test_a_guessable_password_is_refused(app, officer, password):
    with pytest.raises(RuleViolation, match="太容易被猜中|至少12位"):
        services.set_password(officer, password)
    if "wangqiang" not in password:  # the name only counts against its own account
        with pytest.raises(RuleViolation):
            create_user("liuna", password, ["officer"])


def test_a_long_unusual_password_is_accepted(app, officer):
    services.set_password(officer, "gas hose alarm lantern 27")
    db.session.commit()
    assert services.verify_password(db.session.get(User, officer.id), "gas hose alarm lantern 27")


def test_the_admin_form_says_why_a_password_is_refused(app, officer):
    from tests.conftest import login_as

    client = app.test_client()
    login_as(client, "admin")
    page = client.post(f"/staff/users/{officer.id}", data={
        "username": "wangqiang", "display_name": "王强", "password": "123456789012", "roles": ["officer"],
        "enabled": "y"}).get_data(as_text=True)
    assert "太容易被猜中" in page
    assert db.session.scalar(select(User.session_version).where(User.id == officer.id)) == 1
