"""Settings from the environment, with embedded defaults.

Nothing here runs at import time: ``load_config`` is called by the app factory,
so tests and CLI commands can set the environment (or pass overrides) first.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_dir: Path) -> str:
    """Generate the key once and keep it under instance/, never in code."""
    key_file = instance_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_dir: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    env = os.environ
    overrides = dict(overrides or {})
    instance_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # secret key, database, records
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'enforcement.db'}"
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SEARCH_INDEX_DIR": env.get("SEARCH_INDEX_DIR") or str(PROJECT_ROOT / "search_index"),
        "RECORDS_DIR": env.get("RECORDS_DIR") or str(instance_dir / "records"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_LIFETIME_SECONDS", 8 * 3600)),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_BYTES", 200 * 1024 * 1024)),
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_AS_ASCII": False,
        # Applying the change log to the search index after each committing request.
        "SEARCH_SYNC_AFTER_REQUEST": env.get("SEARCH_SYNC_AFTER_REQUEST", "1") == "1",
        # Host names this site answers to (comma-separated); any other Host header gets 400 (Flask).
        # Strict-Transport-Security max-age on HTTPS responses (set e.g. 31536000 behind HTTPS; 0: none).
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", "0") or 0),
        "TRUSTED_HOSTS": [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
    }
    if "SECRET_KEY" not in overrides:
        config["SECRET_KEY"] = env.get("SECRET_KEY") or _secret_key(instance_dir)
    config.update(overrides)
    return config
