"""The procedures published from the definitions that run them: a diagram of every workflow, a page per
procedure (steps, actors, deadlines, basis, settings, versions and their differences), a case's place on
the map, and the handbook PDF the Standing Committee adopts through the document-issuance workflow."""
from flask import Flask


def setup_definitions(app: Flask) -> None:
    """The checks `caseflow workflows check` adds for the published procedures."""
    from caseflow.cli import add_workflow_check
    from caseflow.handbook.checks import problems

    add_workflow_check(app, problems)


def setup(app: Flask) -> None:
    """The procedure pages, the case-page map panel, the handbook decision's appendices, the `caseflow workflows
    diagram` command and the checks `caseflow workflows check` adds."""
    from caseflow.cli import workflows_group
    from caseflow.core.signals import connect_menu
    from caseflow.documents.builders import add_render_extra
    from caseflow.handbook import views
    from caseflow.handbook.appendix import TYPE_KEY, appendices
    from caseflow.handbook.casemap import case_map_context
    from caseflow.handbook.cli import diagram_command
    from caseflow.web.casepage import add_panel

    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    add_panel(app, "handbook/_case_panel.html", case_map_context)
    workflows_group.add_command(diagram_command)
    add_render_extra(TYPE_KEY, appendices)
    setup_definitions(app)
