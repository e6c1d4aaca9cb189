"""perflists: maintained counts of the public decision list, kept by triggers; index for unmarked expiries

A list request counted every public decision (two thirds of an uncached list
request at 100,000 decisions). The counts per (agency, kind, year, state) are
now kept by triggers on ``decisions`` in the writing transaction; see
enforcement/disclosure/models/counts.py.

Revision ID: 7f3c2a9e41b5_perflists
Revises: training_d5a9e3b1f7c2
Create Date: 2026-12-01 02:50:00

"""
from alembic import op
import sqlalchemy as sa

from enforcement.disclosure.models.counts import refill_statements, trigger_statements

revision = '7f3c2a9e41b5_perflists'
down_revision = 'training_d5a9e3b1f7c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('decision_list_counts',
    sa.Column('agency_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('agency_id', 'kind', 'year', 'state', name=op.f('pk_decision_list_counts'))
    )
    # Not in batch mode: on SQLite a batch that copies the table would drop its triggers.
    op.create_index('ix_decisions_status_expires', 'decisions', ['status', 'expires_on'], unique=False,
                    postgresql_include=['decided_on', 'kind', 'agency_id', 'party_is_minor', 'published_on'])
    dialect = op.get_bind().dialect.name
    for stmt in refill_statements(dialect) + trigger_statements(dialect):
        op.execute(stmt)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS decision_counts_keep ON decisions")
        op.execute("DROP FUNCTION IF EXISTS decision_counts_keep()")
    else:
        for name in ('decision_counts_ins', 'decision_counts_del', 'decision_counts_upd'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index('ix_decisions_status_expires', table_name='decisions')
    op.drop_table('decision_list_counts')
