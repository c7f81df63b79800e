"""outbox_messages (the e-mail outbox) and job_runs (periodic jobs: one run per job and slot)

Revision ID: 1101_outbox_jobs
Revises: 1501_unit_successor
Create Date: 2026-12-02 11:01:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1101_outbox_jobs'
down_revision = '1501_unit_successor'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recipient', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lease_until_dt', sa.DateTime(timezone=True), nullable=True),
        sa.Column('claim_token', sa.String(length=32), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_dt', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    )
    op.create_index('ix_outbox_messages_status_next', 'outbox_messages', ['status', 'next_attempt_dt'])
    op.create_table(
        'job_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=60), nullable=False),
        sa.Column('slot_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('worker', sa.String(length=120), nullable=False),
        sa.Column('started_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_dt', sa.DateTime(timezone=True), nullable=True),
        sa.Column('result', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
        sa.UniqueConstraint('job', 'slot_dt', name=op.f('uq_job_runs_job_slot_dt')),
    )


def downgrade():
    op.drop_table('job_runs')
    op.drop_index('ix_outbox_messages_status_next', table_name='outbox_messages')
    op.drop_table('outbox_messages')
