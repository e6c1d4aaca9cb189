"""Accounts: staff users, roles, login."""

from flask import Flask


def init_app(app: Flask) -> None:
    from enforcement.accounts import admin_views, cli, models, views  # noqa: F401  (register the tables)
    from enforcement.extensions import db, login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    from enforcement.accounts.access import add_staff_link

    add_staff_link("staff_users.index", "用户与角色", {"admin"}, order=1)
    from enforcement.accounts import display

    display.init_app(app)
    cli.init_app(app)

    @app.before_request
    def _load_user_per_request() -> None:
        """Flask-Login caches the user in ``g``; a request run inside an outer app context
        (tests, scripts) would otherwise see the previous request's user."""
        from flask import g

        g.pop("_login_user", None)

    @login_manager.user_loader
    def _load_user(user_id: str):
        from enforcement.accounts.models import User

        try:
            ident, version = (int(part) for part in str(user_id).split("."))
        except (TypeError, ValueError):
            return None  # no version: a cookie from before session versions, or forged
        user = db.session.get(User, ident)
        if user is None or user.session_version != version or not user.enabled:
            return None
        return user
