"""The inspection committee (UBKT): its workflows' hooks and detail tables, its pages, and its services (protected
identities, duplicates, conflicts of interest, statistics)."""
from flask import Flask


def setup_definitions(app: Flask) -> None:
    """What the definitions load against: the workflows' hooks (also `caseflow workflows check`'s app)."""
    from caseflow.core.engine.state import add_hooks
    from caseflow.inspection.corrections import hooks  # the hooks with the correction effect added

    add_hooks(app, hooks)


def setup(app: Flask) -> None:
    """The inspection committee: letters, complaints, denunciations (workflows/inspection/: letter_intake,
    complaint, denunciation), the desk, board and statistics pages, and the protected identities."""
    from caseflow.core.signals import connect_menu
    from caseflow.inspection import conflicts, views
    from caseflow.web.casepage import add_case_kind

    setup_definitions(app)
    conflicts.register(app)  # conflicted users neither see nor act on a case
    app.register_blueprint(views.bp)
    connect_menu(app, views.MENU)
    for kind in ("letter", "complaint", "denunciation"):
        add_case_kind(app, kind, detail_template=f"inspection/_detail_{kind}.html",
                      user_field_roles=("inspector", "leader"))
