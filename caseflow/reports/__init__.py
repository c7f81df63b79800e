"""Reports: the legal-aid representation share against its targets, the centre's other figures, exports."""
from flask import Flask


def setup(app: Flask) -> None:
    """The legal-aid reports: representation share against the targets, the centre's figures, imports."""
    from caseflow.reports import views
    from caseflow.signals import connect_menu

    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
