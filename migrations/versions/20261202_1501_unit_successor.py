"""units.successor_id: the unit that took over a closed unit's work (the 2025 merger), for KPI roll-ups

SQLite adds the column in place (ADD COLUMN ... REFERENCES): a batch copy of `units` would have to drop a
table every case row refers to.

Revision ID: 1501_unit_successor
Revises: 1301_portal
Create Date: 2026-12-02 15:01:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1501_unit_successor'
down_revision = '1301_portal'
branch_labels = None
depends_on = None

FK = 'fk_units_successor_id_units'


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE units ADD COLUMN successor_id INTEGER CONSTRAINT {FK} REFERENCES units (id)")
        return
    op.add_column('units', sa.Column('successor_id', sa.Integer(), nullable=True))
    op.create_foreign_key(FK, 'units', 'units', ['successor_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(FK, 'units', type_='foreignkey')
    op.drop_column('units', 'successor_id')
