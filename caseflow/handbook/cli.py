"""`caseflow workflows diagram NAME [--format svg|png|pdf] [--out FILE]`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from caseflow.cli_errors import fail


@click.command("diagram")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "pdf"]), default="svg", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="File to write (standard output if not given).")
@click.option("--version", "version", type=int, help="Version of the workflow (the latest if not given).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@with_appcontext
def diagram_command(name: str, fmt: str, out: str | None, version: int | None, lang: str):
    """Draw workflow NAME from its definition (Graphviz)."""
    from caseflow.core.engine import get_registry
    from caseflow.handbook.diagram import diagram_cache
    from caseflow.handbook.procedure import procedure_of

    registry = get_registry()
    if name not in registry.latest:
        fail(f"unknown workflow '{name}' (known: {', '.join(sorted(registry.latest))})", 2)
    if version is not None and (name, version) not in registry.definitions:
        fail(f"workflow '{name}' has no version {version}", 2)
    data = diagram_cache().get(procedure_of(registry.get(name, version), lang), fmt)
    if out:
        Path(out).write_bytes(data)
        click.echo(f"{name}: {fmt} diagram written to {out} ({len(data)} bytes)")
    else:
        sys.stdout.buffer.write(data)
