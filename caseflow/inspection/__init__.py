"""The inspection committee (UBKT): its workflows' hooks and detail tables, its pages, and its services (protected
identities, duplicates, conflicts of interest, statistics)."""
from flask import Flask


def setup(app: Flask) -> None:
    """The inspection committee: letters, complaints, denunciations (workflows/inspection/: letter_intake,
    complaint, denunciation), the desk, board and statistics pages, and the protected identities."""
    from caseflow.core import engine
    from caseflow.core.signals import connect_menu
    from caseflow.inspection import conflicts, views
    from caseflow.inspection.corrections import hooks  # the hooks with the correction effect added
    from caseflow.web.casepage import add_case_kind

    engine.add_hooks(app, hooks)
    conflicts.register(app)  # conflicted users neither see nor act on a case
    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    for kind in ("letter", "complaint", "denunciation"):
        add_case_kind(app, kind, detail_template=f"inspection/_detail_{kind}.html",
                      user_field_roles=("inspector", "leader"))
