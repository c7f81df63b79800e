"""`caseflow org sync` (apply organisation changes whose date has come) and
`caseflow procedures import-enterprises FILE` (the enterprise register, XLSX)."""
import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from caseflow.cli_errors import fail as _fail
from caseflow.core.clock import local_today
from caseflow.extensions import db


@click.group("org")
def org_group():
    """The organisation tree."""


@org_group.command("sync")
@click.option("--on", "day", help="Apply the tree as on this date (YYYY-MM-DD); default today.")
@with_appcontext
def org_sync(day: str | None):
    """Make every unit match its version in force (run daily: a merger entered ahead takes effect)."""
    from caseflow.union.org import sync_all

    try:
        when = date.fromisoformat(day) if day else local_today()
    except ValueError:
        _fail(f"not a date: {day!r} (expected YYYY-MM-DD)", 2)
    changed = sync_all(db.session, when)
    db.session.commit()
    click.echo(f"organisation tree as on {when.isoformat()}: {changed} unit(s) changed")


@org_group.command("merge")
@click.argument("code")
@click.option("--into", "into", required=True, help="Code of the unit that takes over (the successor).")
@click.option("--last-day", "last_day", required=True, help="The unit's last day (YYYY-MM-DD).")
@click.option("--basis", required=True, help="The decision that merges it, e.g. Nghị quyết 202/2025/QH15.")
@click.option("--user", "username", required=True, help="Who records the merger (audited on every case moved).")
@with_appcontext
def org_merge(code: str, into: str, last_day: str, basis: str, username: str):
    """Merge a unit into its successor: it closes, its cases move to the successor (each move audited) and
    reports can roll its figures up, while past figures stay with the unit as it was."""
    from sqlalchemy import select

    from caseflow.core.clock import now_and_today
    from caseflow.core.models import User
    from caseflow.union.org import OrgError, merge_into, unit_by_code

    unit, successor = unit_by_code(db.session, code), unit_by_code(db.session, into)
    actor = db.session.scalar(select(User).where(User.username == username))
    if unit is None or successor is None:
        _fail(f"no such unit: {code if unit is None else into}", 2)
    if actor is None:
        _fail(f"no such user: {username}", 2)
    try:
        last = date.fromisoformat(last_day)
    except ValueError:
        _fail(f"not a date: {last_day!r} (expected YYYY-MM-DD)", 2)
    try:
        moved = merge_into(db.session, unit, successor, last, actor, basis, now=now_and_today()[0])
    except OrgError as exc:
        db.session.rollback()
        _fail(str(exc), 2)
    db.session.commit()
    click.echo(f"{unit.code} merged into {successor.code} after {last.isoformat()}: {moved} case(s) moved")


@click.group("procedures")
def procedures_group():
    """The union's internal procedures."""


@procedures_group.command("import-enterprises")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def import_enterprises(path: str):
    """Import the enterprise register from an XLSX file (matched by tax code)."""
    from caseflow.union.enterprises import RegisterImportError, import_xlsx

    if not Path(path).is_file():
        _fail(f"no such file: {path}", 2)
    try:
        with open(path, "rb") as fh:
            result = import_xlsx(db.session, fh)
    except RegisterImportError as exc:
        db.session.rollback()
        _fail(str(exc), 2)
    db.session.commit()
    for message in result.errors:
        click.echo(message, err=True)
    click.echo(f"enterprises: {result.created} added, {result.updated} updated, {len(result.errors)} rows refused")
    if result.errors:
        sys.exit(1)


@click.command("import-members")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@click.option("--user", "username", required=True, help="Who imports (organiser, leader or admin on the unions).")
@click.option("--commit", is_flag=True, help="Write the members (all or none); without it, only the dry run.")
@with_appcontext
def import_members_command(path: str, username: str, commit: bool):
    """Import the union's membership list (XLSX/CSV) into the member register."""
    from caseflow.reports.imports.cli import run_import
    from caseflow.union.member_import import MemberImporter

    run_import(path, username, commit, "members",
               lambda actor, table, source: MemberImporter(db.session, actor, table, source=source))
