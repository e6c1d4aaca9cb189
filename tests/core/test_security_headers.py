"""Every response carries the security headers; staff and signed-in responses are never stored by a shared cache;
templates contain no inline script or style for the CSP to allow (ASVS 4.0 V14.4, V8.2.1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from enforcement.accounts.services import create_user
from enforcement.extensions import db
from tests.conftest import login_as

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def officer(app):
    create_user("wangqiang", "correct-horse-battery", ["officer"])
    db.session.commit()


@pytest.mark.parametrize("path", ["/", "/decisions", "/api/v1/decisions", "/feeds/decisions.atom", "/login",
                                  "/no-such-page"])
def test_every_response_has_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_hsts_only_over_https_when_configured(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/", base_url="https://localhost").headers
    monkeypatch.setitem(app.config, "HSTS_SECONDS", 31536000)
    assert "Strict-Transport-Security" not in client.get("/").headers  # plain HTTP
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith(
        "max-age=31536000")


def test_staff_pages_are_private_and_never_stored(officer, client):
    login_as(client, "wangqiang")
    for path in ("/staff/", "/staff/decisions/", "/login"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path


def test_a_public_page_for_a_signed_in_user_is_not_public(officer, client):
    """The fault: Cache-Control: public together with the staff session's Set-Cookie."""
    login_as(client, "wangqiang")
    response = client.get("/decisions")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "public" not in response.headers["Cache-Control"]


def test_the_login_response_that_sets_the_session_cookie_is_not_stored(officer, client):
    response = client.post("/login", data={"username": "wangqiang", "password": "correct-horse-battery"})
    assert "Set-Cookie" in response.headers and response.headers["Cache-Control"] == "private, no-store"


def test_anonymous_public_pages_keep_their_public_cache_headers(client):
    assert client.get("/decisions").headers["Cache-Control"].startswith("public")


def test_any_response_setting_a_cookie_is_private(client):
    response = client.get("/preferences/text-size?size=large&next=/")
    assert "Set-Cookie" in response.headers and response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_templates_have_no_inline_script_or_style(template):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert "<style" not in text and not re.search(r"\sstyle=", text), "inline style"
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"
