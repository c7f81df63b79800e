"""`caseflow deadlines sweep`: run from cron (every few minutes, on any number of hosts)."""
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
    from caseflow.core.clock import now_and_today
    from caseflow.deadlines.notify import send_emails
    from caseflow.deadlines.service import load_calendar
    from caseflow.deadlines.sweep import sweep

    session = cast(Session, db.session)  # the request-scoped session proxies a Session
    now, today = now_and_today()
    if today_text:
        try:
            today = date.fromisoformat(today_text)
        except ValueError:
            click.echo(f"error: --today: not a date (YYYY-MM-DD): {today_text!r}", err=True)
            sys.exit(2)
    result = sweep(session, load_calendar(session), current_app.config["AUDIT_HMAC_KEY"].encode(),
                   today=today, now=now, leads=current_app.config.get("DEADLINE_LEAD_DAYS", (3, 1)),
                   collect_ids=bool(current_app.config.get("MAIL_SERVER")))
    mailed = send_emails(session, current_app.config, result.notification_ids)
    click.echo(f"sweep {today:%d/%m/%Y}: {result}" + (f", e-mails sent: {mailed}" if mailed else ""))
