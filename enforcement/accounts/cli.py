"""``flask --app wsgi users create|set-roles|disable``: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from enforcement.core.enums import Role
from enforcement.core.errors import RuleViolation
from enforcement.extensions import db

users_cli = AppGroup("users", help="Staff accounts and roles.")
ROLE_CHOICE = click.Choice([r.value for r in Role])


def _run(action) -> None:
    """Run one change and commit it, or print the refusal in Chinese and exit 1."""
    try:
        message = action()
        db.session.commit()
    except RuleViolation as e:
        db.session.rollback()
        click.echo(f"失败：{e.message}", err=True)
        sys.exit(1)
    click.echo(message)


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=ROLE_CHOICE, help="repeatable")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--display-name", default="")
@click.option("--officer", "credential_number", default="", help="the officer's credential number (执法证号)")
@click.option("--legal-qualification", is_flag=True, help="holds the national legal qualification")
def create(username: str, roles: tuple[str, ...], password: str, display_name: str, credential_number: str,
           legal_qualification: bool) -> None:
    """Create a user with one or more roles."""
    from sqlalchemy import select

    from enforcement.accounts.services import create_user
    from enforcement.core.numbers import credential_key
    from enforcement.disclosure.models import Officer

    def action() -> str:
        officer = None
        if credential_number:
            officer = db.session.scalar(select(Officer).where(Officer.credential_key == credential_key(credential_number)))
            if officer is None:
                raise RuleViolation(f"执法证号 {credential_number} 不存在")
        user = create_user(username, password, list(roles), display_name=display_name,
                           officer_id=officer.id if officer else None, agency_id=officer.agency_id if officer else None,
                           has_legal_qualification=legal_qualification)
        return f"已创建用户 {user.username}（{'、'.join(Role.labels()[r] for r in sorted(user.roles))}）"

    _run(action)


@users_cli.command("set-roles")
@click.argument("username")
@click.argument("roles", nargs=-1, required=True, type=ROLE_CHOICE)
def set_roles_command(username: str, roles: tuple[str, ...]) -> None:
    """Replace USERNAME's roles with ROLES."""
    from enforcement.accounts.services import ensure_an_admin_remains, find_user, set_roles

    def action() -> str:
        user = find_user(username)
        ensure_an_admin_remains(user, list(roles))
        set_roles(user, list(roles))
        return f"{user.username} 的角色：{'、'.join(Role.labels()[r] for r in sorted(user.roles))}"

    _run(action)


@users_cli.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable USERNAME: they can no longer log in (history and audit entries stay)."""
    from enforcement.accounts.services import disable_user, ensure_an_admin_remains, find_user

    def action() -> str:
        user = find_user(username)
        ensure_an_admin_remains(user, enabled=False)
        disable_user(user)
        return f"已停用用户 {user.username}"

    _run(action)


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
