"""rows: the decisions' stored public export rows and the change-log readers' positions (branch rows)

The decisions export reads projected rows kept current from the change log
(enforcement/disclosure/public_rows.py) instead of masking every row per download.

Revision ID: rows_b3e5d7f9a1c4
Revises: a7d17e18b0a1
Create Date: 2026-12-01 03:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'rows_b3e5d7f9a1c4'
down_revision = 'a7d17e18b0a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('change_readers',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('floor', sa.BigInteger(), nullable=False),
    sa.Column('ahead', sa.Text(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('applied_id', sa.BigInteger(), nullable=False),
    sa.Column('built_at', sa.DateTime(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_change_readers'))
    )
    op.create_table('decision_public_rows',
    sa.Column('decision_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('change_id', sa.BigInteger(), nullable=False),
    sa.Column('cells', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('decision_id', name=op.f('pk_decision_public_rows'))
    )


def downgrade():
    op.drop_table('decision_public_rows')
    op.drop_table('change_readers')
