"""Statutory deadlines on the Vietnamese working-day calendar: calendar, rules, service, sweep."""
from flask import Flask


def setup(app: Flask) -> None:
    """Statutory deadlines: the listener that drives them on every fire, the queue and calendar pages."""
    from caseflow import engine
    from caseflow.hooks.deadlines import hooks
    from caseflow.signals import connect_menu
    from caseflow.web import deadlines as views
    from caseflow.web.casepage import add_panel

    engine.add_hooks(app, hooks)
    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    add_panel(app, "cases/_deadlines.html")
