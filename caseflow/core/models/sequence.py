"""Gap-free named counters (case codes, document register numbers), safe under concurrency."""
from sqlalchemy import Integer, String, Table, bindparam, case, false, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from caseflow.core.models.base import Base


class Sequence(Base):
    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def next_value(session: Session, name: str) -> int:
    """Take the next number of `name` inside the caller's transaction.

    One statement (an upsert counting up, RETURNING the value): its write takes the row lock (PostgreSQL)
    or the write lock (SQLite), so concurrent callers queue up and a rolled-back transaction gives its
    number back: no gaps, no duplicates. Core on the session's connection: no ORM flush, no autoflush."""
    connection = session.connection()
    statement = _NEXT_VALUE["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    return connection.execute(statement, {"name": name}).scalar_one()


def _next_value_statement(insert):
    table = Sequence.__table__
    statement = insert(table).values(name=bindparam("name"), value=1)
    return statement.on_conflict_do_update(index_elements=["name"], set_={"value": table.c.value + 1}) \
        .returning(table.c.value)


#: built once per dialect (both upserts are the same SQL: INSERT ... ON CONFLICT (name) DO UPDATE)
_NEXT_VALUE = {"postgresql": _next_value_statement(pg_insert), "sqlite": _next_value_statement(sqlite_insert)}


def current_value(session: Session, name: str) -> int:
    return session.execute(select(Sequence.value).where(Sequence.name == name)).scalar_one_or_none() or 0


def raise_to(session: Session, name: str, value: int) -> None:
    """Make sure the next number of `name` comes after `value` (codes brought in by an import): one statement."""
    connection = session.connection()
    statement = _RAISE_TO["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    connection.execute(statement, {"name": name, "value": value})


def _raise_to_statement(insert):
    table = Sequence.__table__
    statement = insert(table).values(name=bindparam("name"), value=bindparam("value"))
    return statement.on_conflict_do_update(index_elements=["name"], set_={
        "value": case((table.c.value < statement.excluded.value, statement.excluded.value), else_=table.c.value)})


#: built once per dialect (an import raises the counter once per row)
_RAISE_TO = {"postgresql": _raise_to_statement(pg_insert), "sqlite": _raise_to_statement(sqlite_insert)}


def take_block(session: Session, name: str, count: int) -> int:
    """Take `count` consecutive numbers of `name` at once (an import's new codes): one statement, as
    next_value. Returns the first; the block is first .. first + count - 1."""
    connection = session.connection()
    statement = _TAKE_BLOCK["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    return connection.execute(statement, {"name": name, "count": count}).scalar_one() - count + 1


def _take_block_statement(insert):
    table = Sequence.__table__
    statement = insert(table).values(name=bindparam("name"), value=bindparam("count"))
    return statement.on_conflict_do_update(index_elements=["name"], set_={
        "value": table.c.value + statement.excluded.value}).returning(table.c.value)


_TAKE_BLOCK = {"postgresql": _take_block_statement(pg_insert), "sqlite": _take_block_statement(sqlite_insert)}


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` primary keys for rows this transaction is about to insert into `table` (integer `id`), so that
    what needs a row's id before it is written (an audit digest) has it, and the row is written once.

    PostgreSQL draws them from the column's own sequence (never handed out twice, whatever runs alongside).
    SQLite has one writer at a time: once this transaction holds the write lock (a write that changes
    nothing takes it), the ids after the table's largest are this transaction's until it ends; rows are
    never deleted from the tables this serves (cases: their events refer to them), so none is reused."""
    if count <= 0:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return list(connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": count}).scalars())
    connection.execute(_TAKE_WRITE_LOCK)
    top = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(top + 1, top + 1 + count))


#: a write that matches no row: on SQLite it takes the database's write lock for the transaction
_TAKE_WRITE_LOCK = update(Sequence.__table__).where(false()).values(value=Sequence.__table__.c.value)
