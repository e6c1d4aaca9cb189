"""audit: stored per-decision check results and the reader's state (branch audit)

The supervisor's dashboard reads precomputed results, recomputed only for the
records the change log names (enforcement/audit/incremental.py).

Revision ID: a7d17e18b0a1
Revises: 7f3c2a9e41b5_perflists
Create Date: 2026-12-01 02:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7d17e18b0a1'
down_revision = '7f3c2a9e41b5_perflists'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_code', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('on', sa.Date(), nullable=True),
    sa.Column('counts', sa.Integer(), nullable=False),
    sa.Column('checked_from', sa.Date(), nullable=False),
    sa.Column('checked_until', sa.Date(), nullable=False),
    sa.Column('failing_from', sa.Date(), nullable=True),
    sa.Column('failing_until', sa.Date(), nullable=True),
    sa.Column('flag', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('provisional', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_results'))
    )
    with op.batch_alter_table('audit_results', schema=None) as batch_op:
        batch_op.create_index('ix_audit_results_scope', ['check_code', 'year', 'agency_id'], unique=False)
        batch_op.create_index('ix_audit_results_record', ['entity', 'decision_id'], unique=False)
    op.create_table('audit_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor', sa.BigInteger(), nullable=False),
    sa.Column('rules', sa.String(length=64), nullable=False),
    sa.Column('training', sa.Text(), nullable=False),
    sa.Column('ahead', sa.Text(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_state'))
    )


def downgrade():
    op.drop_table('audit_state')
    with op.batch_alter_table('audit_results', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_results_record')
        batch_op.drop_index('ix_audit_results_scope')
    op.drop_table('audit_results')
