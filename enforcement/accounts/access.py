"""Role checks for staff routes, declared once per blueprint so no route can forget.

``staff_blueprint(name, roles=...)`` returns a Blueprint whose every request is
refused unless the user is logged in (302 to the login page) and holds one of
the roles (403). Views may narrow further with ``@roles_required``. The route
walk test reads ``ALLOWED_ROLES`` to know what each route should answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

# blueprint name -> roles allowed (empty set: public)
ALLOWED_ROLES: dict[str, frozenset[str]] = {}
ALL_STAFF = frozenset({"officer", "reviewer", "supervisor", "admin"})
# Extra links in the staff navigation: (endpoint, Chinese label, roles that see it); see add_staff_link.
STAFF_LINKS: list[tuple[str, str, frozenset[str]]] = []


def add_staff_link(endpoint: str, label: str, roles: frozenset[str] | set[str] = ALL_STAFF) -> None:
    """Let a domain (training, supervision) put its staff pages in the shared navigation."""
    if all(link[0] != endpoint for link in STAFF_LINKS):
        STAFF_LINKS.append((endpoint, label, frozenset(roles)))


def _login_redirect():
    try:
        target = url_for("accounts.login", next=request.full_path.rstrip("?"))
    except Exception:  # the login view is not registered (e.g. a minimal test app)
        abort(401)
    return redirect(target)


def check_roles(roles: frozenset[str]):
    """None when allowed; otherwise the response that refuses the request."""
    if not current_user.is_authenticated:
        return _login_redirect()
    if not current_user.has_role(*roles):
        abort(403)
    return None


def staff_blueprint(name: str, import_name: str, roles: frozenset[str] | set[str] = ALL_STAFF, **kw) -> Blueprint:
    bp = Blueprint(name, import_name, **kw)
    allowed = frozenset(roles)
    ALLOWED_ROLES[name] = allowed

    @bp.before_request
    def _require_roles():
        return check_roles(allowed)

    return bp


def roles_required(*roles: str) -> Callable:
    """Narrow a single staff view to some roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            refused = check_roles(frozenset(roles))
            if refused is not None:
                return refused
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
