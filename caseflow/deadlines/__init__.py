"""Statutory deadlines on the Vietnamese working-day calendar: calendar, rules, service, sweep."""
from flask import Flask


def setup_definitions(app: Flask) -> None:
    """What the definitions load against: the deadline rules' validator and the catalogue check (also
    `caseflow workflows check`'s app)."""
    from caseflow.core.engine.state import add_hooks
    from caseflow.deadlines.hooks import hooks

    add_hooks(app, hooks)


def setup(app: Flask) -> None:
    """Statutory deadlines: the listener that drives them on every fire, the queue and calendar pages,
    the case-page panel and the `caseflow deadlines` commands."""
    from caseflow.core.signals import connect_menu
    from caseflow.deadlines import home, models, views  # noqa: F401  (models: its tables join the metadata)
    from caseflow.deadlines.cli import deadlines_group
    from caseflow.web.casepage import add_panel, case_page

    setup_definitions(app)
    home.setup_home(app)
    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    add_panel(app, "deadlines/_case_panel.html", views.case_panel_context)
    parts = case_page(app)
    parts.list_filters["overdue"] = views.only_overdue
    parts.event_labels.update(views.EVENT_LABELS)
    app.cli.add_command(deadlines_group)
    from caseflow.deadlines.jobs import sweep_periodic
    from caseflow.jobs import add_periodic

    add_periodic(app, sweep_periodic(app))
