"""The member register (members, member_events), the admission cases' details and legal_aid_details.member_id: a matter's membership
verified against the register

SQLite adds the column in place (ADD COLUMN ... REFERENCES), as 1501 does: a batch copy of
legal_aid_details would rebuild the KPI's covering index for nothing.

Revision ID: 1502_members
Revises: 1101_outbox_jobs
Create Date: 2026-12-02 15:02:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '1502_members'
down_revision = '1101_outbox_jobs'
branch_labels = None
depends_on = None

FK = 'fk_legal_aid_details_member_id_members'
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table(
        'members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('full_name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('citizen_id', sa.String(length=12), nullable=False),
        sa.Column('grassroots_unit_id', sa.Integer(), nullable=False),
        sa.Column('admitted_date', sa.Date(), nullable=False),
        sa.Column('card_number', sa.String(length=30), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('admission_case_id', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=255), nullable=False),
        sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['admission_case_id'], ['cases.id'], name=op.f('fk_members_admission_case_id_cases')),
        sa.ForeignKeyConstraint(['grassroots_unit_id'], ['units.id'], name=op.f('fk_members_grassroots_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
        sa.UniqueConstraint('admission_case_id', name=op.f('uq_members_admission_case_id')),
        sa.UniqueConstraint('card_number', name=op.f('uq_members_card_number')),
        sa.UniqueConstraint('citizen_id', name=op.f('uq_members_citizen_id')),
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_admitted_date'), ['admitted_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_grassroots_unit_id'), ['grassroots_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_name_key'), ['name_key'], unique=False)
    op.create_table(
        'member_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=255), nullable=False),
        sa.Column('detail', JSON, nullable=False),
        sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_member_events_actor_id_users')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_events_member_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_events')),
    )
    with op.batch_alter_table('member_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_events_member_id'), ['member_id'], unique=False)
    op.create_table(
        'member_admission_details',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('applicant_name', sa.String(length=200), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('citizen_id', sa.String(length=12), nullable=False),
        sa.Column('workplace', sa.String(length=255), nullable=True),
        sa.Column('decision_number', sa.String(length=60), nullable=True),
        sa.Column('decision_date', sa.Date(), nullable=True),
        sa.Column('card_number', sa.String(length=30), nullable=True),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_member_admission_details_case_id_cases'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_member_admission_details_member_id_members')),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_member_admission_details')),
    )
    with op.batch_alter_table('member_admission_details', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_admission_details_citizen_id'), ['citizen_id'], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE legal_aid_details ADD COLUMN member_id INTEGER CONSTRAINT {FK} "
                   "REFERENCES members (id)")
    else:
        op.add_column('legal_aid_details', sa.Column('member_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK, 'legal_aid_details', 'members', ['member_id'], ['id'])
    op.create_index('ix_legal_aid_details_member_id', 'legal_aid_details', ['member_id'], unique=False)


def downgrade():
    op.drop_index('ix_legal_aid_details_member_id', table_name='legal_aid_details')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(FK, 'legal_aid_details', type_='foreignkey')
    op.drop_column('legal_aid_details', 'member_id')
    op.drop_table('member_admission_details')
    op.drop_table('member_events')
    op.drop_table('members')
