"""Accounts and audit hardening (issue 17): a case's state changes only with its audit event (a trigger on
SQLite and PostgreSQL), the admin audit log (its own HMAC chain), login lockout and TOTP columns on users

SQLite drops a table's triggers with the table: a later batch_alter_table('cases') (which copies the table)
must create cases_state_needs_event again.

Revision ID: 1701_accounts_security
Revises: 1502_members
Create Date: 2026-12-02 17:01:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '1701_accounts_security'
down_revision = '1502_members'
branch_labels = None
depends_on = None

#: A case's state moves only with its audit event (issue 17, defect 5). The engine appends the event and moves
#: the chain head (audit_seq, audit_head) on the case row in the same transaction; events are append-only and
#: unique per (case, seq), so a head moved onto an event whose destination is the new state means that event is
#: this transaction's own.
#: PostgreSQL checks it when the transaction commits (a deferred constraint trigger): the state then written
#: must sit on a head that moved onto its event. Checked per statement it would refuse the engine's own
#: writes: a listener opening a draft flushes the session, writing the new state one statement before the
#: head. SQLite has no deferred triggers, so it checks per statement what every write of the engine carries:
#: a state change bumps the optimistic-lock version, and a head that moves lands on an event whose destination
#: is the case's state. A bare `UPDATE cases SET state=...` is refused on both; a writer who also forges the
#: version on SQLite is caught by `caseflow audit verify`, which compares each case with its last event.
PG_CONDITION = ("cur.audit_seq > OLD.audit_seq AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cur.id "
                "AND e.seq = cur.audit_seq AND e.hash = cur.audit_head AND e.to_state = cur.state)")
SQLITE_HEAD_ON_EVENT = ("EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = NEW.id AND e.seq = NEW.audit_seq "
                        "AND e.hash = NEW.audit_head AND e.to_state = NEW.state)")
MESSAGE = "cases.state changes only with its audit event"
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
#: users' new columns; on SQLite added in place (ADD COLUMN): a batch copy of `users` would drop a table
#: every case, event and role row refers to
USER_COLUMNS = (("failed_logins", "INTEGER NOT NULL DEFAULT 0"), ("locked_dt", "DATETIME"),
                ("totp_secret", "VARCHAR(64)"), ("recovery_codes", "JSON"))


def upgrade():
    op.create_table(
        'admin_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('subject_user_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('payload', JSON, nullable=False),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_admin_events_actor_id_users')),
        sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'],
                                name=op.f('fk_admin_events_subject_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_events')),
        sa.UniqueConstraint('seq', name=op.f('uq_admin_events_seq')),
    )
    op.create_index(op.f('ix_admin_events_subject_user_id'), 'admin_events', ['subject_user_id'])
    if op.get_bind().dialect.name == "sqlite":
        for name, ddl in USER_COLUMNS:
            op.execute(f"ALTER TABLE users ADD COLUMN {name} {ddl}")
    else:
        op.add_column('users', sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        op.add_column('users', sa.Column('locked_dt', sa.DateTime(timezone=True), nullable=True))
        op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
        op.add_column('users', sa.Column('recovery_codes', JSON, nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"""
            CREATE TRIGGER cases_state_needs_event BEFORE UPDATE OF state ON cases
            WHEN NEW.state IS NOT OLD.state AND NOT (NEW.version > OLD.version
                AND (NEW.audit_seq = OLD.audit_seq OR {SQLITE_HEAD_ON_EVENT}))
            BEGIN
                SELECT RAISE(ABORT, '{MESSAGE}');
            END
        """)
        op.execute(f"""
            CREATE TRIGGER cases_head_on_event BEFORE UPDATE OF audit_seq ON cases
            WHEN NEW.audit_seq IS NOT OLD.audit_seq AND NOT ({SQLITE_HEAD_ON_EVENT})
            BEGIN
                SELECT RAISE(ABORT, '{MESSAGE}');
            END
        """)
        for name, statement in (("admin_events_no_update", "UPDATE"), ("admin_events_no_delete", "DELETE")):
            op.execute(f"CREATE TRIGGER {name} BEFORE {statement} ON admin_events "
                       f"BEGIN SELECT RAISE(ABORT, 'admin_events is append-only'); END")
        return
    op.execute(f"""
        CREATE FUNCTION cases_state_needs_event() RETURNS trigger AS $$
        DECLARE cur cases%ROWTYPE;
        BEGIN
            SELECT * INTO cur FROM cases WHERE id = NEW.id;
            IF FOUND AND cur.state IS DISTINCT FROM OLD.state AND NOT ({PG_CONDITION}) THEN
                RAISE EXCEPTION '{MESSAGE}';
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql
    """)
    op.execute("CREATE CONSTRAINT TRIGGER cases_state_needs_event AFTER UPDATE OF state ON cases "
               "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cases_state_needs_event()")
    op.execute("""
        CREATE FUNCTION admin_events_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'admin_events is append-only';
        END $$ LANGUAGE plpgsql
    """)
    op.execute("CREATE TRIGGER admin_events_append_only BEFORE UPDATE OR DELETE ON admin_events "
               "FOR EACH ROW EXECUTE FUNCTION admin_events_append_only()")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("cases_state_needs_event", "cases_head_on_event", "admin_events_no_update", "admin_events_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS admin_events_append_only ON admin_events")
        op.execute("DROP FUNCTION IF EXISTS admin_events_append_only()")
        op.execute("DROP TRIGGER IF EXISTS cases_state_needs_event ON cases")
        op.execute("DROP FUNCTION IF EXISTS cases_state_needs_event()")
    for name, _ddl in reversed(USER_COLUMNS):
        op.drop_column('users', name)  # SQLite >= 3.35 drops a column in place
    op.drop_index(op.f('ix_admin_events_subject_user_id'), table_name='admin_events')
    op.drop_table('admin_events')
