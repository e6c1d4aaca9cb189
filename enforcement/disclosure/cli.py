"""``flask import KIND FILE`` and ``flask export KIND``; the request-less write paths commit once here."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from enforcement.core import clock
from enforcement.core.cli import fail_import
from enforcement.core.exporting import FORMATS, csv_chunks, jsonl_lines, write_xlsx
from enforcement.core.records import ImportRejected
from enforcement.disclosure.formats import SPECS
from enforcement.extensions import db


@click.command("import")
@click.argument("kind", type=click.Choice(list(SPECS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(kind: str, file: Path) -> None:
    """Import KIND from a JSONL, CSV or XLSX FILE (laws also from a statute .md file)."""
    from enforcement.disclosure.importing import import_file

    try:
        result = import_file(kind, file)
        db.session.commit()
    except ImportRejected as e:
        fail_import(e)
    click.echo(str(result))
    from enforcement.disclosure import public_rows

    public_rows.refresh()  # a bulk load is built into the export rows now, not on the first download
    db.session.commit()


@click.command("export")
@click.argument("kind", type=click.Choice(list(SPECS)))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="file (default: standard output)")
@click.option("--include-private", is_flag=True, help="full records in the import format, personal data included")
@click.option("--encoding", type=click.Choice(["utf-8", "gbk"]), default="utf-8", show_default=True,
              help="CSV file encoding; gbk writes GB18030 (its superset) for older Excel versions")
def export_command(kind: str, fmt: str, output: Path | None, include_private: bool, encoding: str) -> None:
    """Export KIND: the public projection, or with --include-private the full import format."""
    from enforcement.disclosure.exporting import columns, flatten_public, iter_records

    if kind == "decisions" and not include_private:
        _export_public_decisions(fmt, output, encoding)
        return
    rows = iter_records(kind, include_private)
    if not include_private and kind != "laws":
        rows = (flatten_public(kind, r) for r in rows)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("XLSX 导出须用 --output 指定文件")
        with output.open("wb") as fh:
            count = write_xlsx(rows, columns(kind, include_private), fh, SPECS[kind].label)
        click.echo(f"已导出 {count} 条到 {output}", err=True)
        return
    counted = [0]

    def counting(records):
        for record in records:
            counted[0] += 1
            yield record

    rows = counting(rows)
    gbk = fmt == "csv" and encoding == "gbk"
    chunks = jsonl_lines(rows) if fmt == "jsonl" else csv_chunks(rows, columns(kind, include_private),
                                                                bom=output is not None and not gbk)
    _write_text(chunks, output, gbk)
    if output:  # on standard output the data alone, for pipes
        click.echo(f"已导出 {counted[0]} 条到 {output}", err=True)


def _write_text(chunks, output: Path | None, gbk: bool) -> None:
    """Write text chunks to ``output`` (GB18030 when ``gbk``, else UTF-8) or to standard output."""
    out = output.open("w", encoding="gb18030" if gbk else "utf-8", newline="") if output else sys.stdout
    try:
        for chunk in chunks:
            out.write(chunk)
    finally:
        if output:
            out.close()


def _export_public_decisions(fmt: str, output: Path | None, encoding: str) -> None:
    """The public decision list as the site exports it: CSV and XLSX from the stored public rows
    (``public_rows``, caught up with the change log first), JSON lines projected now; a CSV/XLSX file
    already built for the current change-log generation is copied from the export cache instead."""
    import shutil

    from enforcement.disclosure.categories import DECISIONS
    from enforcement.disclosure.export_files import csv_text, rows_for

    on = clock.today()
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX 导出须用 --output 指定文件")
    if output is not None and fmt in ("csv", "xlsx") and encoding == "utf-8":
        from enforcement.disclosure.export_files import cached_file

        path, hit = cached_file(DECISIONS, {}, fmt, on)
        shutil.copyfile(path, output)
        click.echo(f"已导出到 {output}{'（未变更，取自导出缓存）' if hit else ''}", err=True)
        return
    gbk = fmt == "csv" and encoding == "gbk"
    chunks = jsonl_lines(rows_for(DECISIONS, {}, on)) if fmt == "jsonl" else csv_text(
        DECISIONS, {}, on, bom=output is not None and not gbk)
    _write_text(chunks, output, gbk)


@click.command("load-laws")
def load_laws_command() -> None:
    """Load (or update) the statute texts the platform ships."""
    from enforcement.disclosure.laws import load_bundled_laws

    laws = load_bundled_laws()
    db.session.commit()
    click.echo(f"法规库：{len(laws)} 部法律法规")


decisions_cli = AppGroup("decisions", help="Decision lifecycle steps run by the system.")


@decisions_cli.command("expire")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the day to expire as of (default: today)")
def expire_command(today) -> None:
    """Take decisions whose display period has ended off the public site (status 公示期满); run daily."""
    from enforcement.disclosure.lifecycle import expire_due

    count = expire_due(today.date() if today else clock.today())
    db.session.commit()
    click.echo(f"公示期满：{count} 件决定已停止公示")


@decisions_cli.command("public-rows")
@click.option("--rebuild", is_flag=True, help="project every row again (otherwise: only what changed)")
def public_rows_command(rebuild: bool) -> None:
    """Bring the stored public export rows up to date (``flask daily`` and the first export do it too)."""
    from enforcement.disclosure import public_rows

    count = public_rows.refresh(full=rebuild)
    db.session.commit()
    click.echo(f"公开导出行：重新生成 {count} 条")


def init_app(app: Flask) -> None:
    app.cli.add_command(decisions_cli)
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(load_laws_command)
