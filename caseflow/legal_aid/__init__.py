"""Legal aid to workers: the intake page, the workflow's hooks and detail tables, and the rules that are not
workflow steps (limitation-period warnings, the conflict check)."""
from flask import Flask


def setup_definitions(app: Flask) -> None:
    """What the definitions load against: the workflow's hooks (also `caseflow workflows check`'s app)."""
    from caseflow.core.engine.state import add_hooks
    from caseflow.legal_aid.hooks import hooks

    add_hooks(app, hooks)


def setup(app: Flask) -> None:
    """Legal aid to workers (workflows/legal_aid/legal_aid.yaml): intake page, hooks, the case kind's detail
    section."""
    from caseflow.core.signals import connect_menu
    from caseflow.legal_aid import views
    from caseflow.web.casepage import add_case_kind

    setup_definitions(app)
    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    add_case_kind(app, "legal_aid", detail_template="legal_aid/_detail_legal_aid.html")
