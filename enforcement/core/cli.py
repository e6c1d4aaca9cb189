"""Core commands: the working-day calendar as data, and schema setup."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from enforcement.core.records import ImportRejected
from enforcement.extensions import db

calendar_cli = AppGroup("calendar", help="The official working-day calendar.")


def fail_import(e: ImportRejected) -> None:
    """Every import command ends a rejected file the same way: nothing written, every error printed, exit 1."""
    db.session.rollback()
    for error in e.errors:
        click.echo(str(error), err=True)
    click.echo(f"导入失败：{e}", err=True)
    sys.exit(1)


@calendar_cli.command("add-year")
@click.argument("year", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="", help="e.g. 国务院办公厅关于2027年部分节假日安排的通知")
def add_year(year: int, file: Path, source: str) -> None:
    """Enter YEAR's calendar from FILE: one line per exception, 'YYYY-MM-DD 休|班 name'."""
    from enforcement.core import calendar
    from enforcement.core.services import enter_calendar_year

    try:
        lines = file.read_text(encoding="utf-8").splitlines()
        count = enter_calendar_year(year, lines, source)
        db.session.commit()
    except ValueError as e:
        db.session.rollback()
        click.echo(f"录入失败：{e}", err=True)
        sys.exit(1)
    calendar.invalidate()
    click.echo(f"{year}年：录入 {count} 个节假日或调休工作日")


@calendar_cli.command("show")
@click.argument("year", type=int)
def show_year(year: int) -> None:
    """List YEAR's holidays and make-up working days, or say the year is unknown."""
    from datetime import timedelta

    from enforcement.core import calendar

    cal = calendar.current()
    if not cal.knows(year):
        click.echo(f"{year}年的节假日安排尚未录入（按工作日计算的期限将标注为暂定）")
        sys.exit(1)
    day = date(year, 1, 1)
    while day.year == year:
        working = cal.is_working_day(day)
        if working != (day.weekday() < 5):
            click.echo(f"{day.isoformat()} {'班' if working else '休'}")
        day += timedelta(days=1)


@click.command("daily")
@with_appcontext
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="run as of this day (default: today in TIMEZONE)")
def daily_command(today) -> None:
    """Expire decisions, sync search, verify and anchor the audit log, prune logins, check the calendar.

    Run once a day (systemd timer or cron); exits 1 when the audit log is not intact or a step failed.
    """
    from enforcement.core.daily import run_daily

    report = run_daily(today.date() if today else None)
    for line in report.lines:
        click.echo(line)
    for warning in report.warnings:
        click.echo(f"警告：{warning}", err=True)
    for problem in report.problems:
        click.echo(f"问题：{problem}", err=True)
    if report.failed:
        sys.exit(1)


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Back up the database, record files, secret key and audit anchors into TARGET (a new directory)."""
    from enforcement.core import backup

    count = len(db.metadata.sorted_tables)
    try:
        with click.progressbar(length=count, label="备份数据表", file=sys.stderr) as bar:
            manifest = backup.backup(target, progress=lambda _name, _rows: bar.update(1))
    except backup.BackupError as exc:
        click.echo(f"备份失败：{exc}", err=True)
        sys.exit(1)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"备份完成：{len(manifest['tables'])} 张表 {rows} 行，全过程记录文件 {manifest['record_files']} 个 → {target}")
    click.echo("备份含密钥和个人信息：请加密保存，并复制到另一台机器或离线介质。")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(source: Path) -> None:
    """Restore the backup in SOURCE into an empty database; then run `search rebuild`."""
    from enforcement.core import backup

    try:
        manifest = backup.read_manifest(source)
        with click.progressbar(length=len(manifest["tables"]), label="恢复数据表", file=sys.stderr) as bar:
            manifest = backup.restore(source, progress=lambda _name, _rows: bar.update(1))
    except backup.BackupError as exc:
        db.session.rollback()
        click.echo(f"恢复失败（未写入任何数据）：{exc}", err=True)
        sys.exit(1)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"恢复完成：{len(manifest['tables'])} 张表 {rows} 行（备份于 {manifest['created_at']}）")
    click.echo("下一步：flask --app wsgi search rebuild，然后 flask --app wsgi audit verify")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(daily_command)
