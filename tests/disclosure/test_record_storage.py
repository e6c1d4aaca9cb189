"""Record files on several web hosts: kept in the shared database, readable from any host."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from enforcement import create_app
from enforcement.core.errors import RuleViolation
from enforcement.core.storage import RecordChunk
from enforcement.disclosure import records
from enforcement.disclosure.models import ProcessRecord
from enforcement.extensions import db
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import make_draft
from tests.disclosure.test_records import NOTE, file_note

town = fixtures.town  # the shared fixture


def other_host(app, tmp_path, storage: str):
    """A second web host: the same database, its own instance folder and records folder."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-only", "INSTANCE_DIR": tmp_path / "host_b",
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "SEARCH_INDEX_DIR": str(tmp_path / "host_b_index"), "RECORDS_DIR": str(tmp_path / "host_b_rec"),
                       "RECORDS_STORAGE": storage})


def read_on(host, record_id: int) -> bytes:
    with host.app_context():
        try:
            return records.open_verified(db.session.get(ProcessRecord, record_id)).read_bytes()
        finally:
            db.session.remove()


def test_with_database_storage_a_record_filed_on_one_host_is_read_on_another(town, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "RECORDS_STORAGE", "database")
    record = file_note(make_draft(), data=NOTE * 5000)  # ~370 KB
    host_b = other_host(app, tmp_path, "database")
    assert read_on(host_b, record.id) == NOTE * 5000
    cached = Path(tmp_path / "host_b_rec") / record.sha256[:2] / record.sha256[2:4] / record.sha256
    assert cached.read_bytes() == NOTE * 5000  # later reads on host B come from its cache
    assert db.session.query(RecordChunk).filter_by(sha256=record.sha256).count() == 1


def test_with_filesystem_storage_another_host_does_not_have_the_file(town, app, tmp_path):
    record = file_note(make_draft())
    with pytest.raises(RuleViolation, match="缺失"):
        read_on(other_host(app, tmp_path, "filesystem"), record.id)


def test_a_file_and_its_record_commit_together(town, app, monkeypatch):
    monkeypatch.setitem(app.config, "RECORDS_STORAGE", "database")
    d = make_draft()
    db.session.commit()
    import io

    records.file_record(d, kind="text", title="笔录", file_name="笔录.txt", content_type="text/plain",
                        stream=io.BytesIO(b"rolled back " + NOTE), filed_by="officer")
    db.session.rollback()
    sha = hashlib.sha256(b"rolled back " + NOTE).hexdigest()
    assert db.session.query(RecordChunk).filter_by(sha256=sha).count() == 0


def test_an_unknown_storage_backend_is_a_configuration_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "RECORDS_STORAGE", "s3")
    with pytest.raises(ValueError, match="RECORDS_STORAGE"):
        records.stored_path("0" * 64)


def test_a_backup_of_database_storage_restores_into_files(town, app, tmp_path, monkeypatch):
    from enforcement.core import backup
    from tests.conftest import drop_schema, make_app

    monkeypatch.setitem(app.config, "RECORDS_STORAGE", "database")
    record_id = file_note(make_draft()).id  # read here: inside another app's context it would use that app's engine
    manifest = backup.backup(tmp_path / "b")
    assert manifest["record_files"] == 1 and "record_chunks" not in manifest["tables"]
    target, url = make_app(tmp_path, "from_database_storage")
    try:
        with target.app_context():
            db.drop_all()
            backup.restore(tmp_path / "b")
            assert records.open_verified(db.session.get(ProcessRecord, record_id)).read_bytes() == NOTE
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_schema(url)
