"""Security: case assignments and participation, unguessable record ids, per-user session version.

Revision ID: a17c5ec0b001
Revises: c4e1a7d2b9f3
Create Date: 2026-11-30 23:20:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = 'a17c5ec0b001'
down_revision = 'c4e1a7d2b9f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('assigned_by', sa.String(length=80), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_case_assignments_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_assignments')),
    sa.UniqueConstraint('decision_id', 'user_id', name=op.f('uq_case_assignments_decision_id'))
    )
    with op.batch_alter_table('case_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_assignments_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_assignments_user_id'), ['user_id'], unique=False)

    op.create_table('case_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_case_participations_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_participations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_participations')),
    sa.UniqueConstraint('decision_id', 'user_id', 'part', name=op.f('uq_case_participations_decision_id'))
    )
    with op.batch_alter_table('case_participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_participations_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_participations_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
    op.create_table('login_throttles',
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles'))
    )

    # Records filed before this revision get a random public id each.
    with op.batch_alter_table('process_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))
    conn = op.get_bind()
    records = sa.table('process_records', sa.column('id', sa.Integer), sa.column('public_id', sa.String))
    for (record_id,) in conn.execute(sa.select(records.c.id)).all():
        conn.execute(records.update().where(records.c.id == record_id).values(public_id=secrets.token_urlsafe(16)))
    with op.batch_alter_table('process_records', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_process_records_public_id'), ['public_id'])


def downgrade():
    with op.batch_alter_table('process_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_process_records_public_id'), type_='unique')
        batch_op.drop_column('public_id')
    op.drop_table('login_throttles')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
    op.drop_table('case_participations')
    op.drop_table('case_assignments')
