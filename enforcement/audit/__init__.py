"""Supervision: audit checks, findings and rectification, sampling, the annual report."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tables, the supervisor pages, the JSON endpoints and the ``audit`` commands."""
    from enforcement.audit import api, cli, models, views, views_findings  # noqa: F401  (models: tables)

    app.register_blueprint(views.bp)
    app.register_blueprint(views_findings.rectification)
    app.register_blueprint(api.bp)
    cli.init_app(app)
