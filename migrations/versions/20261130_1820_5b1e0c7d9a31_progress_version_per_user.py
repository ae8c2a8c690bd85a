"""progress version per user: pages cache what they derive from a trainee's progress under it

Revision ID: 5b1e0c7d9a31
Revises: 3b7e1d2c9a40
Create Date: 2026-11-30 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d9a31'
down_revision = '3b7e1d2c9a40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_version', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('progress_version')
