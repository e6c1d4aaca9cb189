"""``flask --app wsgi search sync|rebuild|status``."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="全文检索索引")


@search_cli.command("sync")
def sync_command() -> None:
    """Apply everything in the change log since the last applied id (and expire ended disclosures)."""
    from enforcement.search.services import sync

    started = time.perf_counter()
    applied = sync()
    click.echo(f"索引已同步：应用变更 {applied} 条（{time.perf_counter() - started:.1f} 秒）")


@search_cli.command("rebuild")
@click.option("--procs", default=2, show_default=True, type=click.IntRange(1, 16), help="分词进程数")
def rebuild_command(procs: int) -> None:
    """Rebuild the index from the database into a new directory and swap it in."""
    from enforcement.search.services import rebuild

    started = time.perf_counter()
    count = rebuild(procs=procs)
    click.echo(f"索引已重建：{count} 条记录（{time.perf_counter() - started:.1f} 秒）")


@search_cli.command("status")
def status_command() -> None:
    """Where the index is and how far it has applied the change log."""
    from enforcement.core.changelog import latest_id
    from enforcement.extensions import db
    from enforcement.search.services import engine

    eng = engine()
    current = eng.store.current()
    state = eng.state()
    click.echo(f"索引目录：{current or '（尚未建立）'}")
    click.echo(f"已应用变更：{state.applied_id} / 最新变更：{latest_id(db.session)}；到期清理：{state.swept_on or '—'}")
