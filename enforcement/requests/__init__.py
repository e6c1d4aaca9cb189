"""依申请公开: requests for government information, the statutory clock, replies, the national annual report."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the tables, the public form and status pages, the staff pages and the ``requests`` commands."""
    from enforcement.accounts.access import add_staff_link
    from enforcement.requests import cli, models, staff_views, views  # noqa: F401  (models: register the tables)

    app.register_blueprint(views.bp)
    app.register_blueprint(staff_views.bp)
    add_staff_link("requests_staff.index", "依申请公开", {"officer", "supervisor", "admin"}, order=75)
    cli.init_app(app)
    from enforcement.requests import codes

    app.jinja_env.globals["enums_requests"] = codes
