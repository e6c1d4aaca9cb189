"""Long search commands say what they are doing and what they did."""

from __future__ import annotations

import pytest

from enforcement.extensions import db
from tests.disclosure.helpers import load_minimal_town


@pytest.fixture
def town(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "index"))
    load_minimal_town()
    db.session.commit()
    return app


def test_the_first_sync_says_it_is_building_the_index(town, runner):
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert "索引尚未建立" in result.output and "索引已建立" in result.output
    result = runner.invoke(args=["search", "sync"])
    assert "索引已同步：应用变更 0 条" in result.output


def test_a_rebuild_shows_progress_and_counts_what_it_indexed(town, runner):
    result = runner.invoke(args=["search", "rebuild", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert "读取记录" in result.output and "索引已重建：" in result.output
