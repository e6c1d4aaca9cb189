"""The migration that makes 文号 and 执法证号 keys unique backfills them, and stops on records that collide."""

import pytest
from alembic import command
from flask_migrate import upgrade
from sqlalchemy import text

from enforcement.core import migrations
from enforcement.extensions import db
from tests.conftest import drop_schema, make_app

NOW = "2021-01-01 00:00:00"


def _old_schema_with(rows: list[tuple[str, str]], tmp_path, name: str):
    app, url = make_app(tmp_path, name)
    with app.app_context():
        db.drop_all()
        migrations(app)
        upgrade(revision="8322ec0b6310")
        db.session.execute(text(
            "INSERT INTO agencies (id, name, credit_code, legal_status, duties, address, phone, supervision_phone, "
            "supervision_channels, reconsideration_body, reconsideration_days, litigation_court, litigation_months, "
            "entrusted_by, created_at, updated_at, version) VALUES (1, '镇政府', '11110115MB1C435893', 'statutory', '', "
            "'', '', '', '', '', 60, '', 6, '', :now, :now, 1)"), {"now": NOW})
        db.session.execute(text(
            "INSERT INTO officers (id, name, agency_id, credential_number, category, credential_issued_on, "
            "credential_expires_on, status, has_legal_qualification, phone, id_number, created_at, updated_at, version) "
            "VALUES (1, '王强', 1, '１１０１１５ ００００１', '综合执法', '2020-01-01', '2030-01-01', 'valid', false, '', '', "
            ":now, :now, 1)"), {"now": NOW})
        for i, (number, old_key) in enumerate(rows, 1):
            db.session.execute(text(
                "INSERT INTO decisions (id, number, number_key, kind, status, procedure, agency_id, title, party_type, "
                "party_name, party_credit_code, party_legal_rep, party_id_number, party_address, party_phone, "
                "party_bank_account, party_is_minor, other_names, facts, basis, result, penalty_kinds, "
                "discretion_adjusted, is_major, major_reasons, ended_reason, withdrawal_reason, masking_confirmed, masking_masked, "
                "created_at, updated_at, version) VALUES (:id, :number, :key, 'penalty', 'published', 'ordinary', 1, '', "
                "'person', '张三', '', '', '', '', '', '', false, '', '', '', '', '', false, false, '', '', '', false, '', "
                ":now, :now, 1)"), {"id": i, "number": number, "key": old_key, "now": NOW})
        db.session.commit()
    return app, url


def test_upgrade_backfills_the_normalised_keys(tmp_path):
    app, url = _old_schema_with([("京兴西罚字〔2025〕第0016号", "京兴西罚字(2025)第0016号")], tmp_path, "keys")
    try:
        with app.app_context():
            upgrade()
            assert db.session.execute(text("SELECT number_key FROM decisions")).scalar() == "京兴西罚字(2025)16号"
            assert db.session.execute(text("SELECT credential_key FROM officers")).scalar() == "11011500001"
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_schema(url)


def test_upgrade_stops_and_names_decisions_that_are_one_number(tmp_path):
    app, url = _old_schema_with([("京兴西罚字〔2025〕第0016号", "a"), ("京兴西罚字[2025]16号", "b")], tmp_path, "clash")
    try:
        with app.app_context():
            config = migrations(app).get_config()
            with pytest.raises(RuntimeError) as e:
                command.upgrade(config, "head")  # flask db upgrade prints this and exits non-zero
            assert str(e.value) == "决定文号归一化后重复，请先合并或更正这些记录再升级：京兴西罚字〔2025〕第0016号 / 京兴西罚字[2025]16号"
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_schema(url)
