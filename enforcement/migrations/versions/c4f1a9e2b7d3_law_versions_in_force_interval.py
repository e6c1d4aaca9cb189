"""law versions carry their in-force interval (adoption date is not entry into force)

Revision ID: c4f1a9e2b7d3
Revises: 8322ec0b6310
Create Date: 2026-11-30 23:00:00

Existing versions start in force on their adoption date; ``flask load-laws``
(or ``demo load``) then reads each file's ``… 施行`` line and sets the real
interval.
"""
from alembic import op
import sqlalchemy as sa

revision = 'c4f1a9e2b7d3'
down_revision = '8322ec0b6310'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('laws') as batch:
        batch.add_column(sa.Column('in_force_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('in_force_until', sa.Date(), nullable=True))
    op.execute("UPDATE laws SET in_force_from = version_date")
    with op.batch_alter_table('laws') as batch:
        batch.alter_column('in_force_from', existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table('laws') as batch:
        batch.drop_column('in_force_until')
        batch.drop_column('in_force_from')
