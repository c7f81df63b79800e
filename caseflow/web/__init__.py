"""App-wide pages (sign-in, the generic case list and page, the JSON API, administration); each feature
registers its own blueprint in its `setup(app)`."""
from flask import Flask

from caseflow.core.signals import connect_menu


def register_all(app: Flask) -> None:
    from caseflow.web import admin, api, auth, basis, cases, context, dates, headers, home, twofactor, uploads

    context.register(app)
    home.register(app)
    headers.register(app)
    basis.register(app)
    dates.register(app)
    uploads.register(app)
    for module in (auth, twofactor, cases, api, admin):
        app.register_blueprint(module.bp)
    connect_menu(app, admin.MENU)
