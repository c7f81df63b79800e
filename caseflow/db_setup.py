"""Per-connection database settings: SQLite gets WAL, foreign keys and a busy timeout; PostgreSQL runs
without JIT compilation."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _postgresql_settings(dbapi_connection, _record) -> None:
    """JIT off: the need-to-know clause's subplans give the list's queries estimated costs above
    jit_above_cost, and compiling them (~25 ms at 200,000 cases, issue 12) cost ten times their run (a
    capped count of 1,001 rows runs in ~3 ms). Short OLTP statements never repay a JIT."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()  # psycopg opens a transaction for the SET; the pool hands out an idle connection


def install_connection_pragmas(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
        event.listen(engine, "connect", _sqlite_pragmas)
    if engine.dialect.name == "postgresql" and not event.contains(engine, "connect", _postgresql_settings):
        event.listen(engine, "connect", _postgresql_settings)
