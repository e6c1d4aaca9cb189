"""Migrations build the schema from zero, and the models match them."""

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from enforcement.core import migrations
from enforcement.extensions import db
from tests.conftest import drop_schema, make_app

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_build_the_schema_and_match_the_models(tmp_path):
    app, url = make_app(tmp_path, "migrations")
    try:
        with app.app_context():
            db.drop_all()
            migrations(app)
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            assert diff == []
            assert "decisions" in inspect(db.engine).get_table_names()
            db.engine.dispose()
    finally:
        drop_schema(url)


def test_flask_db_upgrade_runs_from_the_command_line(tmp_path):
    """``flask db …`` is Flask-Migrate's group, loaded when named (``core.migrations`` says why)."""
    app, url = make_app(tmp_path, "db_cli")
    try:
        with app.app_context():
            db.drop_all()
        runner = app.test_cli_runner()
        assert "db" in runner.invoke(args=["--help"]).output
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            assert "decisions" in inspect(db.engine).get_table_names()
            assert runner.invoke(args=["db", "current"]).exit_code == 0
            db.engine.dispose()
    finally:
        drop_schema(url)


def test_starting_the_app_does_not_import_alembic():
    """Alembic, Mako and Pygments cost 0.2–0.4 s of each process start (each worker, each export)."""
    code = ("import sys; from enforcement import create_app; "
            "create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'x'}); "
            "print(sorted(m for m in ('alembic', 'mako', 'pygments') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
