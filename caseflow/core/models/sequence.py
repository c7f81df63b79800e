"""Gap-free named counters (case codes, document register numbers), safe under concurrency."""
from sqlalchemy import Integer, String, bindparam, case, select
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
