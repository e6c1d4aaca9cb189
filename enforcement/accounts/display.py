"""Who did something, as a page shows it: a person's display name, never an account's user name.

Records keep the acting account's user name (the audit log, ``recorded_by``, ``filed_by``, ``assigned_by``);
staff pages show the name the administrator gave the account, or what a non-person actor is in Chinese.
"""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

# Actors that are not accounts: the command line, the system itself, the demo loader, anonymous visitors.
NON_PERSON_ACTORS = {"cli": "系统命令", "system": "系统", "demo": "演示数据", "anonymous": "公众", "": "系统"}


def actor_name(username: str | None) -> str:
    """The display name of the account ``username`` (str -> str); a non-person actor's Chinese label; an
    account that no longer exists or has no display name is shown as 「工作人员」 rather than its user name.

    Names are looked up once per request (cached in ``flask.g``). No exception for unknown input.
    """
    key = (username or "").strip()
    if key in NON_PERSON_ACTORS:
        return NON_PERSON_ACTORS[key]
    names = _names()
    return names.get(key) or "工作人员"


def _names() -> dict[str, str]:
    if not has_app_context():
        return {}
    cached = g.get("_actor_names")
    if cached is None:
        from enforcement.accounts.models import User
        from enforcement.extensions import db

        cached = {u: n for u, n in db.session.execute(select(User.username, User.display_name)) if n}
        g._actor_names = cached
    return cached


def init_app(app) -> None:
    app.add_template_filter(actor_name, "actor_name")
