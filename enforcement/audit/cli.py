"""``flask audit verify`` (the audit-log chain) and ``flask audit check`` (the same findings as the dashboard)."""

from __future__ import annotations

import json
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


@audit_cli.command("check")
@click.option("--year", type=click.IntRange(2000, 2100), help="决定年度（默认全部）")
@click.option("--agency", "agency", help="执法主体 ID 或统一社会信用代码（默认全部）")
@click.option("--check", "codes", multiple=True, help="只运行指定检查（可重复），如 publication")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="以该日为检查日（默认今天）")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", default=20, show_default=True, help="table 格式下每项最多列出的问题数（0 为全部）")
def check_command(year: int | None, agency: str | None, codes: tuple[str, ...], today, fmt: str, limit: int) -> None:
    """Run the audit checks and print their findings; exit 1 when any rule is broken."""
    from enforcement.audit.checks import Scope, run_checks
    from enforcement.audit.services import resolve_agency

    agency_id = None
    if agency:
        agency_id = resolve_agency(agency)
        if agency_id is None:
            raise click.BadParameter(f"执法主体 {agency} 不存在", param_hint="--agency")
    scope = Scope(today.date() if today else clock.today(), year, agency_id)
    results = run_checks(scope, list(codes) or None)
    db.session.rollback()
    if fmt == "json":
        click.echo(json.dumps({"today": scope.today.isoformat(), "year": year, "agency_id": agency_id,
                               "checks": [r.as_dict() for r in results]}, ensure_ascii=False, indent=1))
    else:
        for r in results:
            state = "参考" if r.informational else ("通过" if r.passed else f"{r.failed} 项问题")
            click.echo(f"[{r.code}] {r.title}：检查 {r.checked} 项，{state}")
            click.echo(f"    规则：{r.rule}")
            for note in r.notes:
                click.echo(f"    说明：{note}")
            shown = r.items if not limit else r.items[:limit]
            for item in shown:
                click.echo(f"    - {item.label}\t{item.message}\t{item.url}")
            if len(shown) < len(r.items):
                click.echo(f"    …… 另有 {len(r.items) - len(shown)} 项（--limit 0 显示全部）")
    if any(not r.passed for r in results):
        sys.exit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(audit_cli)
