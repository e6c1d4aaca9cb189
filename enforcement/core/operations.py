"""Running in production: the reverse proxy's headers, a health check, and logs on stdout.

- ``TRUSTED_PROXIES`` (default 0): how many reverse proxies stand in front of
  the app. With nginx in front, set 1: Werkzeug's ``ProxyFix`` then takes the
  client's address from the last ``X-Forwarded-For`` entry the proxy appended
  and the scheme from ``X-Forwarded-Proto``, so the per-address login throttle
  and the audit log see citizens' addresses instead of 127.0.0.1. Trusting more
  proxies than there are lets a client forge its address, so the default trusts
  none. ``X-Forwarded-Host`` and ``-Prefix`` are never trusted: nginx passes the
  ``Host`` header itself, and a forged host must not reach feed links.
- ``GET /healthz``: the database and the search index are reachable, and how
  many change-log ids the index is behind. JSON, never cached, no private data
  (no addresses, paths or versions). 503 only when the database is unreachable
  (the host can serve nothing: a load balancer should take it out); a missing
  or unreadable index answers 200 with ``"status": "degraded"`` (pages work,
  search does not; ``search rebuild`` mends it).
- Logging: one line a record on stdout (JSON by default, ``LOG_FORMAT=text``
  for people), which systemd's journal or a container runtime collects.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from enforcement.core import clock
from enforcement.extensions import db

bp = Blueprint("ops", __name__)


def trust_proxies(app: Flask) -> None:
    """Wrap the WSGI app in ProxyFix for ``TRUSTED_PROXIES`` proxies (0 or unset: leave it alone)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops < 0:
        raise ValueError("TRUSTED_PROXIES must be 0 or more")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def health() -> tuple[dict[str, Any], bool]:
    """The health report and whether the database is reachable.

    Shape: ``{"status": "ok"|"degraded", "database": "ok"|"error", "search_index": "ok"|"missing"|"error",
    "index_lag": int|None, "latest_change": int|None, "time": ISO time in the configured zone}``.
    ``index_lag`` is the latest change-log id minus the highest id the index applied (commits still open
    in other transactions are not counted).
    """
    from enforcement.core.changelog import latest_id
    from enforcement.search.services import engine

    report: dict[str, Any] = {"status": "ok", "database": "ok", "search_index": "ok", "index_lag": None,
                              "latest_change": None, "time": clock.now().isoformat(timespec="seconds")}
    try:
        db.session.execute(text("SELECT 1"))
        report["latest_change"] = latest_id(db.session)
    except Exception:  # noqa: BLE001 - any failure means "unreachable"; the log has the details
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        report["database"] = "error"
    try:
        eng = engine()
        if not eng.exists():
            report["search_index"] = "missing"
        elif report["latest_change"] is not None:
            report["index_lag"] = max(0, report["latest_change"] - eng.state().applied_id)
    except Exception:  # noqa: BLE001
        current_app.logger.exception("health check: search index unreadable")
        report["search_index"] = "error"
    report["status"] = "ok" if report["database"] == report["search_index"] == "ok" else "degraded"
    return report, report["database"] == "ok"


@bp.get("/healthz")
def healthz():
    report, serving = health()
    response = jsonify(report)
    response.status_code = 200 if serving else 503
    response.headers["Cache-Control"] = "no-store"
    return response


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (configured zone), level, logger, message, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": clock.to_local(_utc(record.created)).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("event", "count", "seconds"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _utc(timestamp: float):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC)


def configure_logging(app: Flask) -> None:
    """Send the app's and the server's logs to stdout in ``LOG_FORMAT`` at ``LOG_LEVEL`` (not under tests)."""
    if app.testing:
        return
    handler = logging.StreamHandler(sys.stdout)
    if str(app.config.get("LOG_FORMAT", "json")).lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_enforcement", False)]:
        root.removeHandler(old)
    handler._enforcement = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(str(app.config.get("LOG_LEVEL", "INFO")).upper())
    app.logger.handlers.clear()  # Flask's default handler would print every record a second time
    app.logger.propagate = True


def init_app(app: Flask) -> None:
    trust_proxies(app)
    configure_logging(app)
    app.register_blueprint(bp)
