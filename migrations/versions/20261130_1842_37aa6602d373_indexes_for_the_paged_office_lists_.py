"""indexes for the paged office lists: users by name, registry order, reports by status

Revision ID: 37aa6602d373
Revises: 5b1e0c7d9a31
Create Date: 2026-11-30 18:42:21.341489

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '37aa6602d373'
down_revision = '5b1e0c7d9a31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_practice_report_status', 'practice_report', ['status'], unique=False)
    op.create_index('ix_user_name_id', 'user', ['name', 'id'], unique=False)
    op.create_index('ix_certificate_registry_order', 'certificate',
                    ['certified_on', 'number'], unique=False)


def downgrade():
    op.drop_index('ix_certificate_registry_order', table_name='certificate')
    op.drop_index('ix_user_name_id', table_name='user')
    op.drop_index('ix_practice_report_status', table_name='practice_report')
