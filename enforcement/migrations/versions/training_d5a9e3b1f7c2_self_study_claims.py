"""training: self-study claims awaiting a supervisor; several self-study entries per session

Revision ID: training_d5a9e3b1f7c2
Revises: 5e1b7a3c9d20
Create Date: 2026-12-01 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'training_d5a9e3b1f7c2'
down_revision = '5e1b7a3c9d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_self_study_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('attended_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence_file_name', sa.String(length=255), nullable=False),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=False),
    sa.Column('evidence_size', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_by', sa.String(length=80), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=80), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_reason', sa.Text(), nullable=False),
    sa.Column('attendance_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['attendance_id'], ['training_attendance.id'], name=op.f('fk_training_self_study_claims_attendance_id_training_attendance')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_training_self_study_claims_officer_id_officers')),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_training_self_study_claims_session_id_training_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_self_study_claims'))
    )
    with op.batch_alter_table('training_self_study_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_self_study_claims_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_self_study_claims_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_self_study_claims_status'), ['status'], unique=False)

    # A self-study period may now hold several approved entries of one officer; the service keeps
    # centralised sessions at one row per officer.
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_constraint('uq_training_attendance_session_id', type_='unique')


def downgrade():
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_training_attendance_session_id', ['session_id', 'officer_id'])
    with op.batch_alter_table('training_self_study_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_self_study_claims_status'))
        batch_op.drop_index(batch_op.f('ix_training_self_study_claims_session_id'))
        batch_op.drop_index(batch_op.f('ix_training_self_study_claims_officer_id'))
    op.drop_table('training_self_study_claims')
