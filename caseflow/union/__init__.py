"""The union's internal procedures (DOMAIN.md sections 5-7): dossiers, configuration, the organisation
tree through time, commendation rounds, and the membership targets of the action programme."""
from flask import Flask

UNION_KINDS = ("cdcs_founding", "commendation", "committee_recognition", "committee_supplement", "discipline")


def setup(app: Flask) -> None:
    """The union's procedures (founding, committees, commendation, discipline) and the organisation tree."""
    from caseflow.core import engine
    from caseflow.core.signals import connect_menu
    from caseflow.hooks.procedures import hooks
    from caseflow.web import org, procedures
    from caseflow.web.casepage import add_case_kind

    engine.add_hooks(app, hooks)
    for views in (procedures, org):
        app.register_blueprint(views.bp)
        connect_menu(app, views.MENU)
    for kind in UNION_KINDS:
        add_case_kind(app, kind, detail_template=f"cases/_detail_{kind}.html")
