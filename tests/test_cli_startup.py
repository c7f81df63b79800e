"""`caseflow`'s lazy root (issue 12, start-up): the table it lists the commands from is the app's commands,
with their own short help, and `caseflow --help` builds no app and imports no feature."""
import subprocess
import sys

import click
import pytest

from caseflow import PROJECT_ROOT
from caseflow.cli import LAZY_COMMANDS, _load, short_help, workflows_group


def test_the_table_names_every_command_the_app_registers(app):
    assert set(LAZY_COMMANDS) == set(app.cli.commands)


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_each_entry_is_the_apps_command_with_its_short_help(app, name):
    target, text = LAZY_COMMANDS[name]
    command = _load(target)
    assert command is app.cli.commands[name]
    for limit in (30, 45, 80, 400):
        assert short_help(text, limit) == command.get_short_help_str(limit)


def test_workflows_lists_its_lazy_subcommands(app):
    assert set(workflows_group.list_commands(click.Context(workflows_group))) == {"check", "diagram"}
    for target, text in workflows_group.lazy.values():
        assert short_help(text, 80) == _load(target).get_short_help_str(80)


def test_help_imports_no_feature_and_builds_no_app(tmp_path):
    code = ("import sys; sys.argv = ['caseflow', '--help']\n"
            "from caseflow.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'pydantic', 'huey', 'openpyxl',"
            " 'weasyprint', 'pyotp', 'flask_sqlalchemy', 'transitions') or m.startswith('caseflow.core.engine')"
            " or m.startswith('caseflow.web'))\n"
            "print('HEAVY', heavy)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT),
                               "CASEFLOW_INSTANCE_PATH": str(tmp_path)}, check=True)
    assert "HEAVY []" in done.stdout, done.stdout
    assert "workflows  " in done.stdout and "import-register" in done.stdout
