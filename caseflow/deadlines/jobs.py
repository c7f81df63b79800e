"""The deadline sweep as one function for `caseflow deadlines sweep` (cron) and the worker's periodic job:
breaches, notices and their e-mail copies' outbox rows in one transaction."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import Flask
from sqlalchemy.orm import Session

from caseflow.deadlines.sweep import SweepResult

#: the worker sweeps every this many minutes (config DEADLINE_SWEEP_MINUTES; a divisor of 60)
DEFAULT_SWEEP_MINUTES = 5


def run_sweep(session: Session, config: Mapping, today: date | None = None) -> tuple[SweepResult, int]:
    """The sweep as of `today` (Việt Nam's date by default); returns it and how many e-mails it queued."""
    from caseflow.core.clock import now_and_today
    from caseflow.deadlines.notify import queue_emails
    from caseflow.deadlines.service import load_calendar
    from caseflow.deadlines.sweep import sweep

    now, local_today = now_and_today()
    queued = []

    def queue(s: Session, result: SweepResult) -> None:
        queued.append(queue_emails(s, config, result.notification_ids))

    result = sweep(session, load_calendar(session), config["AUDIT_HMAC_KEY"].encode(), today=today or local_today,
                   now=now, leads=config.get("DEADLINE_LEAD_DAYS", (3, 1)),
                   collect_ids=bool(config.get("MAIL_SERVER")), before_commit=queue)
    return result, sum(queued)


def sweep_job(session: Session, app: Flask) -> str:
    result, queued = run_sweep(session, app.config)
    return f"{result}, e-mails queued: {queued}"


def sweep_periodic(app: Flask):
    from caseflow.jobs import PeriodicJob

    minutes = int(app.config.get("DEADLINE_SWEEP_MINUTES", DEFAULT_SWEEP_MINUTES))
    if minutes < 1 or 60 % minutes:
        raise ValueError(f"DEADLINE_SWEEP_MINUTES={minutes}: give a divisor of 60 (1, 2, 5, 10, 15, 30, 60)")
    return PeriodicJob("deadline_sweep", {"minute": f"*/{minutes}"}, minutes * 60, sweep_job)
