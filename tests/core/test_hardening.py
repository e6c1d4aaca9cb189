"""Smaller hardening: the stale-edit check cannot be skipped, import errors stay out of the cookie, upload names
and content types come from the server, private files are the owner's only, text fields are bounded
(ASVS 4.0 V1.11.3, V3.2.x, V12.1–V12.5, V5.1.4)."""

from __future__ import annotations

import io
import os
import stat

from sqlalchemy import select

from enforcement.core.records import Field
from enforcement.core.textsafety import MAX_TEXT
from enforcement.disclosure import records
from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from tests.conftest import login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import TODAY, draft_input, make_draft

town = fixtures.town


def test_an_edit_without_a_version_is_refused_not_saved_blind(town, client):
    d = make_draft()
    login_as(client, "officer")
    page = client.post(f"/staff/decisions/{d.id}/edit", data=draft_input(result="罚款人民币1元。"))  # no version
    assert page.status_code == 200 and "缺少版本信息" in page.get_data(as_text=True)
    agency = db.session.scalar(select(Agency))
    page = client.post(f"/staff/agencies/{agency.id}", data={"name": "改名", "credit_code": agency.credit_code,
                                                             "legal_status": "statutory"})
    assert "缺少版本信息" in page.get_data(as_text=True)
    decided = client.post(f"/staff/decisions/{d.id}/decide", data={"decided_on": TODAY.isoformat()},
                          follow_redirects=True)
    assert "缺少版本信息" in decided.get_data(as_text=True)
    db.session.expire_all()
    assert d.result == "罚款人民币2,000元，责令改正。" and d.status == "draft" and agency.name != "改名"


def test_a_long_list_of_import_errors_is_shown_in_full_and_not_put_in_the_cookie(town, client):
    from enforcement.accounts.services import create_user

    create_user("jiandu", "supervisor-pass-2026", ["supervisor"])
    db.session.commit()
    login_as(client, "jiandu")
    bad = "code,name\n" + "".join(f",某餐厅{i}号店\n" for i in range(400))  # 400 lines without a code
    response = client.post("/inspections/manage/targets", data={"file": (io.BytesIO(bad.encode()), "targets.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "导入失败" in page and page.count("<li>第") + page.count("<li>") >= 400
    cookie = response.headers.get("Set-Cookie", "")
    assert len(cookie) < 4000


def test_upload_names_lose_paths_and_control_bytes_and_the_server_sets_the_content_type(town, client):
    d = make_draft()
    record = records.file_record(d, kind="text", title="", file_name="..\\..\\evil\x00\x1f\".txt",
                                 content_type="text/html", stream=io.BytesIO(b"<script>x</script>"), filed_by="officer")
    db.session.commit()
    assert record.file_name == "evil.txt" and record.content_type == "text/plain"
    login_as(client, "officer")
    response = client.get(f"/staff/decisions/records/{record.public_id}")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["X-Content-Type-Options"] == "nosniff" and "attachment" in response.headers[
        "Content-Disposition"]


def test_private_files_are_the_owners_only(town, app):
    d = make_draft()
    record = records.file_record(d, kind="text", title="", file_name="a.txt", content_type="text/plain",
                                 stream=io.BytesIO(b"note"), filed_by="officer")
    db.session.commit()
    stored = records.stored_path(record.sha256)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o400
    for directory in (stored.parent, stored.parent.parent, records.records_dir()):
        assert stat.S_IMODE(directory.stat().st_mode) & 0o077 == 0, directory
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        assert stat.S_IMODE(os.stat(url.removeprefix("sqlite:///")).st_mode) & 0o077 == 0
    assert stat.S_IMODE(os.stat(app.instance_path).st_mode) & 0o077 == 0


def test_free_text_is_bounded_even_where_the_column_is_not():
    field = Field("facts", "案件事实")
    assert field.check("字" * MAX_TEXT) == "字" * MAX_TEXT
    assert field.json_schema()["maxLength"] == MAX_TEXT  # the published schema says so too
    try:
        field.check("字" * (MAX_TEXT + 1))
    except ValueError as e:
        assert f"不能超过{MAX_TEXT}" in str(e)
    else:
        raise AssertionError("a 20,001-character text was accepted")


def test_every_bounded_column_is_bounded_the_same_in_its_record_format():
    from enforcement.disclosure.formats import SPECS
    from enforcement.disclosure.models import Decision
    from enforcement.disclosure.services import STANDING_MODELS

    models = {kind: model for kind, (model, _key, _entity) in STANDING_MODELS.items()} | {"decisions": Decision}
    for kind, model in models.items():
        for f in SPECS[kind].fields:
            column = model.__table__.c.get(f.name)
            length = getattr(getattr(column, "type", None), "length", None)
            if f.type == "str" and length:
                assert f.max_length and f.max_length <= length, (kind, f.name)
