"""Reports: the legal-aid representation share against its targets, the centre's other figures, exports."""
from flask import Flask


def setup(app: Flask) -> None:
    """The legal-aid reports: representation share against the targets, the centre's figures, imports."""
    from caseflow.core.signals import connect_menu
    from caseflow.jobs import add_job_kind
    from caseflow.reports import export_job, import_job, views
    from caseflow.reports.imports.cli import import_register_command

    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    add_job_kind(app, import_job.KIND_SPEC)
    add_job_kind(app, export_job.KIND_SPEC)
    export_job.add_exporter(app, "cases", views.case_export)
    app.cli.add_command(import_register_command)
