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
    from enforcement.accounts.access import add_staff_link

    add_staff_link("audit.dashboard", "执法监督", {"supervisor", "admin"}, order=2)
    add_staff_link("audit_rectification.assigned", "整改任务", {"officer"}, order=65)
    cli.init_app(app)
