"""audit domain."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain's blueprints and commands (none yet)."""
