"""`caseflow serve`, `caseflow doctor`, `caseflow backup DIR`, `caseflow restore DIR`."""
import click
from flask import current_app
from flask.cli import with_appcontext

from caseflow.cli_errors import fail


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default: 2 x CPU cores + 1, at most 8).")
@click.option("--timeout", default=120, show_default=True, type=click.IntRange(5, 3600),
              help="Seconds a request may take before its worker is restarted.")
@with_appcontext
def serve_command(host: str, port: int, workers: int | None, timeout: int):
    """Serve the app in production with gunicorn (`caseflow run` is the development server)."""
    from caseflow.ops.serve import default_workers, serve

    serve(current_app._get_current_object(), host, port, workers or default_workers(), timeout)


@click.command("doctor")
@with_appcontext
def doctor_command():
    """Check what the app needs to serve (the checks of /readyz); exit 1 when one fails."""
    from caseflow.ops.health import run_checks

    results = run_checks(current_app._get_current_object())
    width = max(len(r.name) for r in results)
    for r in results:
        click.echo(f"{'ok  ' if r.ok else 'FAIL'}  {r.name:<{width}}  {r.detail}")
    failing = [r.name for r in results if not r.ok]
    if failing:
        fail(f"failing: {', '.join(failing)}")
    click.echo("all checks passed")


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--keep", type=click.IntRange(1), help="Keep only the newest N backups in DIRECTORY.")
@with_appcontext
def backup_command(directory: str, keep: int | None):
    """Write a backup (database, stored files, audit chain heads, SHA-256 manifest) into a new folder of
    DIRECTORY."""
    from caseflow.ops.backup import BackupError, run_backup

    try:
        folder, deleted = run_backup(current_app._get_current_object(), directory, keep)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"backup written: {folder}")
    for old in deleted:
        click.echo(f"  removed old backup {old.name}")


@click.command("restore")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@with_appcontext
def restore_command(folder: str):
    """Restore a backup FOLDER (one caseflow-* folder) into an empty database and storage folder."""
    from caseflow.ops.backup import BackupError, restore

    try:
        summary = restore(current_app._get_current_object(), folder)
    except BackupError as exc:
        fail(str(exc))
    for problem in summary["problems"]:
        click.echo(f"BROKEN {problem}", err=True)
    if summary["problems"]:
        fail(f"restored, but the audit chains do not verify ({len(summary['problems'])} problem(s))")
    click.echo(f"restored {summary['cases']} cases, {summary['files']} files (schema {summary['revision']}); "
               "audit chains verified against the backup's heads")


COMMANDS = [serve_command, doctor_command, backup_command, restore_command]
