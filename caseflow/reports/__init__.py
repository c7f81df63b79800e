"""Reports: the legal-aid representation share against its targets, the centre's other figures, exports."""
from flask import Flask


def setup(app: Flask) -> None:
    """The legal-aid reports: representation share against the targets, the centre's figures, imports."""
    from caseflow.core.signals import connect_menu
    from caseflow.reports import views
    from caseflow.reports.imports.cli import import_register_command

    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    app.cli.add_command(import_register_command)
