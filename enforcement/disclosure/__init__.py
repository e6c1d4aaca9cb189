"""Disclosure: subjects, officers, laws, powers, procedures, inspection items, decisions."""

from flask import Flask


def init_app(app: Flask) -> None:
    from enforcement.disclosure import cli, models  # noqa: F401  (register the tables)

    cli.init_app(app)
    _init_public_site(app)
    _init_staff_side(app)


def _init_public_site(app: Flask) -> None:
    """The public site, the open-data API and the feeds, behind the change-log-invalidated cache."""
    from enforcement.core import cache
    from enforcement.disclosure import api, feeds, views

    cache.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)


def _init_staff_side(app: Flask) -> None:
    """The enforcement team's back office under /staff/."""
    from enforcement.disclosure import staff_decisions, staff_display, staff_views, workflow

    staff_views.init_app(app)
    staff_display.init_app(app)
    app.register_blueprint(staff_views.bp)
    app.register_blueprint(staff_decisions.bp)
    app.add_template_global(workflow.stage, "case_stage")  # 审核通过 / 退回 besides the stored status
