"""Readiness checks, run by `/readyz` and by `caseflow doctor` alike: each is a small function of the app that
returns a short detail when the part works and raises CheckFailed saying what is wrong when it does not.
Details never carry a password, a path of the host or personal data (`/readyz` answers anyone)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError


class CheckFailed(Exception):
    """The part checked does not work; the message says how, for an operator."""


def _sqlite_file(app: Flask) -> Path | None:
    """The SQLite database file, or None on another database or an in-memory one."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def check_database(app: Flask) -> str:
    from caseflow.extensions import db

    sqlite_file = _sqlite_file(app)
    # connecting to a missing SQLite file would create an empty database: a deleted file is "gone", not "empty"
    if sqlite_file is not None and not sqlite_file.is_file():
        raise CheckFailed("the SQLite database file does not exist")
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:  # any driver error: the database cannot be reached
        raise CheckFailed(f"cannot connect: {type(exc).__name__}") from None
    return db.engine.url.get_backend_name()


def check_migrations(app: Flask) -> str:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from caseflow.extensions import db
    from caseflow.resources import resource_dir

    heads = set(ScriptDirectory(str(resource_dir("migrations"))).get_heads())
    sqlite_file = _sqlite_file(app)
    if sqlite_file is not None and not sqlite_file.is_file():
        raise CheckFailed("no database to read the schema version from")
    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except (SQLAlchemyError, OSError) as exc:
        raise CheckFailed(f"cannot read the schema version: {type(exc).__name__}") from None
    if current != heads:
        found = ", ".join(sorted(current)) or "none"
        raise CheckFailed(f"schema at {found}, code expects {', '.join(sorted(heads))}: run `caseflow init`")
    return ", ".join(sorted(heads))


def check_fonts(_app: Flask) -> str:
    from caseflow.documents import fonts
    from caseflow.documents.errors import FontsMissing

    try:
        found = fonts.font_files()
    except FontsMissing as exc:
        raise CheckFailed(str(exc)) from None
    return f"{len(found)} font files ({fonts.PRIMARY})"


def check_storage(app: Flask) -> str:
    """The storage folder takes a new file: attachments and issued PDFs are written there."""
    folder = Path(app.config["STORAGE_DIR"])
    probe = folder / f".readyz-{uuid.uuid4().hex}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise CheckFailed(f"the storage folder is not writable: {exc.strerror or type(exc).__name__}") from None
    free = os.statvfs(folder)
    return f"{free.f_bavail * free.f_frsize // (1024 * 1024)} MB free"


def check_queue(app: Flask) -> str:
    """The job queue's storage answers (the SQLite file or Redis): the workers get the outbox's mail."""
    from caseflow.jobs.queue import queue_reachable

    ok, detail = queue_reachable(app)
    if not ok:
        raise CheckFailed(f"the job queue is not reachable: {detail}")
    return detail


#: (name, check) in the order they are shown; other parts append theirs
CHECKS: list[tuple[str, Callable[[Flask], str]]] = [
    ("database", check_database),
    ("migrations", check_migrations),
    ("fonts", check_fonts),
    ("storage", check_storage),
    ("queue", check_queue),
]


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    detail: str


def run_checks(app: Flask) -> list[Result]:
    """Every check, each in its own try: one failing part never hides the state of the others."""
    results = []
    for name, check in CHECKS:
        try:
            results.append(Result(name, True, check(app)))
        except CheckFailed as exc:
            results.append(Result(name, False, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a check that breaks is a failing check, never a 500 from /readyz
            results.append(Result(name, False, f"check raised {type(exc).__name__}"))
    return results
