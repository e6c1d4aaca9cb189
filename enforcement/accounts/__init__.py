"""Accounts: staff users, roles, login."""

from flask import Flask


def init_app(app: Flask) -> None:
    from enforcement.accounts import models  # noqa: F401  (register the tables)
    from enforcement.extensions import db, login_manager

    @login_manager.user_loader
    def _load_user(user_id: str):
        from enforcement.accounts.models import User

        try:
            return db.session.get(User, int(user_id))
        except (TypeError, ValueError):
            return None
