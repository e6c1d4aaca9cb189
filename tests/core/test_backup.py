"""The restore drill: back up the demo town, restore it into an empty database, and find it all again."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, inspect, select

from enforcement.core import anchor, clock
from enforcement.disclosure.models import Agency, Decision, ProcessRecord
from enforcement.disclosure.records import stored_path
from enforcement.extensions import db
from enforcement.search.services import search
from tests.conftest import drop_schema, make_app


@pytest.fixture
def restored(tmp_path):
    app, url = make_app(tmp_path, "restored")
    with app.app_context():
        db.drop_all()  # an empty database: restore builds the schema
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_schema(url)


def sample_paths(app) -> list[str]:
    with app.app_context():
        decisions = db.session.scalars(select(Decision.id).where(
            Decision.status == "published", Decision.expires_on > clock.today()).order_by(Decision.id).limit(3)).all()
        agency = db.session.scalar(select(func.min(Agency.id)))
        db.session.remove()
    return ["/", "/agencies", f"/agencies/{agency}", "/decisions", "/officers", "/powers", "/stats",
            *[f"/decisions/{d}" for d in decisions], "/api/v1/decisions?per_page=50", "/feeds/decisions.atom"]


def record_files(app) -> dict[str, bytes]:
    with app.app_context():
        hashes = db.session.scalars(select(ProcessRecord.sha256).order_by(ProcessRecord.id)).all()
        files = {h: stored_path(h).read_bytes() for h in hashes}
        db.session.remove()
    return files


def test_a_restored_backup_serves_the_same_town(demo_index, restored, tmp_path):
    source = demo_index
    with source.app_context():
        anchor_file = anchor.anchor_path()
        anchor.write_anchor(anchor.head())  # as the daily job would have done
        db.session.remove()
    try:
        result = source.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
        assert manifest["tables"]["decisions"]["rows"] > 0 and manifest["record_files"] > 0

        runner = restored.test_cli_runner()
        result = runner.invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        assert runner.invoke(args=["search", "rebuild", "--procs", "1"]).exit_code == 0
        result = runner.invoke(args=["audit", "verify"])
        assert result.exit_code == 0 and "与 1 个锚点一致" in result.output, result.output

        before, after = source.test_client(), restored.test_client()
        for path in sample_paths(source):
            expected, got = before.get(path, follow_redirects=True), after.get(path, follow_redirects=True)
            assert got.status_code == expected.status_code == 200, path
            assert got.get_data() == expected.get_data(), path
        files = record_files(source)
        assert files and record_files(restored) == files
        for app in (source, restored):
            with app.app_context():
                app.hits = [(r["category"], r["id"]) for r in search("燃气泄漏报警", per_page=50).results]
        assert restored.hits == source.hits and source.hits

        # The restored database goes on: new rows get new ids, not the restored ones.
        with restored.app_context():
            before_max = db.session.scalar(select(func.max(Agency.id)))
            db.session.add(Agency(name="新设执法主体", credit_code="11110115MB9999999X", legal_status="statutory"))
            db.session.commit()
            assert db.session.scalar(select(func.max(Agency.id))) == before_max + 1
    finally:
        anchor_file.unlink(missing_ok=True)


def test_restore_refuses_a_database_that_holds_data_and_a_damaged_backup(demo_app, restored, tmp_path):
    assert demo_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    result = demo_app.test_cli_runner().invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 1 and "不是空的" in result.output
    dump = tmp_path / "b" / "db" / "decisions.jsonl.gz"
    dump.write_bytes(dump.read_bytes()[:-10])
    result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 1 and "已损坏" in result.output
    with restored.app_context():
        assert inspect(db.engine).get_table_names() == []  # nothing written
    assert demo_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]).exit_code == 1  # not empty


def test_a_town_moves_from_the_embedded_sqlite_to_postgresql(restored, tmp_path):
    """The backup format is the same for both engines: back up SQLite, restore into PostgreSQL."""
    from flask_migrate import upgrade

    from enforcement import create_app
    from enforcement.core import audit_log, migrations
    from tests.disclosure.helpers import load_minimal_town

    with restored.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs TEST_DATABASE_URL on PostgreSQL")
    small = create_app({"TESTING": True, "INSTANCE_DIR": tmp_path / "small",
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'small.db'}",
                        "SEARCH_INDEX_DIR": str(tmp_path / "small_index"), "RECORDS_DIR": str(tmp_path / "small_rec")})
    with small.app_context():
        migrations(small)
        upgrade()  # built by the migrations, so the backup names its schema revision
        load_minimal_town()
        audit_log.record("agency.update", "agency", 1, after={"name": "x"})
        db.session.commit()
        names = sorted(db.session.scalars(select(Agency.name)))
        db.session.remove()
    assert small.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["revision"]
    runner = restored.test_cli_runner()
    result = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with restored.app_context():
        assert sorted(db.session.scalars(select(Agency.name))) == names
        db.session.remove()
