"""``flask audit verify`` (the audit-log chain) and ``flask audit check`` (the same findings as the dashboard)."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from enforcement.core import clock
from enforcement.extensions import db

audit_cli = AppGroup("audit", help="监督：审计日志校验与公示检查。")


@audit_cli.command("verify")
def verify_command() -> None:
    """Walk the audit-log hash chain and check it against the anchors kept outside the database.

    Prints each problem and exits 1 if there is any: an edited or deleted entry, and (with the anchor file
    the daily job writes) a chain truncated or rebuilt since an anchored day.
    """
    from enforcement.core import anchor, audit_log

    problems = audit_log.verify()
    try:
        anchors = anchor.read_anchors()
    except ValueError as exc:
        click.echo(f"锚点文件无法读取：{exc}", err=True)
        sys.exit(1)
    problems += anchor.check(anchors)
    for problem in problems:
        click.echo(f"第{problem.seq}条：{problem.what}")
    if problems:
        click.echo(f"审计日志校验失败：发现 {len(problems)} 处问题", err=True)
        sys.exit(1)
    if anchors:
        click.echo(f"审计日志完整：哈希链校验通过，与 {len(anchors)} 个锚点一致（最近：{anchors[-1].at[:10]}，"
                   f"第{anchors[-1].seq}条）")
    else:
        click.echo("审计日志完整：哈希链校验通过（尚无锚点文件：运行 daily 后生成）")


@audit_cli.command("refresh")
@click.option("--full", is_flag=True, help="全部重新计算（默认只计算变更的记录）")
def refresh_command(full: bool) -> None:
    """Bring the stored audit results up to date (run once after an upgrade: the first build reads every record)."""
    import time

    from enforcement.audit import incremental

    started = time.perf_counter()
    n = incremental.refresh(full=full)
    db.session.commit()
    click.echo(f"监督检查结果已更新：重新计算 {n} 条记录，用时 {time.perf_counter() - started:.1f} 秒")


@audit_cli.command("check")
@click.option("--year", type=click.IntRange(2000, 2100), help="决定年度（默认全部）")
@click.option("--agency", "agency", help="执法主体 ID 或统一社会信用代码（默认全部）")
@click.option("--check", "codes", multiple=True, help="只运行指定检查（可重复），如 publication")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="以该日为检查日（默认今天）")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", default=20, show_default=True, help="table 格式下每项最多列出的问题数（0 为全部）")
def check_command(year: int | None, agency: str | None, codes: tuple[str, ...], today, fmt: str, limit: int) -> None:
    """Run the audit checks and print their findings; exit 1 when any rule is broken.

    Brings the stored results up to date first (the change log since the last run), then reads them: the JSON
    is streamed to stdout a finding at a time, training findings one per officer.
    """
    from enforcement.audit import incremental, results, streaming
    from enforcement.audit.checks import Scope, check_codes
    from enforcement.audit.evaluate import STORED_CHECKS
    from enforcement.audit.services import resolve_agency

    agency_id = None
    if agency:
        agency_id = resolve_agency(agency)
        if agency_id is None:
            raise click.BadParameter(f"执法主体 {agency} 不存在", param_hint="--agency")
    unknown = [c for c in codes if c not in check_codes()]
    if unknown:
        raise click.BadParameter("未知检查：" + "、".join(unknown) + "；可选：" + "、".join(check_codes()),
                                 param_hint="--check")
    scope = Scope(today.date() if today else clock.today(), year, agency_id)
    incremental.refresh()
    db.session.commit()
    summaries = results.summaries(scope, list(codes) or None)
    if fmt == "json":
        for chunk in streaming.iter_json(scope, summaries=summaries):
            click.echo(chunk, nl=False)
    else:
        for r in summaries:
            state = "参考" if r.informational else ("通过" if r.passed else f"{r.failed} 项问题")
            click.echo(f"[{r.code}] {r.title}：检查 {r.checked} 项，{state}")
            click.echo(f"    规则：{r.rule}")
            for note in r.notes:
                click.echo(f"    说明：{note}")
            _echo_items(scope, r, limit, results, STORED_CHECKS)
    db.session.rollback()
    if any(not r.passed for r in summaries):
        sys.exit(1)


def _echo_items(scope, r, limit: int, results, stored: tuple[str, ...]) -> None:
    if r.code == "training":
        officers = results.training_officers(scope)
        lines = [f"{o.name}\t{o.as_item()['message']}\t{o.url}" for o in (officers if not limit else officers[:limit])]
        total = len(officers)
    else:
        items = results.stored_items(scope, r.code, limit=limit or None) if r.code in stored else []
        live = r.live.items if r.live is not None else []
        items = (items + live)[:limit] if limit else items + live
        lines = [f"{i.label}\t{i.message}\t{i.url}" for i in items]
        total = r.shown if not r.informational else len(live)
    for line in lines:
        click.echo(f"    - {line}")
    if len(lines) < total:
        click.echo(f"    …… 另有 {total - len(lines)} 项（--limit 0 显示全部）")


def init_app(app: Flask) -> None:
    app.cli.add_command(audit_cli)
