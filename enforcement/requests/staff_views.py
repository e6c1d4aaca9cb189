"""Staff pages under /staff/requests/: officers handle requests, supervisors and admins read."""

from __future__ import annotations

from enforcement.accounts.access import staff_blueprint

bp = staff_blueprint("requests_staff", __name__, roles={"officer", "supervisor", "admin"},
                     url_prefix="/staff/requests")


@bp.get("/")
def index():
    return ""
