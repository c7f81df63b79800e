"""`caseflow ...` (or `flask --app caseflow ...`): init, seed-demo, create-user, workflows, audit.

Start-up (issue 12): the root group knows every command by name, with its short help, from LAZY_COMMANDS, and
imports a command's module only to run it; the app is built only by a command that needs it (with_appcontext).
So `caseflow --help` builds no app and imports no feature, and `caseflow workflows check` builds only the part
of the app the definitions need (caseflow.create_definitions_app). tests/test_cli_startup.py keeps the table
true to the commands the app registers."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from caseflow.cli_errors import fail as _fail


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database schema (Alembic migrations)."""
    from flask_migrate import upgrade

    from caseflow.extensions import db

    upgrade()
    click.echo("database ready: " + db.engine.url.render_as_string(hide_password=True))


@click.command("seed-demo")
@click.option("--cases", default=40, show_default=True, help="How many legal-aid cases to create.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for repeatable demo data.")
@with_appcontext
def seed_demo_command(cases: int, seed: int):
    """Demo data: units of Bình Định, one user per role, legal-aid cases made through the engine."""
    from caseflow.demo import DEMO_PASSWORD, DEMO_TOTP_ROLES, demo_totp_secret, seed_demo
    from caseflow.extensions import db

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
    from caseflow.extensions import db
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
    from caseflow.extensions import db

    try:
        user = create_user(db.session, username, full_name, password, roles)
    except AccountError as exc:
        _fail(str(exc), 2)
    click.echo(f"user {user.username} created (id {user.id})")


#: app.extensions key: checks features add to `workflows check`, each fn(definition) -> [DefinitionError, ...]
WORKFLOW_CHECKS = "caseflow.workflow_checks"


def add_workflow_check(app: Flask, check) -> None:
    app.extensions.setdefault(WORKFLOW_CHECKS, []).append(check)


def _load(target: str) -> click.Command:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


class LazyGroup(click.Group):
    """A group whose commands are named in `lazy` (name -> ("module:attr", short help)): listing them (--help)
    imports none; running one imports its module (click's LazyGroup pattern)."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands or name not in self.lazy:
            return super().get_command(ctx, name)
        return _load(self.lazy[name][0])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_commands(self, ctx, formatter, self.lazy)


def _format_commands(group: click.Group, ctx: click.Context, formatter: click.HelpFormatter,
                     lazy: dict[str, tuple[str, str]]) -> None:
    """click's Group.format_commands, with a lazy command's short help read from its table entry."""
    rows = []
    for name in group.list_commands(ctx):
        if name in lazy and name not in group.commands:
            rows.append((name, lazy[name][1]))
            continue
        cmd = group.get_command(ctx, name)
        if cmd is not None and not cmd.hidden:
            rows.append((name, cmd))
    if rows:
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, short_help(cmd, limit) if isinstance(cmd, str) else cmd.get_short_help_str(limit))
                                for name, cmd in rows])


def short_help(text: str, limit: int) -> str:
    """What click shows in a command list for a command whose help is `text`."""
    return click.Command(None, help=text).get_short_help_str(limit)


@click.group("workflows", cls=LazyGroup, lazy={
    "diagram": ("caseflow.handbook.cli:diagram_command", "Draw workflow NAME from its definition (Graphviz)."),
})
def workflows_group():
    """Workflow definitions."""


def _definitions_app_context(ctx: click.Context) -> None:
    """Push the app `workflows check` validates against, unless one is in context (tests, `flask --app`):
    from the `caseflow` command, the definitions-only app (no database, blueprints or queue to start)."""
    if current_app:
        return
    info = ctx.ensure_object(ScriptInfo)
    if info.create_app is _create_app and not info.app_import_path:
        from caseflow import create_definitions_app

        app = create_definitions_app()
    else:
        app = info.load_app()
    ctx.with_resource(app.app_context())


@workflows_group.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Definitions folder to check.")
@click.pass_context
def workflows_check(ctx: click.Context, directory: str | None):
    """Load and validate every definition; exit 1 naming the file and item of the first error."""
    from caseflow.core.engine.errors import DefinitionError
    from caseflow.core.engine.registry import Registry
    from caseflow.core.engine.state import current_engine

    _definitions_app_context(ctx)
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
    from caseflow.extensions import db

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
    from caseflow.extensions import db

    heads = {**chain_heads(db.session), ADMIN_LOG_KEY: adminlog.head(db.session)}
    Path(output).write_text(json.dumps(heads, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"{len(heads)} chain heads written to {output}")


COMMANDS = [init_command, seed_demo_command, create_user_command, workflows_group, audit_group, totp_code_command]

#: every command of `caseflow`, by name: where it lives and its short help (the first paragraph of its help),
#: so that `caseflow --help` lists them without importing any (Flask's run/shell/routes and plugins aside).
#: A feature's setup still adds its commands to app.cli (tests, `flask --app caseflow`); the table names the
#: same objects, and tests/test_cli_startup.py fails when the two differ.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("caseflow.cli:audit_group", "The hash-chained audit trail."),
    "backup": ("caseflow.ops.cli:backup_command", ("Write a backup (database, stored files, audit chain heads, "
                                                  "SHA-256 manifest) into a new folder of DIRECTORY.")),
    "create-user": ("caseflow.cli:create_user_command", "Create a user with roles on units."),
    "db": ("caseflow.lazy_migrate:DB_GROUP", "Database migrations (Flask-Migrate / Alembic)."),
    "deadlines": ("caseflow.deadlines.cli:deadlines_group", "Statutory deadlines."),
    "doctor": ("caseflow.ops.cli:doctor_command", ("Check what the app needs to serve (the checks of /readyz); "
                                                  "exit 1 when one fails.")),
    "documents": ("caseflow.documents.cli:documents_group", "Official documents: PDFs of drafts and batches."),
    "import-members": ("caseflow.union.cli:import_members_command",
                       "Import the union's membership list (XLSX/CSV) into the member register."),
    "import-register": ("caseflow.reports.imports.cli:import_register_command",
                        "Import the legal-aid centre's case register (XLSX/CSV), columns mapped from their names."),
    "init": ("caseflow.cli:init_command", "Create or upgrade the database schema (Alembic migrations)."),
    "org": ("caseflow.union.cli:org_group", "The organisation tree."),
    "outbox": ("caseflow.jobs.cli:outbox_group", "The e-mail outbox."),
    "procedures": ("caseflow.union.cli:procedures_group", "The union's internal procedures."),
    "restore": ("caseflow.ops.cli:restore_command",
                "Restore a backup FOLDER (one caseflow-* folder) into an empty database and storage folder."),
    "seed-demo": ("caseflow.cli:seed_demo_command", ("Demo data: units of Bình Định, one user per role, legal-aid "
                                                    "cases made through the engine.")),
    "serve": ("caseflow.ops.cli:serve_command", ("Serve the app in production with gunicorn (`caseflow run` is the "
                                                "development server).")),
    "totp-code": ("caseflow.cli:totp_code_command", ("A TOTP code of USERNAME not used yet (for the demo and an "
                                                    "operator at the console, who holds the database anyway).")),
    "worker": ("caseflow.jobs.cli:worker_command", ("Run background jobs: users' jobs (batch PDFs, imports, large "
                                                   "exports), the e-mail outbox, the deadline sweep, `org sync`, the "
                                                   "nightly backup (any number of workers, on any number of hosts "
                                                   "with CASEFLOW_REDIS_URL: each periodic job runs once per slot).")),
    "workflows": ("caseflow.cli:workflows_group", "Workflow definitions."),
}


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app(*_args, **_kwargs):
    from caseflow import create_app

    return create_app()


class CaseflowGroup(FlaskGroup):
    """`caseflow`: Flask's group (run, shell, routes, plugins, --app, --env-file, --debug) whose own commands
    come from LAZY_COMMANDS instead of building the app to ask it. With --app (another app) it is Flask's."""

    def _lazy(self, ctx: click.Context) -> dict[str, tuple[str, str]]:
        return {} if ctx.ensure_object(ScriptInfo).app_import_path else LAZY_COMMANDS

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = self._lazy(ctx)
        if not lazy:
            return super().list_commands(ctx)
        self._load_plugin_commands()
        return sorted(set(click.Group.list_commands(self, ctx)) | set(lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        lazy = self._lazy(ctx)
        if name in lazy and name not in self.commands:
            return _load(lazy[name][0])
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_commands(self, ctx, formatter, self._lazy(ctx))


def main() -> None:
    CaseflowGroup(create_app=_create_app, help="caseflow: workflow and case management.")(prog_name="caseflow")
