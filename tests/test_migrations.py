"""The Alembic migrations: one head; `upgrade head` builds exactly the models' schema; down to base and up
again works. Run on a fresh database of the run's backend (SQLite, or PostgreSQL when configured)."""
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from caseflow import PROJECT_ROOT, create_app
from caseflow.core.models import Base
from caseflow.core.search import NOT_IN_MODELS
from caseflow.extensions import db
from tests.conftest import AUDIT_KEY, PG_URL, _pg_admin_url


@pytest.fixture
def fresh_app(backend, tmp_path, translations_dir):
    """An app on an empty database of its own (never the shared test template)."""
    if backend == "sqlite":
        url, name = f"sqlite:///{tmp_path / 'fresh.db'}", None
    else:
        name = f"caseflow_mig_{uuid.uuid4().hex[:8]}"
        admin = create_engine(_pg_admin_url(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": url, "AUDIT_HMAC_KEY": AUDIT_KEY,
                      "TRANSLATIONS_DIR": str(translations_dir)})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if name:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _outside_models(obj, name, type_, reflected, _compare_to) -> bool:
    """The search's trigram index (caseflow.core.search.NOT_IN_MODELS) is created by migration 1202 alone."""
    return not (reflected and name in NOT_IN_MODELS.get(type_ + "s" if type_ != "index" else "indexes", ()))


def _diffs() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False,
                                                         "include_object": _outside_models})
        return compare_metadata(context, Base.metadata)


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"} - NOT_IN_MODELS["tables"]


def test_exactly_one_head():
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}: re-chain down_revision to main's head"


def test_upgrade_head_matches_the_models(fresh_app):
    upgrade()
    assert _tables() == set(Base.metadata.tables)
    diffs = _diffs()
    assert diffs == [], "the migrations and the models disagree:\n" + "\n".join(map(str, diffs))


def test_downgrade_to_base_and_upgrade_again(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == set(Base.metadata.tables)
    assert _diffs() == []
