"""`caseflow deadlines sweep`: by hand or from cron (`caseflow worker` runs it every few minutes anyway)."""
from __future__ import annotations

import sys
from datetime import date
from typing import cast

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from caseflow.extensions import db


@click.group("deadlines")
def deadlines_group():
    """Statutory deadlines."""


@deadlines_group.command("sweep")
@click.option("--today", "today_text", help="Sweep as of this local date (YYYY-MM-DD); default: today.")
@with_appcontext
def sweep_command(today_text: str | None):
    """Mark breaches, notify assignees at the lead times and unit leaders on breach; idempotent."""
    from caseflow.core.clock import local_today
    from caseflow.deadlines.jobs import run_sweep

    session = cast(Session, db.session)  # the request-scoped session proxies a Session
    today = local_today()
    if today_text:
        try:
            today = date.fromisoformat(today_text)
        except ValueError:
            click.echo(f"error: --today: not a date (YYYY-MM-DD): {today_text!r}", err=True)
            sys.exit(2)
    result, queued = run_sweep(session, current_app.config, today)
    click.echo(f"sweep {today:%d/%m/%Y}: {result}" + (f", e-mails queued: {queued}" if queued else ""))
