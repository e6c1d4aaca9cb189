"""``flask training ...``: load the question bank, import sign-in sheets, export attendance."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from enforcement.core import clock
from enforcement.core.cli import fail_import
from enforcement.core.exporting import csv_chunks, write_xlsx
from enforcement.core.records import ImportRejected
from enforcement.extensions import db

training_cli = AppGroup("training", help="Officer training (courses, attendance, question bank).")


@training_cli.command("load-questions")
def load_questions() -> None:
    """Load (or update) the question bank shipped in enforcement/data/questions/."""
    from enforcement.training.questionbank import load_bank

    try:
        created, updated = load_bank()
    except ImportRejected as e:
        fail_import(e)
    db.session.commit()
    click.echo(f"题库：新增 {created}，更新 {updated}")


@training_cli.command("import-attendance")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_attendance(file: Path) -> None:
    """Import a sign-in sheet (XLSX or CSV); any bad row and nothing is written."""
    from enforcement.training.importing import import_file

    try:
        result = import_file(file, today=clock.today(), recorded_by="cli")
    except ImportRejected as e:
        fail_import(e)
    db.session.commit()
    click.echo(str(result))


@training_cli.command("export-attendance")
@click.option("--year", type=int, default=None, help="only this calendar year")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="file (default: standard output)")
def export_attendance(year: int | None, fmt: str, output: Path | None) -> None:
    """One row per attendance, in the format import-attendance reads back."""
    from enforcement.training.importing import COLUMNS, SPEC, export_rows

    rows = export_rows(year)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("XLSX 导出须用 --output 指定文件")
        with output.open("wb") as fh:
            count = write_xlsx(rows, COLUMNS, fh, SPEC.label)
        click.echo(f"已导出 {count} 条到 {output}", err=True)
        return
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        for chunk in csv_chunks(rows, COLUMNS, bom=output is not None):
            out.write(chunk)
    finally:
        if output:
            out.close()


def init_app(app: Flask) -> None:
    app.cli.add_command(training_cli)
