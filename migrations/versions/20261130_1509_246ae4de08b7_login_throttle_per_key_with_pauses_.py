"""login throttle per key with pauses; session version

Revision ID: 246ae4de08b7
Revises: 2a4499eb66d1
Create Date: 2026-11-30 15:09:34.191069

"""
from alembic import op
import sqlalchemy as sa

import lms.timeutil


# revision identifiers, used by Alembic.
revision = '246ae4de08b7'
down_revision = '2a4499eb66d1'
branch_labels = None
depends_on = None


def upgrade():
    # Failed-login counts are short-lived: the table is rebuilt keyed by "email:", "ip:" or
    # "reset:" keys rather than converted.
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', lms.timeutil.UTCDateTime(), nullable=True),
    sa.Column('blocked_until', lms.timeutil.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
    op.drop_table('login_throttle')
    op.create_table('login_throttle',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', lms.timeutil.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_login_throttle'))
    )
