"""Bad bytes and busy databases never give a 500 or lose what the user typed (ASVS 4.0 V5.1.3, V12.1.2, V11.1.4)."""

from __future__ import annotations

import io
import json
import xml.dom.minidom
import zipfile
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from enforcement.core.errors import RuleViolation
from enforcement.core.records import ImportRejected
from enforcement.core.sheets import read_rows
from enforcement.disclosure import lifecycle
from enforcement.disclosure.formats import SPECS
from enforcement.disclosure.models import Agency, Decision
from enforcement.extensions import db
from tests.conftest import failing_first, login_as
from tests.disclosure import test_lifecycle_fixtures as fixtures
from tests.disclosure.test_lifecycle_fixtures import draft_input, make_draft

town = fixtures.town
LOCKED = OperationalError("UPDATE decisions ...", {}, Exception("database is locked"))
# the server closed the connection (a restart): SQLAlchemy reports it invalidated (enforcement.core.connections)
DROPPED = OperationalError("SELECT ...", {}, Exception("server closed the connection unexpectedly"),
                           connection_invalidated=True)


def test_a_draft_dated_9999_is_refused_and_the_workbench_still_opens(town, client):
    with pytest.raises(RuleViolation, match="日期应在1949-10-01至2099-12-31之间"):
        lifecycle.save_draft(None, draft_input(filed_on="9999-12-31"))
    db.session.rollback()
    login_as(client, "officer")
    page = client.post("/staff/decisions/new", data=draft_input(filed_on="9999-12-31"))
    assert page.status_code == 200 and "日期应在" in page.get_data(as_text=True)
    assert client.get("/staff/").status_code == 200


def test_control_characters_are_stripped_at_input(town):
    d = make_draft(title="未安装\x00燃气\x1b[31m报警\x07装置案", facts="第一行\n第二行\t缩进\x0c")
    assert d.title == "未安装燃气[31m报警装置案" and d.facts == "第一行\n第二行\t缩进"


def test_text_stored_before_the_rule_still_gives_valid_xml_and_xlsx(town, client):
    d = make_draft()
    lifecycle.decide(d, fixtures.TODAY, today=fixtures.TODAY)
    fixtures.mask_everything(d)
    lifecycle.publish(d, today=fixtures.TODAY)
    db.session.commit()
    db.session.execute(Decision.__table__.update().values(title="燃气\x01案\x1f", result="罚款\x0b2000元"))
    agency = db.session.scalar(select(Agency))
    agency.name = "西红门镇\x02人民政府"
    db.session.commit()
    feed = client.get("/feeds/decisions.atom")
    assert feed.status_code == 200
    xml.dom.minidom.parseString(feed.data)  # raises on a character XML 1.0 forbids
    export = client.get("/decisions/export.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"


def _bomb(path, size=300 * 1024 * 1024):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def test_an_xlsx_zip_bomb_is_refused_before_parsing(tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ImportRejected) as refused:
        list(read_rows(path, SPECS["decisions"]))
    assert "解压后超过" in str(refused.value.errors[0])


def test_a_highly_compressed_small_xlsx_is_refused_too(tmp_path):
    path = _bomb(tmp_path / "ratio.xlsx", size=50 * 1024 * 1024)
    with pytest.raises(ImportRejected) as refused:
        list(read_rows(path, SPECS["decisions"]))
    assert "压缩比异常" in str(refused.value.errors[0])


def test_a_save_that_meets_a_busy_database_is_retried(town, client, app, monkeypatch):
    d = make_draft()
    calls: list = []
    monkeypatch.setitem(app.config, "BUSY_RETRY_PAUSE_SECONDS", 0)
    monkeypatch.setattr(lifecycle, "save_draft", failing_first(lifecycle.save_draft, LOCKED, calls))
    login_as(client, "officer")
    response = client.post(f"/staff/decisions/{d.id}/edit", data={**draft_input(result="罚款人民币1,500元。",
                                                                                   fine_amount="1500"), "version": d.version})
    assert response.status_code == 302 and len(calls) == 2
    db.session.expire_all()
    assert d.result == "罚款人民币1,500元。"


@pytest.mark.parametrize("error", [LOCKED, DROPPED], ids=["busy through every retry", "connection dropped"])
def test_a_save_the_database_cannot_take_keeps_the_input_and_says_so(town, client, app, monkeypatch, error):
    d = make_draft()

    def locked(*args, **kwargs):
        raise error

    monkeypatch.setitem(app.config, "BUSY_RETRY_PAUSE_SECONDS", 0)
    monkeypatch.setattr(lifecycle, "save_draft", locked)
    login_as(client, "officer")
    response = client.post(f"/staff/decisions/{d.id}/edit", data={**draft_input(result="罚款人民币1,234元。"),
                                                                   "version": d.version})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "尚未保存" in page
    assert 'name="result" value="罚款人民币1,234元。"' in page and f'action="/staff/decisions/{d.id}/edit"' in page


def test_the_api_answers_busy_as_json(client, app, monkeypatch):
    from enforcement.disclosure import queries

    def locked(*args, **kwargs):
        raise LOCKED

    monkeypatch.setitem(app.config, "BUSY_RETRY_PAUSE_SECONDS", 0)
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_ENABLED", False)
    monkeypatch.setattr(queries, "listing", locked)
    response = client.get("/api/v1/decisions")
    assert response.status_code == 503 and json.loads(response.data)["error"]["status"] == 503


def test_dates_outside_the_range_are_refused_in_every_record_format():
    from enforcement.core.records import validate_record

    spec = SPECS["decisions"]
    for bad in ("0001-01-01", "9999-12-31", date(1900, 1, 1)):
        record, errors = validate_record(spec, {"number": "X-1", "kind": "penalty", "agency_credit_code":
                                                "11110115MB1C435893", "party_type": "organisation",
                                                "party_name": "甲", "decided_on": bad}, lenient=True)
        assert record is None and any("日期应在" in e.message for e in errors), errors


def test_a_bomb_upload_through_the_training_import_page_is_refused(town, client, tmp_path):
    from enforcement.accounts.services import create_user

    create_user("jiandu", "supervisor-pass-2026", ["supervisor"])
    db.session.commit()
    login_as(client, "jiandu")
    data = _bomb(tmp_path / "b.xlsx").read_bytes()
    response = client.post("/training/import", data={"file": (io.BytesIO(data), "签到表.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "解压后超过" in response.get_data(as_text=True)


def test_exports_are_limited_per_client_while_others_still_get_theirs(town, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORTS_PER_CLIENT", 1)
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_ENABLED", False)
    first = client.get("/decisions/export.csv", buffered=False, environ_base={"REMOTE_ADDR": "10.7.0.1"})
    assert first.status_code == 200  # still streaming: its slot is held
    second = client.get("/decisions/export.csv", environ_base={"REMOTE_ADDR": "10.7.0.1"})
    assert second.status_code == 429 and second.headers["Retry-After"] == "5"
    assert client.get("/decisions/export.csv", environ_base={"REMOTE_ADDR": "10.7.0.2"}).status_code == 200
    first.close()
    assert client.get("/decisions/export.csv", environ_base={"REMOTE_ADDR": "10.7.0.1"}).status_code == 200
