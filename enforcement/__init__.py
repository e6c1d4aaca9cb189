"""行政执法公示与培训平台: the application factory."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from flask import Flask

from enforcement.config import TEMPLATES_DIR, configure, instance_path

# Each domain package exposes init_app(app): blueprints, CLI commands, hooks.
DOMAINS = ("core", "accounts", "disclosure", "search", "training", "inspections", "requests", "audit", "demo")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    config = dict(config or {})
    path = instance_path(config)
    app = Flask(__name__, instance_path=str(path) if path else None, template_folder=str(TEMPLATES_DIR))
    configure(app, config)
    for name in DOMAINS:
        import_module(f"enforcement.{name}").init_app(app)
    return app
