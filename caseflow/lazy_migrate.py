"""Flask-Migrate bound on first use: importing it pulls in Alembic (a third of the CLI's start-up), which a
worker serving pages, `caseflow --help` or `caseflow workflows check` never needs."""
from __future__ import annotations

from typing import Any

import click
from flask import Flask


class _PendingConfig:
    """Stands in `app.extensions["migrate"]` until flask_migrate reads it (upgrade(), `caseflow db ...`):
    the first attribute asked for binds the real Migrate and answers from its config."""

    def __init__(self, owner: LazyMigrate, app: Flask, db: Any, kwargs: dict) -> None:
        self._owner, self._app, self._db, self._kwargs = owner, app, db, kwargs

    def __getattr__(self, name: str) -> Any:
        return getattr(self._owner.bind(self._app, self._db, self._kwargs), name)


class _LazyDbGroup(click.Group):
    """`caseflow db ...`: Flask-Migrate's own group, imported when a db command is listed or run."""

    def _real(self) -> click.Group:
        from flask_migrate.cli import db as db_cli_group

        return db_cli_group

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._real().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        return self._real().invoke(ctx)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return self._real().get_params(ctx)


#: the one `caseflow db` group (the app's cli and the `caseflow` command's table name the same object)
DB_GROUP = _LazyDbGroup("db", help="Database migrations (Flask-Migrate / Alembic).")


class LazyMigrate:
    """The subset of flask_migrate.Migrate the app uses: init_app(app, db, directory=..., **kwargs)."""

    def init_app(self, app: Flask, db: Any, **kwargs: Any) -> None:
        app.extensions["migrate"] = _PendingConfig(self, app, db, kwargs)
        app.cli.add_command(DB_GROUP)

    def bind(self, app: Flask, db: Any, kwargs: dict) -> Any:
        from flask_migrate import Migrate

        Migrate().init_app(app, db, **kwargs)  # replaces app.extensions["migrate"] and the db group with the real ones
        return app.extensions["migrate"]
