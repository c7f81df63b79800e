"""`caseflow ...` (or `flask --app caseflow ...`): init, seed-demo, create-user, workflows, audit."""
import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from caseflow.cli_errors import fail as _fail
from caseflow.extensions import db


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database schema (Alembic migrations)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("database ready: " + db.engine.url.render_as_string(hide_password=True))


@click.command("seed-demo")
@click.option("--cases", default=40, show_default=True, help="How many legal-aid cases to create.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for repeatable demo data.")
@with_appcontext
def seed_demo_command(cases: int, seed: int):
    """Demo data: units of Bình Định, one user per role, legal-aid cases made through the engine."""
    from caseflow.demo import DEMO_PASSWORD, DEMO_TOTP_ROLES, demo_totp_secret, seed_demo

    summary = seed_demo(db.session, cases=cases, seed=seed)
    if summary is None:
        click.echo("demo data already present; nothing done")
        return
    click.echo(f"demo data: {summary['units']} units, {len(summary['users'])} users, {summary['cases']} cases")
    for username, role in summary["users"]:
        click.echo(f"  login {username:<10} password {DEMO_PASSWORD}  ({role})")
        if role in DEMO_TOTP_ROLES:
            click.echo(f"    then a TOTP code: key {demo_totp_secret(username)} in an authenticator app, "
                       f"or `caseflow totp-code {username}`")


@click.command("totp-code")
@click.argument("username")
@with_appcontext
def totp_code_command(username: str):
    """A TOTP code of USERNAME not used yet (for the demo and an operator at the console, who holds the
    database anyway)."""
    from sqlalchemy import select

    from caseflow.core.models import User
    from caseflow.web.twofactor import unused_code

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.totp_secret:
        _fail(f"no two-factor secret for '{username}'")
    click.echo(unused_code(user.totp_secret, user.totp_last_step))


@click.command("create-user")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, in Vietnamese with diacritics.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True, help="role@UNIT_CODE, e.g. legal_officer@LĐLĐ-BĐ (repeatable).")
@with_appcontext
def create_user_command(username: str, full_name: str, password: str, roles: tuple[str, ...]):
    """Create a user with roles on units."""
    from caseflow.core.accounts import AccountError, create_user

    try:
        user = create_user(db.session, username, full_name, password, roles)
    except AccountError as exc:
        _fail(str(exc), 2)
    click.echo(f"user {user.username} created (id {user.id})")


#: app.extensions key: checks features add to `workflows check`, each fn(definition) -> [DefinitionError, ...]
WORKFLOW_CHECKS = "caseflow.workflow_checks"


def add_workflow_check(app: Flask, check) -> None:
    app.extensions.setdefault(WORKFLOW_CHECKS, []).append(check)


@click.group("workflows")
def workflows_group():
    """Workflow definitions."""


@workflows_group.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Definitions folder to check.")
@with_appcontext
def workflows_check(directory: str | None):
    """Load and validate every definition; exit 1 naming the file and item of the first error."""
    from caseflow.core.engine import current_engine
    from caseflow.core.engine.errors import DefinitionError
    from caseflow.core.engine.registry import Registry

    try:
        registry = Registry.from_directory(directory or current_app.config["WORKFLOWS_DIR"], current_engine().hooks)
    except DefinitionError as exc:
        _fail(str(exc))
    # what features add: checks a definition that loads may still fail (e.g. a step the handbook cannot describe)
    problems = [str(problem) for check in current_app.extensions.get(WORKFLOW_CHECKS, ())
                for d in sorted(registry, key=lambda d: (d.name, d.version)) for problem in check(d)]
    for problem in problems[:-1]:
        click.echo(f"error: {problem}", err=True)
    if problems:
        _fail(problems[-1])
    for d in sorted(registry, key=lambda d: (d.name, d.version)):
        click.echo(f"ok  {d.source_file}: {d.name} v{d.version}, {len(d.states)} states, "
                   f"{len(d.transitions)} transitions")
    problems = registry.problems()
    for problem in problems[:-1]:
        click.echo(f"error: {problem}", err=True)
    if problems:
        _fail(problems[-1])


#: the admin log's head in a heads export (no case code has this shape)
ADMIN_LOG_KEY = "__admin_log__"


@click.group("audit")
def audit_group():
    """The hash-chained audit trail."""


@audit_group.command("verify")
@click.option("--heads", type=click.Path(dir_okay=False, exists=True),
              help="A chain-heads export to compare with (detects deleted newest events).")
@with_appcontext
def audit_verify(heads: str | None):
    """Recompute every case's chain; exit 1 on any break."""
    from caseflow.core import adminlog
    from caseflow.core.engine.audit import chain_heads, compare_heads, verify_all

    key = current_app.config["AUDIT_HMAC_KEY"].encode()
    checked, problems = verify_all(db.session, key)
    entries, admin_problems = adminlog.verify(db.session, key)
    problems.extend(admin_problems)
    if heads:
        saved = json.loads(Path(heads).read_text(encoding="utf-8"))
        admin_head = saved.pop(ADMIN_LOG_KEY, None)
        problems.extend(compare_heads(saved, chain_heads(db.session)))
        if admin_head and adminlog.head(db.session)["seq"] < admin_head["seq"]:
            problems.append(f"admin log shorter than the exported head ({adminlog.head(db.session)['seq']} < "
                            f"{admin_head['seq']})")
    for p in problems:
        click.echo(f"BROKEN {p}", err=True)
    if problems:
        _fail(f"{len(problems)} problem(s) in {checked} case chains")
    click.echo(f"audit ok: {checked} case chains verified, admin log of {entries} entries verified")


@audit_group.command("export-heads")
@click.argument("output", type=click.Path(dir_okay=False))
@with_appcontext
def audit_export_heads(output: str):
    """Write every case's chain head to OUTPUT (keep it outside the database)."""
    from caseflow.core import adminlog
    from caseflow.core.engine.audit import chain_heads

    heads = {**chain_heads(db.session), ADMIN_LOG_KEY: adminlog.head(db.session)}
    Path(output).write_text(json.dumps(heads, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"{len(heads)} chain heads written to {output}")


COMMANDS = [init_command, seed_demo_command, create_user_command, workflows_group, audit_group, totp_code_command]


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app(*_args, **_kwargs):
    from caseflow import create_app

    return create_app()


def main() -> None:
    FlaskGroup(create_app=_create_app, help="caseflow: workflow and case management.")(prog_name="caseflow")


