"""Settings come from the environment the Flask way; dates and times are the town's, not the server's."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from enforcement import create_app
from enforcement.core import clock
from enforcement.core.templating import cn_date


def make(tmp_path, **overrides):
    return create_app({"INSTANCE_DIR": tmp_path / "instance", **overrides})


def test_every_setting_can_be_set_with_a_flask_prefixed_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_LOGIN_MAX_FAILURES_PER_ADDRESS", "50")
    monkeypatch.setenv("FLASK_PUBLIC_CACHE_CHECK_SECONDS", "5")
    monkeypatch.setenv("FLASK_TOWN_NAME", "旧宫镇")
    monkeypatch.setenv("FLASK_SESSION_COOKIE_SECURE", "true")
    app = make(tmp_path)
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] == 50
    assert app.config["PUBLIC_CACHE_CHECK_SECONDS"] == 5
    assert app.config["TOWN_NAME"] == "旧宫镇"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_the_short_names_of_earlier_releases_still_work_and_flask_names_win(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "a.db"))
    monkeypatch.setenv("SESSION_LIFETIME_SECONDS", "600")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = make(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("a.db")
    assert app.config["PERMANENT_SESSION_LIFETIME"] == 600
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "from-the-environment"
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "sqlite:///" + str(tmp_path / "b.db"))
    assert make(tmp_path).config["SQLALCHEMY_DATABASE_URI"].endswith("b.db")


def test_a_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = make(tmp_path).config["SECRET_KEY"]
    assert len(first) == 64 and make(tmp_path).config["SECRET_KEY"] == first
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_an_unknown_time_zone_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="TIMEZONE"):
        make(tmp_path, TIMEZONE="Asia/Beijing")


def test_the_json_api_returns_chinese_unescaped(demo_client):
    body = demo_client.get("/api/v1/agencies").get_data()
    assert "西红门".encode() in body and b"\\u" not in body


class _FrozenClock(datetime):
    """16:30 UTC on 1 March 2026: already 2 March in Beijing."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 3, 1, 16, 30, tzinfo=clock.zone("UTC")).astimezone(tz)


def test_today_is_the_date_in_the_configured_zone_not_the_servers(tmp_path, monkeypatch):
    monkeypatch.setattr(clock, "datetime", _FrozenClock)
    with make(tmp_path).app_context():
        assert clock.today() == date(2026, 3, 2)
    with make(tmp_path, TIMEZONE="UTC").app_context():
        assert clock.today() == date(2026, 3, 1)
    with make(tmp_path, TODAY=date(2025, 1, 1)).app_context():
        assert clock.today() == date(2025, 1, 1)


def test_stored_utc_times_are_shown_in_the_configured_zone(tmp_path):
    stored = datetime(2026, 3, 1, 20, 30)  # naive UTC, as every timestamp column holds it
    with make(tmp_path).app_context():
        assert clock.local_time(stored) == "2026-03-02 04:30"
        assert cn_date(stored) == "2026年3月2日"
        assert cn_date(date(2026, 3, 1)) == "2026年3月1日"
    with make(tmp_path, TIMEZONE="UTC").app_context():
        assert clock.local_time(stored) == "2026-03-01 20:30"
