"""`caseflow import-register FILE --user NAME [--commit]`: the register import from the command line,
dry run by default, with a progress line while committing (10,000 rows take a while)."""
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from caseflow.extensions import db


@click.command("import-register")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@click.option("--user", "username", required=True, help="Who imports (needs leader or legal_officer on the units).")
@click.option("--commit", is_flag=True, help="Write the cases (all or none); without it, only the dry run.")
def import_register_command(path: str, username: str, commit: bool):
    """Import the legal-aid centre's case register (XLSX/CSV), columns mapped from their names."""
    _run(path, username, commit)


@with_appcontext
def _run(path: str, username: str, commit: bool):
    from caseflow.core.models import User
    from caseflow.reports.imports.legal_aid import Importer, guess_mapping
    from caseflow.reports.imports.reader import UnreadableFile, read_table

    actor = db.session.scalar(select(User).where(User.username == username))
    if actor is None:
        click.echo(f"error: no user {username}", err=True)
        sys.exit(2)
    try:
        table = read_table(path, Path(path).read_bytes())
    except UnreadableFile as exc:
        click.echo(f"error: cannot read {path}: {exc}", err=True)
        sys.exit(2)
    importer = Importer(db.session, actor, table, guess_mapping(table.headers), source=Path(path).name)

    def progress(done: int, total: int) -> None:
        click.echo(f"\r{done:,}/{total:,} ({100 * done // total}%)", nl=done == total)

    result = importer.commit(progress) if commit else importer.check()
    for error in result.errors:
        click.echo(f"dòng {error.row}, cột “{error.column}”: {error.reason}")
    if result.errors:
        click.echo(f"error: {len(result.errors)} errors; nothing written", err=True)
        sys.exit(1)
    click.echo(f"{result.imported:,} cases imported" if commit else f"dry run: all {result.total:,} rows valid")
