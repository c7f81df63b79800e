"""case list at 200,000 cases (issue 12): the filters read in the list's order (state, kind, assignee, each
with updated_dt, id), the workflow index the need-to-know clause narrows by, and the diacritic-free search
through a trigram index of cases.search_text (PostgreSQL: pg_trgm GIN; SQLite: an FTS5 trigram table over
cases, kept by triggers)

Indexes only (op.create_index / op.drop_index, no batch copy of cases): SQLite would drop 1701's triggers with
a copied table. The single-column indexes on kind, state and assignee_id are replaced by the composite ones
that start with the same column. A later batch_alter_table('cases') on SQLite drops the cases_search_*
triggers as it drops 1701's: it must create them again (SQLITE_UP[2:]) and rebuild the index
("INSERT INTO cases_search(cases_search) VALUES ('rebuild')"). The trigram tokenizer needs SQLite >= 3.34
(Debian 12 ships 3.40).

Revision ID: 1202_case_list_indexes
Revises: 1102_background_jobs
Create Date: 2026-12-02 22:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '1202_case_list_indexes'
down_revision = '1102_background_jobs'
branch_labels = None
depends_on = None

#: (name, columns) of the new B-tree indexes on cases
COMPOSITE = (('ix_cases_state_updated', ['state', 'updated_dt', 'id']),
             ('ix_cases_kind_updated', ['kind', 'updated_dt', 'id']),
             ('ix_cases_assignee_updated', ['assignee_id', 'updated_dt', 'id']),
             ('ix_cases_workflow_updated', ['workflow', 'updated_dt', 'id']))
#: the single-column indexes the composite ones make redundant
REPLACED = (('ix_cases_state', ['state']), ('ix_cases_kind', ['kind']), ('ix_cases_assignee_id', ['assignee_id']))

#: SQLite: an external-content FTS5 table (the text stays in cases; the table holds only the trigram index)
SQLITE_UP = (
    ("CREATE VIRTUAL TABLE cases_search USING fts5(search_text, content='cases', content_rowid='id', "
    "tokenize='trigram')"),
    "INSERT INTO cases_search(cases_search) VALUES ('rebuild')",
    ("CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END"),
    ("CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"),
    ("CREATE TRIGGER cases_search_update AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO cases_search(rowid, search_text) VALUES (new.id, new.search_text); END"),
)
SQLITE_DOWN = ("DROP TRIGGER IF EXISTS cases_search_update", "DROP TRIGGER IF EXISTS cases_search_delete",
               "DROP TRIGGER IF EXISTS cases_search_insert", "DROP TABLE IF EXISTS cases_search")


def upgrade():
    for name, columns in REPLACED:
        op.drop_index(name, table_name='cases')
    for name, columns in COMPOSITE:
        op.create_index(name, 'cases', columns, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    # pg_trgm is a trusted extension (PostgreSQL >= 13): the database owner may create it
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_cases_search_trgm ON cases USING gin (search_text gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_cases_search_trgm")
    for name, columns in COMPOSITE:
        op.drop_index(name, table_name='cases')
    for name, columns in REPLACED:
        op.create_index(name, 'cases', columns, unique=False)
