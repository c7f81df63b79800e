"""case_events append-only on SQLite too: triggers refuse UPDATE and DELETE (PostgreSQL has its own since 0001)

SQLite drops a table's triggers with the table, so a later batch_alter_table('case_events') (which copies the
table and drops the old one) must create these two again.

Revision ID: 0900_audit_append_only_sqlite
Revises: 0500_documents
Create Date: 2026-12-02 09:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0900_audit_append_only_sqlite'
down_revision = '0500_documents'
branch_labels = None
depends_on = None

TRIGGERS = {"case_events_no_update": "UPDATE", "case_events_no_delete": "DELETE"}


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    # The audit trail is append-only (DESIGN.md): the database itself refuses rewrites, with the same
    # message as PostgreSQL's case_events_append_only().
    for name, statement in TRIGGERS.items():
        op.execute(f"""
            CREATE TRIGGER {name} BEFORE {statement} ON case_events
            BEGIN
                SELECT RAISE(ABORT, 'case_events is append-only');
            END
        """)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
