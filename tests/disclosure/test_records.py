"""Whole-process records: content-addressed by SHA-256 outside the web root, immutable, staff-only."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from enforcement.disclosure import records
from enforcement.disclosure.projection import public_decision
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import TODAY, assert_refused, make_draft

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOTE = "现场检查笔录：当事人在场，执法人员出示执法证。".encode()

town = fixtures.town  # the shared fixture


def file_note(d, data: bytes = NOTE, name: str = "笔录.txt", kind: str = "text", **kw):
    record = records.file_record(d, kind=kind, title="现场检查笔录", file_name=name, content_type="text/plain",
                                 stream=io.BytesIO(data), filed_by="officer", **kw)
    db.session.commit()
    return record


def test_a_filed_record_is_stored_under_its_sha256_outside_the_web_root(town, app):
    d = make_draft()
    record = file_note(d)
    sha = hashlib.sha256(NOTE).hexdigest()
    path = records.stored_path(sha)
    assert record.sha256 == sha and record.size == len(NOTE) and path.read_bytes() == NOTE
    assert Path(app.config["RECORDS_DIR"]) in path.parents
    assert Path(app.static_folder) not in path.parents


def test_the_same_bytes_are_stored_once(town):
    d = make_draft()
    first, second = file_note(d), file_note(d, name="副本.txt")
    assert first.sha256 == second.sha256
    assert len(list(records.stored_path(first.sha256).parent.iterdir())) == 1


def test_a_correction_supersedes_and_never_overwrites(town):
    d = make_draft()
    original = file_note(d)
    correction = file_note(d, "更正后的笔录。".encode(), supersedes_id=original.id)
    assert records.current_records(d) == [correction]
    assert records.stored_path(original.sha256).read_bytes() == NOTE
    assert_refused(lambda: file_note(d, b"again", supersedes_id=original.id), "已被更正过", d, "record.file")


def test_type_and_size_limits(town, monkeypatch):
    d = make_draft()
    assert_refused(lambda: file_note(d, name="run.exe"), "只接受", d)
    assert_refused(lambda: file_note(d, NOTE, name="photo.png", kind="photo"), "文件内容与扩展名.png不符", d)
    assert file_note(d, PNG, name="photo.png", kind="photo").kind == "photo"
    monkeypatch.setitem(records.LIMITS, "text", (frozenset({".txt"}), 10))
    assert_refused(lambda: file_note(d, b"x" * 11), "大小限制", d)
    assert_refused(lambda: file_note(d, b""), "文件为空", d)


def test_the_public_sees_only_kinds_and_hashes(town):
    from enforcement.disclosure import lifecycle, publish_check

    d = make_draft()
    record = file_note(d)
    lifecycle.decide(d, TODAY, today=TODAY)
    publish_check.record_choices(d, {s.value: "mask" for s in publish_check.suspects(d)})
    lifecycle.publish(d, today=TODAY)
    public = public_decision(d, TODAY)
    assert public["records"] == [{"kind": "text", "sha256": record.sha256, "filed_at": record.filed_at}]
    assert "笔录.txt" not in repr(public)


def test_staff_download_the_file_and_the_public_cannot(town, client):
    d = make_draft()
    record = file_note(d)
    url = f"/staff/decisions/records/{record.public_id}"
    assert client.get(url).status_code == 302
    login_as(client, "officer")
    response = client.get(url)
    assert response.status_code == 200 and response.data == NOTE
    assert "attachment" in response.headers["Content-Disposition"]


def test_a_file_changed_on_disk_is_not_served(town, client):
    d = make_draft()
    record = file_note(d)
    path = records.stored_path(record.sha256)
    path.chmod(0o640)
    path.write_bytes(b"tampered")
    login_as(client, "officer")
    response = client.get(f"/staff/decisions/records/{record.public_id}", follow_redirects=True)
    assert "SHA-256不符" in response.get_data(as_text=True)


def test_uploading_through_the_case_page(town, client):
    d = make_draft()
    login_as(client, "officer")
    response = client.post(f"/staff/decisions/{d.id}/records", data={
        "kind": "photo", "title": "现场照片", "file": (io.BytesIO(PNG), "现场.png")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "已归档：现场.png" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [r.title for r in d.records] == ["现场照片"]


@pytest.fixture(autouse=True)
def _writable_cleanup(app):
    """Filed files are read-only; make them removable so the temporary directory can be cleaned."""
    yield
    root = Path(app.config["RECORDS_DIR"])
    if root.exists():
        for p in root.rglob("*"):
            if p.is_file():
                p.chmod(0o640)
                p.unlink()
