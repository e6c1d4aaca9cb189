"""Settings: embedded defaults, then the environment, then the caller's overrides.

Every setting can be set from the environment the Flask way, as ``FLASK_<NAME>``
(``app.config.from_prefixed_env()``: values are read as JSON when they parse, so
``FLASK_LOGIN_MAX_FAILURES_PER_ADDRESS=50`` is the number 50 and
``FLASK_SESSION_COOKIE_SECURE=true`` a boolean; anything else is a string). The
short names of earlier releases (``DATABASE_URL``, ``SECRET_KEY``…, see
``LEGACY_ENV``) keep working; a ``FLASK_`` name wins over a short one. The
README's configuration table lists every setting.

Nothing here runs at import time: ``configure`` is called by the app factory,
so tests and CLI commands can set the environment (or pass overrides) first.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A source checkout keeps the design's top-level folders; an installed wheel has none of them.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()
# Templates live at the top level of the source (the design's layout); a wheel carries them as package data.
TEMPLATES_DIR = PROJECT_ROOT / "templates" if IN_CHECKOUT else Path(__file__).resolve().parent / "templates"


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Short environment names of earlier releases: name -> (setting, conversion).
LEGACY_ENV: dict[str, tuple[str, Callable[[str], Any]]] = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SEARCH_INDEX_DIR": ("SEARCH_INDEX_DIR", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "RECORDS_DIR": ("RECORDS_DIR", str),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", _flag),
    "SESSION_LIFETIME_SECONDS": ("PERMANENT_SESSION_LIFETIME", int),
    "MAX_UPLOAD_BYTES": ("MAX_CONTENT_LENGTH", int),
    "SEARCH_SYNC_AFTER_REQUEST": ("SEARCH_SYNC_AFTER_REQUEST", _flag),
    "TIMEZONE": ("TIMEZONE", str),
    "HSTS_SECONDS": ("HSTS_SECONDS", int),
    "TRUSTED_HOSTS": ("TRUSTED_HOSTS", lambda v: [h.strip() for h in v.split(",") if h.strip()] or None),
}


def instance_path(overrides: dict[str, Any]) -> Path | None:
    """Where instance data lives: the INSTANCE_DIR override, ``FLASK_INSTANCE_DIR``/``INSTANCE_DIR``, or
    None for Flask's own choice (``instance/`` in a checkout, ``$PREFIX/var/enforcement-instance`` for an
    installed package: never inside site-packages)."""
    chosen = overrides.pop("INSTANCE_DIR", None) or os.environ.get("FLASK_INSTANCE_DIR") \
        or os.environ.get("INSTANCE_DIR")
    return Path(chosen).resolve() if chosen else None


def defaults(instance_dir: Path) -> dict[str, Any]:
    """Every setting with its embedded default (units in the name: _SECONDS, _BYTES, _DAYS)."""
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_dir / 'enforcement.db'}",
        # A pooled connection idle this long is pinged before use (restart, failover, idle timeout), not
        # every one at every checkout: ``enforcement.core.connections``.
        "DB_PING_IDLE_SECONDS": 10,
        "SEARCH_INDEX_DIR": str(PROJECT_ROOT / "search_index" if IN_CHECKOUT else instance_dir / "search_index"),
        "RECORDS_DIR": str(instance_dir / "records"),
        # Where record files live: "filesystem" (RECORDS_DIR) or "database" (shared by every host).
        "RECORDS_STORAGE": "filesystem",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "MAX_CONTENT_LENGTH": 200 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        # The town: "today", deadlines and displayed times are in this zone, not the server's.
        "TIMEZONE": "Asia/Shanghai",
        "SITE_TITLE": "西红门镇行政执法信息公示平台",
        "TOWN_NAME": "西红门镇",
        "TOWN_GOVERNMENT": "北京市大兴区西红门镇人民政府",
        "SITE_FOOTER": "北京市大兴区西红门镇人民政府 · 地址：北京市大兴区西红门镇宏福路1号 · 监督电话：010-60259876",
        # Search: apply the change log after each committing request, and at least this often (0: never).
        "SEARCH_SYNC_AFTER_REQUEST": True,
        "SEARCH_SYNC_INTERVAL_SECONDS": 3600,
        # Public page cache.
        "PUBLIC_CACHE_ENABLED": True,
        "PUBLIC_CACHE_CHECK_SECONDS": 1.0,
        "PUBLIC_MAX_AGE": 60,
        "PUBLIC_CACHE_REDIS_URL": "",  # empty: each process caches in memory; redis://…: shared by all
        "PUBLIC_CACHE_TTL_SECONDS": 600,
        # Login throttle (read by accounts.services).
        "LOGIN_THROTTLE_WINDOW_SECONDS": 15 * 60,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        "LOGIN_ATTEMPTS_KEEP_DAYS": 90,
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
        "TRUSTED_PROXIES": 0,
        # The audit chain's head, kept outside the database by the daily job.
        "AUDIT_ANCHOR_FILE": str(instance_dir / "audit_anchors.jsonl"),
        # Logging to stdout: "json" (one object a line) or "text".
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        # Strict-Transport-Security max-age on HTTPS responses (e.g. 31536000 behind HTTPS; 0: none).
        "HSTS_SECONDS": 0,
        # Host names this site answers to (a list); any other Host header gets 400. None: any.
        "TRUSTED_HOSTS": None,
    }


def _secret_key(instance_dir: Path) -> str:
    """Generate the key once and keep it under instance/, never in code."""
    key_file = instance_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def configure(app: Flask, overrides: dict[str, Any]) -> None:
    """Fill app.config: defaults < short legacy names < ``FLASK_*`` < overrides; JSON keeps Chinese as is.

    Raises ValueError for an unknown TIMEZONE, so a typo stops the start instead of shifting every date.
    """
    from enforcement.core.clock import zone

    instance_dir = Path(app.instance_path)
    instance_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # secret key, database, records
    app.config.update(defaults(instance_dir))
    for name, (key, convert) in LEGACY_ENV.items():
        if os.environ.get(name):
            app.config[key] = convert(os.environ[name])
    app.config.from_prefixed_env()
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance_dir)
    zone(app.config["TIMEZONE"])
    app.json.ensure_ascii = False  # JSON_AS_ASCII does nothing since Flask 2.3
