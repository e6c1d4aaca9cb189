"""Backup and restore: everything the search index cannot be rebuilt from.

``flask --app wsgi backup DIR`` writes into a new directory:

- ``db/<table>.jsonl.gz``: every row of every table, read in one consistent
  snapshot (PostgreSQL ``REPEATABLE READ``; SQLite one read transaction in WAL
  mode), one JSON object a line with dates as ISO strings and decimals as
  strings. The format is the same for both engines, so a backup of the
  embedded SQLite database restores into PostgreSQL (how a town moves up).
- ``records/``: the whole-process record files (``ab/cd/<sha256>``), from whichever record store is
  configured (``core.storage``), so a backup of one backend restores into the other.
- ``secret_key``: the key that signs sessions (mode 600; keep backups private).
- ``audit_anchors.jsonl``: the audit chain's anchors, if the daily job wrote any.
- ``manifest.json``, written last: schema revision, per-table row counts and
  the SHA-256 of each dump file. A directory without it is not a backup.

``flask --app wsgi restore DIR`` refuses a database that holds any row, builds
the schema if there is none (Alembic to the backup's revision, then to head),
checks every dump file against the manifest, inserts every row in one
transaction (all or nothing), resets PostgreSQL's id sequences, and copies the
record files, secret key and anchors back. The search index is derived data:
run ``flask --app wsgi search rebuild`` afterwards (``sync`` also rebuilds by
itself when it sees a database it never followed).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import MetaData, Table, func, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import NoSuchTableError

from enforcement.core import clock, migrations
from enforcement.core.storage import FileStore, record_store
from enforcement.extensions import db

FORMAT = 1
# Tables that hold file bytes: backed up as files under records/, not as rows.
FILE_TABLES = {"record_chunks"}
BATCH = 1000
Progress = Callable[[str, int], None]


class BackupError(Exception):
    """A backup or restore that cannot proceed; nothing was written to the database."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decoders(table: Table) -> dict[str, Callable[[Any], Any]]:
    out: dict[str, Callable[[Any], Any]] = {}
    for col in table.columns:
        try:
            kind = col.type.python_type
        except NotImplementedError:
            continue
        if kind is datetime:
            out[col.name] = datetime.fromisoformat
        elif kind is date:
            out[col.name] = date.fromisoformat
        elif kind is Decimal:
            out[col.name] = Decimal
        elif kind is bytes:
            out[col.name] = base64.b64decode
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _snapshot(conn: Connection) -> None:
    """Make every read on conn see one moment of the database."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    else:
        conn.exec_driver_sql("BEGIN")  # SQLite (WAL): a read transaction is a snapshot


def backup(target: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Write a backup of the database, record files, secret key and anchors into target (new or empty).

    Returns the manifest. Raises BackupError when target holds anything.
    """
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"备份目录不是空的：{target}")
    (target / "db").mkdir(parents=True)
    tables: dict[str, dict[str, Any]] = {}
    with db.engine.connect() as conn:
        _snapshot(conn)
        revision = _revision(conn)
        for table in db.metadata.sorted_tables:
            if table.name in FILE_TABLES:
                continue
            path = target / "db" / f"{table.name}.jsonl.gz"
            names = [c.name for c in table.columns]
            count = 0
            order = list(table.primary_key.columns) or list(table.columns)
            with gzip.open(path, "wt", encoding="utf-8") as out:
                result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
                for row in result:
                    out.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
                    count += 1
            tables[table.name] = {"columns": names, "rows": count, "sha256": _sha256(path)}
            if progress:
                progress(table.name, count)
        conn.rollback()
    store, copies = record_store(), FileStore(target / "records")
    files = 0
    for sha in list(store.hashes()):
        local = store.local_path(sha)
        if local is not None:
            copies.put(sha, local, move=False)
            files += 1
    key = target / "secret_key"
    key.write_text(current_app.config["SECRET_KEY"])
    key.chmod(0o600)
    anchors = Path(current_app.config["AUDIT_ANCHOR_FILE"])
    if anchors.is_file():
        shutil.copy2(anchors, target / "audit_anchors.jsonl")
    manifest = {"format": FORMAT, "created_at": clock.now().isoformat(timespec="seconds"),
                "engine": db.engine.dialect.name, "revision": revision, "tables": tables, "record_files": files}
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a complete backup; raises BackupError for a missing, partial or tampered one."""
    path = Path(source) / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"不是完整的备份（缺少或无法读取 manifest.json）：{source}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    for name, info in manifest["tables"].items():
        path = Path(source) / "db" / f"{name}.jsonl.gz"
        if not path.is_file() or _sha256(path) != info["sha256"]:
            raise BackupError(f"备份文件缺失或已损坏：db/{name}.jsonl.gz")
    return manifest


def _rows(path: Path, columns: list[str], decoders: dict[str, Callable]) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = dict(zip(columns, json.loads(line), strict=True))
            for name, decode in decoders.items():
                if row.get(name) is not None:
                    row[name] = decode(row[name])
            yield row


def _prepare_schema(revision: str | None) -> bool:
    """Build the schema when the database has none (returns True); refuse one that holds any row."""
    existing = set(inspect(db.engine).get_table_names())
    if not existing & {t.name for t in db.metadata.sorted_tables}:
        if revision:
            from alembic.util import CommandError
            from flask_migrate import upgrade

            migrations(current_app._get_current_object())
            try:
                upgrade(revision=revision)
            except CommandError as exc:
                raise BackupError(f"备份的数据库版本 {revision} 不为本程序所知：请用不低于备份时的版本恢复") from exc
        else:
            db.create_all()
        return True
    for table in db.metadata.sorted_tables:
        if table.name in existing and db.session.scalar(select(func.count()).select_from(table)):
            raise BackupError(f"目标数据库不是空的（{table.name} 表已有数据）：恢复只写入空数据库")
    db.session.rollback()
    return False


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Move PostgreSQL's id sequences past the restored ids, so the next insert does not collide."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, '
                              "false)"), {"s": seq})


def _recount(conn: Connection) -> None:
    """The maintained list counts from the restored decisions: the triggers counted each restored row on
    top of the counts restored from the backup (a backup older than the table gets them from the migration)."""
    from sqlalchemy import inspect, text

    from enforcement.disclosure.models.counts import refill_statements

    if inspect(conn).has_table("decision_list_counts"):
        for stmt in refill_statements(conn.dialect.name):
            conn.execute(text(stmt))


def restore(source: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Restore the backup in source into this app's empty database and folders; returns the manifest.

    Rows go into the tables as they are at the backup's schema revision (reflected), in one transaction;
    then the schema is upgraded to this version's head. Raises BackupError (nothing written) for a
    partial or damaged backup, an unknown revision, or a database that holds rows.
    """
    source = Path(source)
    manifest = read_manifest(source)
    _check_files(source)
    revision = manifest.get("revision")
    built = _prepare_schema(revision)
    db.session.remove()
    restored: list[Table] = []
    with db.engine.begin() as conn:
        meta = MetaData()
        for name, info in manifest["tables"].items():
            try:
                table = Table(name, meta, autoload_with=conn)
            except NoSuchTableError as exc:
                raise BackupError(f"备份中的表 {name} 在数据库中不存在") from exc
            columns = [c for c in info["columns"] if c in table.c]
            decoders = _decoders(table)
            batch: list[dict[str, Any]] = []
            for row in _rows(source / "db" / f"{name}.jsonl.gz", info["columns"], decoders):
                values = {c: row[c] for c in columns}
                if name == "change_log" and "txid" in table.c:
                    # Settled history here: another database's transaction ids mean nothing in this one.
                    values["txid"] = 0 if conn.dialect.name == "postgresql" else None
                batch.append(values)
                if len(batch) == BATCH:
                    conn.execute(insert(table), batch)
                    batch.clear()
            if batch:
                conn.execute(insert(table), batch)
            restored.append(table)
            if progress:
                progress(name, info["rows"])
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, restored)
        _recount(conn)
    if built and revision:
        from flask_migrate import upgrade

        migrations(current_app._get_current_object())
        upgrade()
    _restore_files(source)
    return manifest


def _restore_files(source: Path) -> None:
    store, copies = record_store(), FileStore(source / "records")
    for sha in copies.hashes():
        store.put(sha, copies.path(sha), move=False)
    db.session.commit()


def _check_files(source: Path) -> None:
    """Every record file in the backup still hashes to its name (before anything is written)."""
    copies = FileStore(source / "records")
    for sha in copies.hashes():
        if _sha256(copies.path(sha)) != sha:
            raise BackupError(f"备份中的记录文件已损坏：records/{sha[:2]}/{sha[2:4]}/{sha}")
    key_file = Path(current_app.instance_path) / "secret_key"
    if (source / "secret_key").is_file():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / "secret_key", key_file)
        key_file.chmod(0o600)
    anchors = Path(current_app.config["AUDIT_ANCHOR_FILE"])
    if (source / "audit_anchors.jsonl").is_file() and not anchors.exists():
        anchors.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "audit_anchors.jsonl", anchors)
