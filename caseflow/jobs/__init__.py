"""Background jobs on Huey: the e-mail outbox, the periodic jobs (deadline sweep, `org sync`, nightly
backup) and users' long work with a progress page (runner.py), run by `caseflow worker` (queue: SQLite in the
instance folder, or Redis)."""
from flask import Flask

from caseflow.jobs.runner import JobCancelled, JobContext, JobKind, add_job_kind, start_job
from caseflow.jobs.tasks import PeriodicJob, add_periodic

__all__ = ["JobCancelled", "JobContext", "JobKind", "PeriodicJob", "add_job_kind", "add_periodic", "setup",
           "start_job"]


def setup(app: Flask) -> None:
    """Set up last of the features: it registers the periodic jobs the others declared."""
    from caseflow.core.signals import connect_menu
    from caseflow.jobs import job_views, models, views  # noqa: F401  (models: its tables join the metadata)
    from caseflow.jobs.cli import outbox_group, worker_command
    from caseflow.jobs.nightly import NIGHTLY_BACKUP
    from caseflow.jobs.queue import EXTENSION, make_huey
    from caseflow.jobs.tasks import TASKS, register_tasks

    add_periodic(app, NIGHTLY_BACKUP)
    huey = make_huey(app)
    app.extensions[EXTENSION] = huey
    app.extensions[TASKS] = register_tasks(app, huey)
    app.register_blueprint(views.bp)
    app.register_blueprint(job_views.bp)
    connect_menu(app, views.MENU)
    app.cli.add_command(worker_command)
    app.cli.add_command(outbox_group)
