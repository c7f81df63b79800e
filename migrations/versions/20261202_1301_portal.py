"""public portal: the matters sent through it (tracking code's look-up part and slow hash) and their messages

Revision ID: 1301_portal
Revises: 0900_audit_append_only_sqlite
Create Date: 2026-12-02 14:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1301_portal'
down_revision = '0900_audit_append_only_sqlite'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'portal_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('letter_type', sa.String(length=20), nullable=True),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('lookup', sa.String(length=8), nullable=False),
        sa.Column('secret_hash', sa.String(length=255), nullable=False),
        sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_dt', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('lookup'),
    )
    with op.batch_alter_table('portal_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_submissions_case_id'), ['case_id'], unique=False)
    op.create_table(
        'portal_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('incoming', sa.Boolean(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('file_name', sa.String(length=255), nullable=True),
        sa.Column('attachment_id', sa.Integer(), nullable=True),
        sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_dt', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id']),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['portal_submissions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('portal_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_messages_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index('ix_portal_messages_unread', ['case_id', 'incoming', 'read_dt'], unique=False)


def downgrade():
    with op.batch_alter_table('portal_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_portal_messages_unread')
        batch_op.drop_index(batch_op.f('ix_portal_messages_submission_id'))
    op.drop_table('portal_messages')
    with op.batch_alter_table('portal_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_submissions_case_id'))
    op.drop_table('portal_submissions')
