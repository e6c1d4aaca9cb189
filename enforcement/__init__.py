"""行政执法公示与培训平台: the application factory."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask

from enforcement.config import PROJECT_ROOT, load_config

# Each domain package exposes init_app(app): blueprints, CLI commands, hooks.
DOMAINS = ("core", "accounts", "disclosure", "search", "training", "inspections", "requests", "audit", "demo")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    config = dict(config or {})
    instance_dir = Path(config.pop("INSTANCE_DIR", PROJECT_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance_dir),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(load_config(instance_dir, config))
    for name in DOMAINS:
        import_module(f"enforcement.{name}").init_app(app)
    return app
