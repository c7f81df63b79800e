"""Blueprints, one per user group; every module of caseflow.web that defines `bp` is registered."""
import importlib
import pkgutil

from flask import Flask


def register_all(app: Flask) -> None:
    from caseflow.web import context

    context.register(app)
    package = importlib.import_module(__name__)
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{__name__}.{module.name}")
        bp = getattr(mod, "bp", None)
        if bp is not None:
            app.register_blueprint(bp)
