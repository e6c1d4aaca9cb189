"""Training: courses, sessions, attendance, assessments, hours, certificates, compliance."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the training tables, staff pages, the public certificate check and commands."""
    from enforcement.training import api, cli, models, views, views_compliance  # noqa: F401  (register the tables)

    app.register_blueprint(views.bp)
    app.register_blueprint(views_compliance.bp)
    app.register_blueprint(views_compliance.public_bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
