"""background_jobs: users' long work run by a worker (batch PDFs, register imports, large exports), with its
progress, cancel request, heartbeat and result file

Revision ID: 1102_background_jobs
Revises: 1701_accounts_security
Create Date: 2026-12-02 22:00:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '1102_background_jobs'
down_revision = '1701_accounts_security'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table(
        'background_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('params', JSON, nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('errors_count', sa.Integer(), nullable=False),
        sa.Column('errors_sample', JSON, nullable=False),
        sa.Column('cancel_requested', sa.Boolean(), nullable=False),
        sa.Column('heartbeat_dt', sa.DateTime(timezone=True), nullable=True),
        sa.Column('worker', sa.String(length=120), nullable=True),
        sa.Column('result_path', sa.String(length=500), nullable=True),
        sa.Column('result_name', sa.String(length=255), nullable=True),
        sa.Column('result_mime', sa.String(length=120), nullable=True),
        sa.Column('summary', sa.Text(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_dt', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_dt', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_background_jobs_owner_id_users')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_background_jobs_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_background_jobs')),
    )
    op.create_index('ix_background_jobs_owner_created', 'background_jobs', ['owner_id', 'created_dt'])
    op.create_index('ix_background_jobs_status', 'background_jobs', ['status'])


def downgrade():
    op.drop_index('ix_background_jobs_status', table_name='background_jobs')
    op.drop_index('ix_background_jobs_owner_created', table_name='background_jobs')
    op.drop_table('background_jobs')
