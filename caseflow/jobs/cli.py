"""`caseflow worker` (the Huey consumer: jobs, the outbox, the periodic jobs) and `caseflow outbox deliver`."""
from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from caseflow.cli_errors import fail as _fail
from caseflow.extensions import db


@click.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Threads running jobs.")
@click.option("--no-periodic", is_flag=True, help="Run queued jobs only; another worker runs the periodic ones.")
@click.option("--max-delay", default=1.0, show_default=True,
              help="Longest pause between two polls of an idle SQLite queue (Redis waits on the queue instead).")
@with_appcontext
def worker_command(workers: int, no_periodic: bool, max_delay: float):
    """Run background jobs: users' jobs (batch PDFs, imports, large exports), the e-mail outbox, the deadline
    sweep, `org sync`, the nightly backup (any number of workers, on any number of hosts with CASEFLOW_REDIS_URL:
    each periodic job runs once per slot)."""
    from caseflow.jobs.queue import huey_of

    huey = huey_of()
    if huey.immediate:
        _fail("JOBS_IMMEDIATE is set: jobs run where they are queued; there is nothing for a worker to do", 2)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"caseflow worker: {workers} thread(s), queue {type(huey.storage).__name__} "
               f"'{huey.name}', periodic jobs {'off' if no_periodic else 'on'}")
    from caseflow.jobs.tasks import tasks_of

    tasks_of(current_app).deliver_outbox()  # what waited while no worker ran goes out now
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=not no_periodic,
                                    initial_delay=0.05, backoff=1.5, max_delay=max_delay, graceful_signal="TERM")
    consumer.run()


@click.group("outbox")
def outbox_group():
    """The e-mail outbox."""


@outbox_group.command("deliver")
@with_appcontext
def outbox_deliver():
    """Deliver every message due now, in this process (without a worker, e.g. from cron)."""
    from caseflow.jobs.outbox import deliver_due

    result = deliver_due(db.session, current_app.config)
    click.echo(f"outbox: {result}")
