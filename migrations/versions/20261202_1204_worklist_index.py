"""home page at 200,000 cases (issue 12): the waiting cases of one workflow read the oldest first from an
index (workflow, closed_dt, received_date, id), so a group's LIMIT-ed page and its capped count stop early

An index only (op.create_index, no batch copy of cases: SQLite would drop 1701's and 1202's triggers).

Revision ID: 1204_worklist_index
Revises: 1702_totp_last_step
Create Date: 2026-12-02 23:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '1204_worklist_index'
down_revision = '1702_totp_last_step'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cases_workflow_open', 'cases', ['workflow', 'closed_dt', 'received_date', 'id'])


def downgrade():
    op.drop_index('ix_cases_workflow_open', table_name='cases')
