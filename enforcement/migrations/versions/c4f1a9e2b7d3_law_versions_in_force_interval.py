"""law versions carry their in-force interval (adoption date is not entry into force)

Revision ID: c4f1a9e2b7d3
Revises: 8322ec0b6310
Create Date: 2026-11-30 23:00:00

Existing versions start in force on their adoption date; ``flask load-laws``
(or ``demo load``) then reads each file's ``… 施行`` line and sets the real
interval.

The library shipped the 2019 text of 北京市生活垃圾管理条例 (78 articles) under the
2020-09-25 label. Such a row is relabelled 2019-11-27 (in force 2020-05-01 to
2020-09-24) before ``load-laws`` adds the real 2020 text beside it, so powers
that cited it keep citing the text they quoted (now flagged by the audit as a
superseded version) instead of silently pointing at the renumbered 2020
articles. Rebuild the search index afterwards (``search rebuild``).
"""
from datetime import date

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
    op.execute(sa.text(
        "UPDATE laws SET version_date = :old, in_force_from = :from_, in_force_until = :until "
        "WHERE title = :title AND version_date = :labelled "
        "AND (SELECT count(*) FROM law_articles a WHERE a.law_id = laws.id) = 78 "
        "AND NOT EXISTS (SELECT 1 FROM laws other WHERE other.title = laws.title AND other.version_date = :old)"
    ).bindparams(title="北京市生活垃圾管理条例", labelled=date(2020, 9, 25), old=date(2019, 11, 27),
                 from_=date(2020, 5, 1), until=date(2020, 9, 24)))
    with op.batch_alter_table('laws') as batch:
        batch.alter_column('in_force_from', existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table('laws') as batch:
        batch.drop_column('in_force_until')
        batch.drop_column('in_force_from')
