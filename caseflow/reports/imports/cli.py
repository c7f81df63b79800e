"""`caseflow import-register FILE --user NAME [--commit]`: the register import from the command line,
dry run by default, with a progress bar on the terminal (10,000 rows take a while)."""
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from caseflow.cli_errors import fail
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
    from caseflow.reports.imports.legal_aid import Importer, guess_mapping

    run_import(path, username, commit, "cases",
               lambda actor, table, source: Importer(db.session, actor, table, guess_mapping(table.headers),
                                                     source=source))


def run_import(path: str, username: str, commit: bool, noun: str, make_importer) -> None:
    """A file import from the command line (the register, a membership list): the importing user, the file
    read, a dry run listing every row's errors, or the all-or-nothing commit, each with a progress bar;
    `make_importer(actor, table, source)` builds the importer, whose check() and commit() do the work."""
    from caseflow.core.models import User
    from caseflow.reports.imports.reader import UnreadableFile, read_table

    actor = db.session.scalar(select(User).where(User.username == username))
    if actor is None:
        fail(f"no user {username}", 2)
    try:
        table = read_table(path, Path(path).read_bytes())
    except UnreadableFile as exc:
        fail(f"cannot read {path}: {exc}", 2)
    importer = make_importer(actor, table, Path(path).name)

    total = len(table.rows)
    # click's bar draws itself on a terminal only; the closing line says the same in a log or a pipe
    with click.progressbar(length=total, label="importing" if commit else "checking", show_pos=True,
                           file=sys.stderr) as bar:
        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.pos)

        result = importer.commit(progress) if commit else importer.check(progress)
    if total and not result.errors:
        click.echo(f"{total:,}/{total:,} (100%)")
    for error in result.errors:
        click.echo(f"dòng {error.row}, cột “{error.column}”: {error.reason}")
    if result.errors:
        fail(f"{len(result.errors)} errors; nothing written", 1)
    click.echo(f"{result.imported:,} {noun} imported" if commit else f"dry run: all {result.total:,} rows valid")
