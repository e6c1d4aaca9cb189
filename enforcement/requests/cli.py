"""``flask requests …``: the annual report's tables and the art. 44 list, from the command line."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

requests_cli = AppGroup("requests", help="依申请公开：年度报告与统计。")


@requests_cli.command("table3")
@click.argument("year", type=click.IntRange(2008, 2100))
@click.option("--agency", "agency_id", type=int, default=None, help="行政机关 id（默认：本镇人民政府）")
def table3_command(year: int, agency_id: int | None) -> None:
    """Print table 三 (requests by applicant type and outcome) for YEAR."""
    from enforcement.requests.reports import default_agency, table_three

    agency = default_agency(agency_id)
    if agency is None:
        raise click.ClickException("没有这个行政机关")
    click.echo(table_three(year, agency.id).as_text())


@requests_cli.command("proactive")
def proactive_command() -> None:
    """List information requested by several applicants (条例第四十四条)."""
    from enforcement.requests.services import proactive_candidates

    for key, count in proactive_candidates():
        click.echo(f"{key}\t{count}")


def init_app(app: Flask) -> None:
    app.cli.add_command(requests_cli)
