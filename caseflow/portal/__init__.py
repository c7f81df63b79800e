"""The public portal (/cong-khai/): workers ask for legal help or send letters without an account, keep a
tracking code, come back to read the status and the answers, and write back; the staff side shows the
thread on the case page."""
from flask import Flask


def setup(app: Flask) -> None:
    """The portal's public blueprint, the staff answer route, the case-page thread panel and its timeline labels."""
    from caseflow.portal import staff, views
    from caseflow.web.casepage import add_panel, case_page

    app.register_blueprint(views.bp)
    app.before_request_funcs.setdefault(None, []).insert(0, views.larger_uploads_reach_the_form)
    app.register_blueprint(staff.bp)
    add_panel(app, "portal/_case_panel.html", staff.panel_context)
    case_page(app).event_labels.update(staff.EVENT_LABELS)
