"""Supervision: audit checks, findings and rectification, sampling, the annual report."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tables, the supervisor pages, the JSON endpoints and the ``audit`` commands."""
    from enforcement.accounts.access import add_staff_link
    from enforcement.audit import api, cli, models, views, views_findings  # noqa: F401  (models: tables)

    app.register_blueprint(views.bp)
    add_staff_link("audit.dashboard", "监督检查", {"supervisor", "admin"})
    app.register_blueprint(views_findings.rectification)
    app.register_blueprint(api.bp)
    cli.init_app(app)
