"""双随机一公开: target and inspector pools, plans, publicly verifiable draws, notices."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tables, the public notices, the staff pages and the ``inspections`` commands."""
    from enforcement.inspections import cli, models, views  # noqa: F401  (models: register the tables)

    app.register_blueprint(views.public)
    app.register_blueprint(views.staff)
    cli.init_app(app)
