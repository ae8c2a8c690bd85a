"""statement tally per Tokyo day and verb, counted from the store

Revision ID: 3b7e1d2c9a40
Revises: 4e6c774eb40a
Create Date: 2026-11-30 18:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b7e1d2c9a40'
down_revision = '4e6c774eb40a'
branch_labels = None
depends_on = None

DAY = {"postgresql": "CAST(stored_at + interval '9 hours' AS date)",
       "sqlite": "date(stored_at, '+9 hours')"}


def upgrade():
    op.create_table('statement_tally',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('verb_id', sa.String(length=500), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'verb_id', name=op.f('pk_statement_tally'))
    )
    # backfill: every statement already stored, by its Tokyo day (stored_at is UTC; Japan
    # keeps no daylight saving, so a Tokyo day is UTC + 9 h)
    day = DAY.get(op.get_bind().dialect.name, DAY["postgresql"])
    op.execute(f"INSERT INTO statement_tally (day, verb_id, count) "
               f"SELECT {day}, verb_id, count(*) FROM statement GROUP BY 1, 2")


def downgrade():
    op.drop_table('statement_tally')
