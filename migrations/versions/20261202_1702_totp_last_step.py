"""users.totp_last_step: the time step of the TOTP code last accepted, so that a code cannot be used twice
within its window (RFC 6238, section 5.2: a verifier must not accept the second attempt of the same OTP)

On SQLite added in place (ADD COLUMN): a batch copy of `users` would drop a table every case, event and role
row refers to.

Revision ID: 1702_totp_last_step
Revises: 1202_case_list_indexes
Create Date: 2026-12-02 22:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1702_totp_last_step'
down_revision = '1202_case_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users ADD COLUMN totp_last_step BIGINT")
    else:
        op.add_column('users', sa.Column('totp_last_step', sa.BigInteger(), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN totp_last_step")
    else:
        op.drop_column('users', 'totp_last_step')
