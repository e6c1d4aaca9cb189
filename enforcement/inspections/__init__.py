"""双随机一公开: target and inspector pools, plans, publicly verifiable draws, notices."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tables, the public notices, the staff pages and the ``inspections`` commands."""
    from enforcement.accounts.access import add_staff_link
    from enforcement.inspections import cli, models, views  # noqa: F401  (models: register the tables)

    add_staff_link("inspections_staff.manage", "双随机抽查", {"officer", "supervisor", "admin"}, order=70)

    app.register_blueprint(views.public)
    app.register_blueprint(views.staff)
    cli.init_app(app)
