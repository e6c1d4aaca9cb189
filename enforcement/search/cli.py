"""``flask --app wsgi search sync|rebuild|status``."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="全文检索索引")


@contextmanager
def records_bar(label: str):
    """A progress bar over the records a build reads (on stderr, so output stays clean for scripts)."""
    from enforcement.search.documents import count_records

    with click.progressbar(length=count_records(), label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


@search_cli.command("sync")
def sync_command() -> None:
    """Apply everything in the change log the index has not applied yet (and expire ended disclosures).

    With no index yet (or one of an older layout) this builds it first, with a progress bar.
    """
    from enforcement.search.services import needs_build, sync

    started = time.perf_counter()
    if needs_build():
        click.echo("索引尚未建立（或版本较旧）：正在从数据库构建……", err=True)
        with records_bar("读取记录") as progress:
            sync(progress=progress)
        click.echo(f"索引已建立（{time.perf_counter() - started:.1f} 秒）")
        return
    applied = sync()
    click.echo(f"索引已同步：应用变更 {applied} 条（{time.perf_counter() - started:.1f} 秒）")


@search_cli.command("rebuild")
@click.option("--procs", default=2, show_default=True, type=click.IntRange(1, 16), help="分词进程数")
def rebuild_command(procs: int) -> None:
    """Rebuild the index from the database into a new directory and swap it in."""
    from enforcement.search.services import rebuild

    started = time.perf_counter()
    with records_bar("读取记录") as progress:
        count = rebuild(procs=procs, progress=progress)
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
