"""search domain: the Chinese full-text index of everything public, kept fresh from the change log."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the search page, the JSON endpoint, the CLI group and the after-request sync."""
    from enforcement.search import api, cli, freshness, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.search_cli)
    freshness.init_app(app)
