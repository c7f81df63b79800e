"""deadlines: rule snapshot, pauses and extensions on each deadline; calendar overrides; admin-set
values of [R]/[U] rules; in-app notifications (unique per deadline, user and kind: the sweep is idempotent)

Revision ID: 0300_deadlines
Revises: 0001
Create Date: 2026-11-25 12:21:45.379736

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0300_deadlines'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('notice', sa.String(length=255), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calendar_overrides_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_overrides')),
    sa.UniqueConstraint('day_date', name=op.f('uq_calendar_overrides_day_date'))
    )
    op.create_table('deadline_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('effective_from_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_deadline_settings_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_settings')),
    sa.UniqueConstraint('key', 'effective_from_date', name=op.f('uq_deadline_settings_key_effective_from_date'))
    )
    with op.batch_alter_table('deadline_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_settings_key'), ['key'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('deadline_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_dt', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notifications_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_notifications_deadline_id_deadlines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('deadline_id', 'user_id', 'kind', name=op.f('uq_notifications_deadline_id_user_id_kind'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_dt'], unique=False)

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='limit'))
        batch_op.add_column(sa.Column('variant', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('extensions', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('extension_days', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('pauses', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('met_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('breached_dt', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_deadlines_breached_dt'), ['breached_dt'], unique=False)



def downgrade():
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadlines_breached_dt'))
        batch_op.drop_column('breached_dt')
        batch_op.drop_column('met_date')
        batch_op.drop_column('pauses')
        batch_op.drop_column('extension_days')
        batch_op.drop_column('extensions')
        batch_op.drop_column('variant')
        batch_op.drop_column('kind')
        batch_op.drop_column('rule')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index(batch_op.f('ix_notifications_case_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('deadline_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_settings_key'))

    op.drop_table('deadline_settings')
    op.drop_table('calendar_overrides')
