"""change log: the writing transaction's id, so readers never skip a late commit; record chunks

Also the record_chunks table: record files kept in the database (RECORDS_STORAGE=database) for several
web hosts.

On PostgreSQL the column is filled by the database (``pg_current_xact_id()``);
readers only move past rows older than the oldest open transaction (see
enforcement/core/changelog.py). SQLite leaves it empty: one writer commits ids
in order there.

Revision ID: c7a1e0f5d2b9
Revises: a17c5ec0b001
Create Date: 2026-11-30 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c7a1e0f5d2b9'
down_revision = 'a17c5ec0b001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('record_chunks',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'seq', name=op.f('pk_record_chunks'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('txid', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_change_log_txid'), ['txid'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # Rows written before this revision are settled: position 0, read by a reader starting from scratch.
        op.execute("UPDATE change_log SET txid = 0")
        op.execute("ALTER TABLE change_log ALTER COLUMN txid SET DEFAULT pg_current_xact_id()::text::bigint")


def downgrade():
    op.drop_table('record_chunks')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_txid'))
        batch_op.drop_column('txid')
