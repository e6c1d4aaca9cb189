"""Sessions expire, cookies carry secure flags, and every form needs its CSRF token."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import itsdangerous.timed

from enforcement.accounts.services import create_user
from enforcement.extensions import db

PASSWORD = "correct-horse-battery"


def officer_logged_in(client):
    create_user("wangqiang", PASSWORD, ["officer"])
    db.session.commit()
    response = client.post("/login", data={"username": "wangqiang", "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_session_cookie_is_http_only_same_site_and_expires(app, client):
    cookie = officer_logged_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_secure_cookies_behind_https(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    assert "Secure" in officer_logged_in(client).headers["Set-Cookie"]


def test_a_session_older_than_its_lifetime_is_logged_out(app, client, monkeypatch):
    officer_logged_in(client)
    assert client.get("/staff/").status_code == 200
    lifetime = app.permanent_session_lifetime
    assert lifetime <= timedelta(hours=8)
    later = time.time() + lifetime.total_seconds() + 60
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert client.get("/staff/").status_code == 302


def test_a_post_without_the_csrf_token_is_refused(app, client, monkeypatch):
    officer_logged_in(client)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 200  # still logged in: the forged logout did nothing
    page = client.get("/staff/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_the_login_form_itself_needs_the_token(app, client, monkeypatch):
    create_user("wangqiang", PASSWORD, ["officer"])
    db.session.commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/login", data={"username": "wangqiang", "password": PASSWORD})
    assert response.status_code == 400
