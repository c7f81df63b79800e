"""caseflow: the workflow and case-management engine of a provincial labour federation."""
import os
from pathlib import Path

from flask import Flask

from caseflow.resources import PROJECT_ROOT, resource_dir

__all__ = ["PROJECT_ROOT", "create_app", "resource_dir"]


def create_app(config: dict | None = None) -> Flask:
    """The app factory: config, extensions, workflow registry, blueprints, error handlers, commands."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("CASEFLOW_INSTANCE_PATH") \
        or str(PROJECT_ROOT / "instance")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True,
                template_folder=str(resource_dir("templates")))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from caseflow.config import build_config

    app.config.update(build_config(app.instance_path, {k: v for k, v in (config or {}).items()
                                                       if k != "INSTANCE_PATH"}))
    from caseflow.core.yamlfile import use_cache

    # parsed definitions, catalogue and document types kept between processes (each CLI run, each worker)
    use_cache(Path(app.instance_path) / "cache" / "yaml" if app.config.get("YAML_CACHE", True) else None)
    register_extensions(app)
    register_engine(app)
    register_blueprints(app)
    register_features(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def create_definitions_app(config: dict | None = None) -> Flask:
    """The app as far as the workflow definitions: config, the engine with every feature's hooks and the checks
    the features add to `caseflow workflows check` (each feature's `setup_definitions(app)`). No extensions,
    database, blueprints or queue: what `caseflow workflows check` needs, and no more (issue 12, start-up)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("CASEFLOW_INSTANCE_PATH") \
        or str(PROJECT_ROOT / "instance")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    from caseflow.config import build_config

    app.config.update(build_config(app.instance_path, {k: v for k, v in (config or {}).items()
                                                       if k != "INSTANCE_PATH"}))
    from caseflow.core.yamlfile import use_cache

    use_cache(Path(app.instance_path) / "cache" / "yaml" if app.config.get("YAML_CACHE", True) else None)
    register_engine(app)
    import importlib

    for name in FEATURES:
        setup_definitions = getattr(importlib.import_module(f"caseflow.{name}"), "setup_definitions", None)
        if setup_definitions is not None:
            setup_definitions(app)
    return app


def register_extensions(app: Flask) -> None:
    from caseflow.core.i18n import compile_catalogues
    from caseflow.extensions import babel, csrf, db, limiter, login_manager, migrate
    from caseflow.web.locale import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    translations = compile_catalogues(Path(app.config.get("TRANSLATIONS_DIR") or
                                           Path(app.instance_path) / "translations"))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    with app.app_context():
        from caseflow.db_setup import install_connection_pragmas

        install_connection_pragmas(db.engine)


#: the features the app is made of, in order; each package's setup(app) adds its hooks, blueprints,
#: menu entries and case-page parts (nothing registers itself by being imported)
#: jobs comes last: it registers on its queue the periodic jobs the others declared (caseflow/jobs/tasks.py)
FEATURES = ("legal_aid", "inspection", "union", "documents", "deadlines", "reports", "handbook", "portal", "ops",
            "jobs")


def register_engine(app: Flask) -> None:
    from caseflow.core import engine

    engine.init_app(app, app.config["AUDIT_HMAC_KEY"])


def register_features(app: Flask) -> None:
    """Every feature's setup, then the definitions, loaded against the hooks the features brought."""
    import importlib

    from caseflow.core import engine

    for name in FEATURES:
        importlib.import_module(f"caseflow.{name}").setup(app)
    engine.load_definitions(app, app.config["WORKFLOWS_DIR"], app.config.get("WORKFLOW_REGISTRY"))


def register_blueprints(app: Flask) -> None:
    from caseflow.web import register_all

    register_all(app)


def register_errorhandlers(app: Flask) -> None:
    from caseflow.web.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from caseflow.cli import register

    register(app)
