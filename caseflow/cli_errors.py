"""How every `caseflow` command refuses bad input: one line on stderr and a non-zero exit code."""
import sys

import click


def fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)
