"""case list order: index on cases (updated_dt, id), so the latest changes are read without sorting the table;
cases received per kind, period and unit counted from an index

Revision ID: 0800_case_list_index
Revises: 0400_inspection
Create Date: 2026-11-25 15:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0800_case_list_index'
down_revision = '0400_inspection'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_updated', ['updated_dt', 'id'], unique=False)
        batch_op.create_index('ix_cases_kind_received', ['kind', 'received_date', 'unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_kind_received')
        batch_op.drop_index('ix_cases_updated')
