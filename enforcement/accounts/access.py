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
# The staff navigation: (endpoint, Chinese label, roles that see it, URL values), in menu order; see add_staff_link.
STAFF_LINKS: list[tuple[str, str, frozenset[str], dict]] = []
_LINK_ORDER: dict[tuple, int] = {}
# Where each role starts after signing in, first match wins (a role's own desk before the shared ones).
HOMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("officer", ("staff.index",)),
    ("reviewer", ("staff_decisions.review_queue", "staff.index")),
    ("supervisor", ("audit.dashboard", "staff.index")),
    ("admin", ("staff_users.index", "staff.index")),
)


def add_staff_link(endpoint: str, label: str, roles: frozenset[str] | set[str] = ALL_STAFF, *, order: int = 50,
                   **values: str) -> None:
    """Put a domain's staff page in the shared navigation, for the roles that may use it.

    Each domain calls this from its ``init_app``; ``order`` (smaller first) places the link in the menu.
    A link whose endpoint is not registered in the running app is left out when the menu is built
    (:func:`nav_links`), so a domain may name a page another domain adds later. Registering an endpoint
    twice keeps the first registration (several apps in one process register the same links). ``values``
    fill the endpoint's URL parameters (``kind="agencies"``).
    """
    key = _key(endpoint, values)
    if key in _LINK_ORDER:
        return
    _LINK_ORDER[key] = order
    STAFF_LINKS.append((endpoint, label, frozenset(roles), dict(values)))
    STAFF_LINKS.sort(key=lambda link: _LINK_ORDER[_key(link[0], link[3])])


def _key(endpoint: str, values: dict) -> tuple:
    return (endpoint, *sorted(values.items()))


def nav_links(app, user, path: str) -> list[dict]:
    """The menu for ``user`` on the page at ``path``: ``[{"href", "label", "current"}]`` in menu order.

    Only links to endpoints the app has and the user's roles may open; the link whose address is the
    longest prefix of ``path`` is the current section (shown with aria-current, GOV.UK service navigation).
    """
    from flask import url_for

    links = [{"href": url_for(endpoint, **values), "label": label, "current": False}
             for endpoint, label, roles, values in STAFF_LINKS
             if endpoint in app.view_functions and user.is_authenticated and user.has_role(*roles)]
    matching = [link for link in links if path == link["href"] or path.startswith(link["href"].rstrip("/") + "/")]
    if matching:
        max(matching, key=lambda link: len(link["href"]))["current"] = True
    return links


def home_endpoint(app, user) -> str:
    """The endpoint a signed-in user starts from: officers their cases, reviewers the review queue (the
    workbench until the queue exists), supervisors the audit dashboard, administrators the accounts."""
    for role, endpoints in HOMES:
        if user.has_role(role):
            for endpoint in endpoints:
                if endpoint in app.view_functions:
                    return endpoint
    return "staff.index"


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
