"""Behind a reverse proxy, with a health check a load balancer and a monitor can call."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from enforcement import create_app
from enforcement.accounts.models import LoginAttempt
from enforcement.core.operations import JsonFormatter
from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.search.services import sync
from tests.conftest import drop_schema, make_app


@pytest.fixture
def proxied_app(tmp_path):
    app, url = make_app(tmp_path, "proxied", TRUSTED_PROXIES=1)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_schema(url)


def failed_login_address(client) -> str:
    client.post("/login", data={"username": "nobody", "password": "wrong"},
                headers={"X-Forwarded-For": "198.51.100.4, 203.0.113.7", "X-Forwarded-Proto": "https"})
    return db.session.scalars(select(LoginAttempt.remote_addr).order_by(LoginAttempt.id.desc())).first()


def test_behind_one_trusted_proxy_the_throttle_sees_the_citizens_address(proxied_app):
    with proxied_app.app_context():
        # The proxy appended the address it saw; what the client put before it is not trusted.
        assert failed_login_address(proxied_app.test_client()) == "203.0.113.7"


def test_without_trusted_proxies_forwarded_headers_are_ignored(client):
    assert failed_login_address(client) == "127.0.0.1"


def test_healthz_reports_database_index_and_lag_without_private_data(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.json["database"] == "ok" and response.json["search_index"] == "missing"
    assert response.json["status"] == "degraded"
    sync()
    db.session.add(Agency(name="西红门镇人民政府", credit_code="11110115MB1C43589F", legal_status="statutory"))
    db.session.commit()
    report = client.get("/healthz").json
    assert report["status"] == "ok" and report["index_lag"] == 1
    sync()
    report = client.get("/healthz").json
    assert report["index_lag"] == 0
    body = json.dumps(report)
    assert str(tmp_path) not in body and "sqlite" not in body and "postgresql" not in body
    assert set(report) == {"status", "database", "search_index", "index_lag", "latest_change", "time"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"INSTANCE_DIR": tmp_path / "instance", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db",
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "error" and "missing" not in json.dumps(response.json["database"])


def test_log_records_are_one_json_object_a_line_with_chinese_readable():
    record = logging.LogRecord("enforcement", logging.WARNING, __file__, 1, "明年节假日安排缺失", None, None)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line and "明年节假日安排缺失" in line
    assert entry["level"] == "WARNING" and entry["message"] == "明年节假日安排缺失" and entry["time"].endswith("+08:00")
