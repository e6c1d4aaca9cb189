"""The demo town: deterministic data for the embedded default (``flask demo load``)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="The demo town (西红门镇).")


@demo_cli.command("load")
@click.option("--decisions", "n_decisions", default=3000, show_default=True, type=click.IntRange(0, 5_000_000))
def load_command(n_decisions: int) -> None:
    """Load (or refresh) the demo town; idempotent, deterministic."""
    import time

    from enforcement.demo.loader import load_demo
    from enforcement.extensions import db

    started = time.perf_counter()
    summary = load_demo(n_decisions, progress=lambda msg: click.echo(msg, err=True))
    db.session.commit()
    click.echo(f"演示数据已载入（{time.perf_counter() - started:.1f} 秒）：{summary}")
    from enforcement.search.services import sync

    click.echo(f"检索索引已同步（应用变更 {sync()} 条）")
    from enforcement.disclosure import public_rows

    count = public_rows.refresh()
    db.session.commit()
    click.echo(f"公开导出行已生成（{count} 条）")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
