"""Legal-aid rules that are not workflow steps: limitation-period warnings and the conflict check."""
from flask import Flask


def setup(app: Flask) -> None:
    """Legal aid to workers (workflows/legal_aid.yaml): intake page, hooks, the case kind's detail section."""
    from caseflow import engine
    from caseflow.hooks.legal_aid import hooks
    from caseflow.signals import connect_menu
    from caseflow.web import legal_aid as views
    from caseflow.web.casepage import add_case_kind

    engine.add_hooks(app, hooks)
    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    add_case_kind(app, "legal_aid", detail_template="cases/_detail_legal_aid.html")
