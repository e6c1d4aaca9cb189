"""normalised keys: officers.credential_key, decisions.number_key unique and recomputed

Decision numbers written 〔2025〕第16号, [2025]第0016号 or （２０２５）16号 are one
decision, and full-width credential numbers one officer: the keys are
backfilled with the normalisers frozen below (copies of
enforcement.core.numbers at this revision) and made unique. If existing rows
already collide, the upgrade stops and names them, so that someone decides
which record stays.

Revision ID: c4e1a7d2b9f3
Revises: c4f1a9e2b7d3
Create Date: 2026-11-30 23:30:00
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = 'c4e1a7d2b9f3'
down_revision = 'c4f1a9e2b7d3'
branch_labels = None
depends_on = None

_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "［": "(", "］": ")",
                           "﹝": "(", "﹞": ")", "（": "(", "）": ")", "{": "(", "}": ")", "<": "(", ">": ")",
                           "〈": "(", "〉": ")", "《": "(", "》": ")"})
_SPACE = re.compile(r"\s+")
_SERIAL = re.compile(r"第?0*(\d+)号")


def _number_key(value):
    text = _SPACE.sub("", unicodedata.normalize("NFKC", value or "").translate(_BRACKETS)).upper()
    return _SERIAL.sub(r"\1号", text)


def _credential_key(value):
    return _SPACE.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def _backfill(conn, table, source, target, normalise, what):
    t = sa.table(table, sa.column("id", sa.Integer), sa.column(source, sa.String), sa.column(target, sa.String))
    seen, clashes, last = {}, [], 0
    while True:
        rows = conn.execute(sa.select(t.c.id, t.c[source], t.c[target]).where(t.c.id > last)
                            .order_by(t.c.id).limit(5000)).all()
        if not rows:
            break
        updates = []
        for ident, value, old in rows:
            key = normalise(value)
            if key in seen:
                clashes.append(f"{seen[key][1]} / {value}")
            seen.setdefault(key, (ident, value))
            if key != old:
                updates.append({"_id": ident, "_key": key})
        if updates:
            conn.execute(sa.update(t).where(t.c.id == sa.bindparam("_id")).values({target: sa.bindparam("_key")}),
                         updates)
        last = rows[-1][0]
    if clashes:
        raise RuntimeError(f"{what}归一化后重复，请先合并或更正这些记录再升级：" + "；".join(clashes[:20]))


def upgrade():
    conn = op.get_bind()
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credential_key', sa.String(length=40), nullable=True))
    _backfill(conn, "officers", "credential_number", "credential_key", _credential_key, "执法证号")
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.alter_column('credential_key', existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_officers_credential_key'), ['credential_key'])

    _backfill(conn, "decisions", "number", "number_key", _number_key, "决定文号")
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_number_key'))
        batch_op.create_unique_constraint(batch_op.f('uq_decisions_number_key'), ['number_key'])


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_decisions_number_key'), type_='unique')
        batch_op.create_index(batch_op.f('ix_decisions_number_key'), ['number_key'], unique=False)
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_officers_credential_key'), type_='unique')
        batch_op.drop_column('credential_key')
