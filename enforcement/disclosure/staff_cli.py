"""``flask --app wsgi decisions expire``: the daily lifecycle step no person has to remember."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

decisions_cli = AppGroup("decisions", help="Decision lifecycle steps run by the system.")


@decisions_cli.command("expire")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the day to expire as of (default: today)")
def expire_command(today) -> None:
    """Take decisions whose display period has ended off the public site (status 公示期满)."""
    from enforcement.disclosure.lifecycle import expire_due
    from enforcement.extensions import db

    count = expire_due(today.date() if today else date.today())
    db.session.commit()
    click.echo(f"公示期满：{count} 件决定已停止公示")
