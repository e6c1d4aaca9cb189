"""Security headers on every response, and who may cache what.

- ``Content-Security-Policy``: scripts, styles, images and fonts from this site
  only, no inline script or style (templates link static files), no plugins,
  no ``<base>``, forms post only here, and ``frame-ancestors 'none'``
  (clickjacking). ``X-Frame-Options: DENY`` for older browsers.
- ``X-Content-Type-Options: nosniff``; ``Referrer-Policy: same-origin`` (case
  URLs never leave in a Referer); ``Cross-Origin-Opener-Policy: same-origin``.
- ``Strict-Transport-Security`` when the request came over HTTPS and
  ``HSTS_SECONDS`` is set (env ``HSTS_SECONDS``; 0 disables).
- ``Cache-Control: private, no-store`` on every staff response, every response
  to a signed-in user and every response that sets a cookie; the response
  cache's ``public`` headers survive only on anonymous responses that set none.
  The session cookie itself is written after these hooks, so the session
  interface repeats the rule when it writes one.

ASVS 4.0 V14.4.1–V14.4.7, V8.2.1, V3.4.
"""

from __future__ import annotations

from flask import Flask, Response, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
NO_STORE = "private, no-store"


def is_staff_request() -> bool:
    """A staff blueprint's route (``accounts.access.ALLOWED_ROLES``), or the login pages."""
    from enforcement.accounts.access import ALLOWED_ROLES

    return request.blueprint in ALLOWED_ROLES or request.path in ("/login", "/logout")


def _signed_in() -> bool:
    try:
        return bool(getattr(current_user, "is_authenticated", False))
    except Exception:  # no login manager on a minimal app
        return False


def set_headers(response: Response) -> Response:
    """The after-request hook: see the module docstring."""
    from flask import current_app

    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    hsts = int(current_app.config.get("HSTS_SECONDS", 0) or 0)
    if hsts and request.is_secure:
        headers["Strict-Transport-Security"] = f"max-age={hsts}; includeSubDomains"
    cookie_name = current_app.config.get("SESSION_COOKIE_NAME", "session")
    private = (is_staff_request() or _signed_in() or "Set-Cookie" in headers
               or cookie_name in request.cookies or session.modified)
    if private:
        headers["Cache-Control"] = NO_STORE
        headers.pop("Expires", None)
        response.vary.add("Cookie")
    return response


class NoStoreSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; a response that writes the cookie is never stored by a shared cache."""

    def save_session(self, app: Flask, session, response: Response) -> None:  # type: ignore[override]
        super().save_session(app, session, response)
        if "Set-Cookie" in response.headers:
            response.headers["Cache-Control"] = NO_STORE
            response.vary.add("Cookie")


def init_app(app: Flask) -> None:
    app.config.setdefault("HSTS_SECONDS", 0)
    app.session_interface = NoStoreSessionInterface()
    app.after_request(set_headers)
