"""``flask inspections import-targets FILE`` and ``flask inspections verify-draw PLAN_ID``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from enforcement.core.cli import fail_import
from enforcement.core.records import ImportRejected
from enforcement.extensions import db

inspections_cli = AppGroup("inspections", help="双随机一公开：名录库导入、抽取验证。")


@inspections_cli.command("import-targets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_targets_command(file: Path) -> None:
    """Import the target pool from an XLSX or CSV FILE (all or nothing)."""
    from enforcement.inspections.pools import import_targets_file

    try:
        counts = import_targets_file(file)
        db.session.commit()
    except ImportRejected as e:
        fail_import(e)
    click.echo(f"检查对象：新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}")
    for note in counts["notes"]:
        click.echo(f"说明：{note}")


@inspections_cli.command("verify-draw")
@click.argument("plan_id", type=int)
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path), help="also write the published JSON here")
def verify_draw_command(plan_id: int, save: Path | None) -> None:
    """Re-run PLAN_ID's draw from its published data alone and compare with the published result."""
    from enforcement.inspections import drawing
    from enforcement.inspections.models import InspectionPlan
    from enforcement.inspections.services import published_document

    plan = db.session.get(InspectionPlan, plan_id)
    document = published_document(plan) if plan else None
    if document is None:
        click.echo(f"没有已公示的抽查计划 {plan_id}", err=True)
        sys.exit(1)
    if save:
        save.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    # Round-trip through JSON text: the check uses exactly what a citizen downloads.
    sys.exit(drawing.main_document(json.loads(json.dumps(document, ensure_ascii=False))))


def init_app(app: Flask) -> None:
    app.cli.add_command(inspections_cli)
