"""Migrations build the schema from zero, and the models match them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from enforcement.extensions import db
from tests.conftest import drop_schema, make_app


def test_migrations_build_the_schema_and_match_the_models(tmp_path):
    app, url = make_app(tmp_path, "migrations")
    try:
        with app.app_context():
            db.drop_all()
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            assert diff == []
            assert "decisions" in inspect(db.engine).get_table_names()
            db.engine.dispose()
    finally:
        drop_schema(url)
