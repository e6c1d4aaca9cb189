"""Whole-process records (执法全过程记录): filed once, stored by SHA-256, never changed.

Files go through the record store (``core.storage``: under ``RECORDS_DIR``,
outside the web root and the static folder, or in the shared database for
several hosts), named by the SHA-256 of their content (``ab/cd/abcd…``), so the
same bytes are stored once and a file's name proves its content. A filed record is never
updated or deleted: a correction is a new record that supersedes the old one.
Only staff download them; the public projection lists kinds and hashes.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from enforcement.core import audit_log
from enforcement.core.enums import RecordKind
from enforcement.core.errors import RuleViolation
from enforcement.core.storage import record_store
from enforcement.core.textsafety import clean_text
from enforcement.disclosure.models import Decision, ProcessRecord
from enforcement.extensions import db

MB = 1024 * 1024
# kind -> (allowed extensions, size limit in bytes)
LIMITS: dict[str, tuple[frozenset[str], int]] = {
    RecordKind.TEXT: (frozenset({".pdf", ".txt", ".doc", ".docx", ".odt", ".ofd"}), 20 * MB),
    RecordKind.PHOTO: (frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic"}), 20 * MB),
    RecordKind.AUDIO: (frozenset({".mp3", ".m4a", ".wav", ".aac", ".amr"}), 100 * MB),
    RecordKind.VIDEO: (frozenset({".mp4", ".mov", ".avi", ".mkv"}), 200 * MB),
}
# Leading bytes of the formats whose signature is unambiguous: a renamed file is refused.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",), ".wav": (b"RIFF",), ".avi": (b"RIFF",), ".mkv": (b"\x1a\x45\xdf\xa3",),
}
CHUNK = 1024 * 1024


def safe_file_name(name: str | None) -> str:
    """The upload's own name, kept for people (Chinese names stay), without a path, control characters
    (NUL included), quotes or leading dots; never used to name the stored file (that is its SHA-256)."""
    name = os.path.basename(clean_text(name or "").replace("\\", "/").replace("\x00", ""))
    return name.replace('"', "").replace("'", "").strip().lstrip(".").strip()


def content_type_for(file_name: str) -> str:
    """The content type the server determines from the (allowed) extension; the client's claim is ignored."""
    return mimetypes.guess_type(file_name, strict=False)[0] or "application/octet-stream"


def records_dir() -> Path:
    return Path(current_app.config["RECORDS_DIR"])


def stored_path(sha256: str) -> Path:
    """Where this host keeps (or caches) the file with this SHA-256."""
    return record_store().path(sha256)


def _private_dirs(root: Path, path: Path) -> None:
    """Create ``root`` and every directory from it down to ``path`` as 0700 (personal data inside)."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for part in [*reversed(path.relative_to(root).parents), path.relative_to(root)]:
        if str(part) != ".":
            (root / part).mkdir(mode=0o700, exist_ok=True)


def limits_text() -> str:
    return "；".join(f"{RecordKind.labels()[k]}：{'、'.join(sorted(e))}，不超过{size // MB}MB"
                    for k, (e, size) in LIMITS.items())


def _store(stream: BinaryIO, limit: int, extension: str) -> tuple[str, int]:
    """Copy the upload to a temporary file while hashing it, then move it under its hash."""
    root = records_dir()
    _private_dirs(root, root / "tmp")
    digest, size, head = hashlib.sha256(), 0, b""
    fd, tmp_name = tempfile.mkstemp(dir=root / "tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise RuleViolation(f"文件超过{limit // MB}MB的大小限制", field="file")
                if len(head) < 16:
                    head += chunk[:16]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise RuleViolation("文件为空", field="file")
        signatures = SIGNATURES.get(extension)
        if signatures and not head.startswith(signatures):
            raise RuleViolation(f"文件内容与扩展名{extension}不符", field="file")
        sha = digest.hexdigest()
        record_store().put(sha, Path(tmp_name))  # the same bytes already filed are kept once
        return sha, size
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def file_record(d: Decision, *, kind: str, title: str, file_name: str, content_type: str, stream: BinaryIO,
                filed_by: str, supersedes_id: int | None = None, actor=None) -> ProcessRecord:
    """File one record to a decision; a correction names the record it supersedes.

    ``actor`` (a User; default the signed-in user, else the system) must be allowed ``record.file``
    by ``policy`` (raises ``policy.NotAuthorized``)."""
    from enforcement.disclosure import policy
    from enforcement.disclosure.services import refusals_audited

    actor = actor if actor is not None else policy.current_actor()
    with refusals_audited("record.file", "decision", d.id):
        policy.authorize("record.file", actor, d)
        if kind not in LIMITS:
            raise RuleViolation("请选择记录类型", field="kind")
        extensions, limit = LIMITS[kind]
        file_name = safe_file_name(file_name)
        extension = os.path.splitext(file_name)[1].lower()
        if not file_name:
            raise RuleViolation("请选择要上传的文件", field="file")
        if extension not in extensions:
            raise RuleViolation(f"{RecordKind.labels()[kind]}只接受{'、'.join(sorted(extensions))}格式的文件", field="file")
        superseded = None
        if supersedes_id is not None:
            superseded = db.session.get(ProcessRecord, supersedes_id)
            if superseded is None or superseded.decision_id != d.id:
                raise RuleViolation("被更正的记录不属于本案", field="supersedes_id")
            if db.session.scalar(select(ProcessRecord.id).where(ProcessRecord.supersedes_id == supersedes_id)):
                raise RuleViolation("该记录已被更正过，请更正最新的记录", field="supersedes_id")
        sha, size = _store(stream, limit, extension)
        record = ProcessRecord(decision_id=d.id, kind=kind, title=(title or file_name).strip()[:200],
                               file_name=file_name[:255], content_type=content_type_for(file_name),
                               size=size, sha256=sha, filed_by=filed_by, supersedes_id=supersedes_id)
        db.session.add(record)
        db.session.flush()
        audit_log.record("record.file", "decision", d.id, after={
            "record": record.id, "kind": kind, "file_name": record.file_name, "size": size, "sha256": sha,
            "supersedes": supersedes_id})
        policy.record_part(actor, d, "filed")
    return record


def current_records(d: Decision) -> list[ProcessRecord]:
    """The records not superseded by a correction."""
    superseded = {r.supersedes_id for r in d.records if r.supersedes_id}
    return [r for r in d.records if r.id not in superseded]


def open_verified(record: ProcessRecord) -> Path:
    """The stored file, after checking that its bytes still hash to the filed SHA-256."""
    path = record_store().local_path(record.sha256)
    if path is None:
        raise RuleViolation("记录文件缺失，请联系系统管理员")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != record.sha256:
        raise RuleViolation("记录文件与归档时的SHA-256不符，可能已被篡改，请联系系统管理员")
    return path
