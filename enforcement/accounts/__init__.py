"""Accounts: staff users, roles, login."""

from flask import Flask


def init_app(app: Flask) -> None:
    from enforcement.accounts import admin_views, cli, models, views  # noqa: F401  (register the tables)
    from enforcement.extensions import db, login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录"
    login_manager.session_protection = "basic"
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    cli.init_app(app)

    @login_manager.user_loader
    def _load_user(user_id: str):
        from enforcement.accounts.models import User

        try:
            return db.session.get(User, int(user_id))
        except (TypeError, ValueError):
            return None
