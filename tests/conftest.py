"""Fixtures: the app on a database built by the real migrations (SQLite by default, PostgreSQL when
CASEFLOW_TEST_POSTGRES_URL is set), a test client, and the demo organisation with one user per role."""
from __future__ import annotations

import importlib
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text

from caseflow import create_app
from caseflow.core.models.org import PASSWORD_METHOD
from caseflow.extensions import db

#: shared fixtures of feature tests (deadlines: the engine clock)
pytest_plugins = ["tests.deadline_helpers"]

PG_URL = os.environ.get("CASEFLOW_TEST_POSTGRES_URL")
PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"  # fast hashes for test users
AUDIT_KEY = "test-audit-key"


def missing_tool(reason: str) -> NoReturn:
    """A tool the tests need is absent: a failure in CI (CI=true), where a skip would go unnoticed; a skip
    elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {reason}", pytrace=False)
    pytest.skip(reason)


def redis_client(url: str):
    """A connected Redis client at `url`, or missing_tool(): Redis runs on this machine and CI's."""
    redis = require_module("redis", "redis")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        missing_tool(f"no Redis at {url}: start redis-server (127.0.0.1:6379)")
    return client


@contextmanager
def private_redis_queue(url: str, prefix: str):
    """A Huey queue name of this test's own on the Redis at `url`; its keys are removed afterwards."""
    client = redis_client(url)
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        for key in client.scan_iter(f"*{name}*"):  # RedisHuey's keys carry the queue's name
            client.delete(key)
        client.close()


def require_tool(command: str, package: str) -> str:
    """The path of `command` (a name on PATH or an absolute path), or missing_tool() naming its Debian package."""
    found = shutil.which(command)
    if not found:
        missing_tool(f"{command} not found: install Debian's {package} (scripts/setup.sh test)")
    return found


def require_module(name: str, package: str) -> ModuleType:
    """The imported module, or missing_tool() naming its pip package."""
    try:
        return importlib.import_module(name)
    except ImportError:
        pass  # reported outside the handler, so the failure stays one line
    missing_tool(f"Python module {name} not importable: pip install {package} (scripts/setup.sh test)")


def _pg_admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def _upgrade(url: str, instance: Path, translations: Path) -> None:
    from flask_migrate import upgrade

    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url, "AUDIT_HMAC_KEY": AUDIT_KEY,
                      "TRANSLATIONS_DIR": str(translations)})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def backend() -> str:
    if os.environ.get("CI") == "true" and os.environ.get("CASEFLOW_REQUIRE_POSTGRES") and not PG_URL:
        pytest.exit("CI requires PostgreSQL but CASEFLOW_TEST_POSTGRES_URL is not set", returncode=3)
    return "postgresql" if PG_URL else "sqlite"


@pytest.fixture(scope="session")
def translations_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("translations")


@pytest.fixture(scope="session")
def template_db(backend, tmp_path_factory, translations_dir):
    """A database at the migrations' head, built once per test session (per xdist worker)."""
    instance = tmp_path_factory.mktemp("template-instance")
    if backend == "sqlite":
        path = instance / "template.db"
        _upgrade(f"sqlite:///{path}", instance, translations_dir)
        yield {"kind": "sqlite", "path": path}
        return
    name = f"caseflow_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(_pg_admin_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    _upgrade(url, instance, translations_dir)
    yield {"kind": "postgresql", "url": url, "name": name}
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


def clean_database(template_db: dict, folder: Path) -> str:
    """A clean database's URL: a copy of the SQLite template in `folder`, or the PostgreSQL one truncated."""
    if template_db["kind"] == "sqlite":
        path = folder / "caseflow.db"
        shutil.copyfile(template_db["path"], path)
        return f"sqlite:///{path}"
    _truncate_all(template_db["url"])
    return template_db["url"]


def app_settings(database_url: str, folder: Path, translations_dir: Path) -> dict:
    """The configuration of a test app on `database_url`, its instance and storage folders under `folder`."""
    return {"INSTANCE_PATH": str(folder / "instance"), "DATABASE_URL": database_url, "TESTING": True,
            "AUDIT_HMAC_KEY": AUDIT_KEY, "TRANSLATIONS_DIR": str(translations_dir),
            "STORAGE_DIR": str(folder / "storage")}


@pytest.fixture
def database_url(template_db, tmp_path) -> str:
    """A clean database for one test."""
    return clean_database(template_db, tmp_path)


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change configuration."""
    return {}


@pytest.fixture(scope="session")
def shipped_registry(tmp_path_factory, translations_dir):
    """The shipped definitions, parsed and compiled once per test run (per xdist worker) and shared by every
    app that loads the same workflows folder; a test with its own folder builds its own."""
    from caseflow.core.engine.state import engine_of

    app = create_app({"INSTANCE_PATH": str(tmp_path_factory.mktemp("registry-instance")),
                      "DATABASE_URL": "sqlite://", "AUDIT_HMAC_KEY": AUDIT_KEY,
                      "TRANSLATIONS_DIR": str(translations_dir)})
    return engine_of(app).registry


@pytest.fixture
def app(database_url, tmp_path, translations_dir, app_config, shipped_registry):
    config = {**app_settings(database_url, tmp_path, translations_dir), **app_config}
    if "WORKFLOWS_DIR" not in app_config:
        config["WORKFLOW_REGISTRY"] = shipped_registry
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An app context for engine-level tests (web tests use the client and their own contexts)."""
    with app.app_context():
        yield app
        db.session.remove()


@contextmanager
def append_only_off(session, backend: str):
    """Write around the engine as whoever holds the database would: case_events' append-only triggers off
    (PostgreSQL: disabled, as the superuser the tests run as; SQLite: dropped), then on again as they were."""
    if backend == "postgresql":
        session.execute(text("ALTER TABLE case_events DISABLE TRIGGER case_events_append_only"))
        yield
        session.execute(text("ALTER TABLE case_events ENABLE TRIGGER case_events_append_only"))
        return
    triggers = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'case_events'")).all()
    assert triggers, "no append-only trigger on case_events"
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        session.execute(text(sql))


@contextmanager
def case_guards_off(session, backend: str):
    """The cases table's state triggers (a state moves only with its event) off for a write around the
    engine, then on again: disabled on PostgreSQL, dropped and re-created on SQLite."""
    if backend == "postgresql":
        session.execute(text("ALTER TABLE cases DISABLE TRIGGER cases_state_needs_event"))
        yield
        session.execute(text("ALTER TABLE cases ENABLE TRIGGER cases_state_needs_event"))
        return
    # the search index's triggers (cases_search_*, migration 1202) stay: they keep the index of what is written
    saved = session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                 "AND tbl_name = 'cases' AND name NOT LIKE 'cases_search_%'")).all()
    assert {n for n, _s in saved} == {"cases_state_needs_event", "cases_head_on_event"}
    for name, _sql in saved:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in saved:
        session.execute(text(sql))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def org(app):
    """The demo tree and users (one per role); returns ids, since ORM objects die with their session."""
    from caseflow.demo import build_tree, create_users

    with app.app_context():
        units = build_tree(db.session)
        users = create_users(db.session, units)
        result = {"units": {k: u.id for k, u in units.items()}, "users": {k: u.id for k, u in users.items()}}
        db.session.remove()
    return result


@contextmanager
def logged_in(client, username: str, password: str = "caseflow2026"):
    """Log in through the real form (CSRF token included), then log out."""
    login(client, username, password)
    yield client
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})


def csrf_token(client, path: str) -> str:
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html) or \
        re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, username: str, password: str = "caseflow2026"):
    """The password, then (for the roles that need it) the TOTP code: enrolling first when the user has no
    secret yet, as a person would (the key read off the page)."""
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if "/login/two-factor" in response.headers["Location"]:
        response = complete_two_factor(client, response.headers["Location"], username)
    return response


def totp_code(client, username: str) -> str:
    """A code of a user's stored secret that was not used yet (a used one is refused: issue 11)."""
    from caseflow.core.models import User
    from caseflow.web.twofactor import unused_code

    with client.application.app_context():
        secret, last = db.session.query(User.totp_secret, User.totp_last_step).filter(User.username == username).one()
        db.session.remove()
    return unused_code(secret, last)


def complete_two_factor(client, location: str, username: str):
    import re

    import pyotp

    page = client.get(location, follow_redirects=True)
    body = page.get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', body)
    code = pyotp.TOTP(secret.group(1)).now() if secret else totp_code(client, username)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    response = client.post(page.request.path, data={"code": code, "csrf_token": token})
    if secret:  # enrolled: the recovery codes page, then on
        assert response.status_code == 200 and 'id="recovery-codes"' in response.get_data(as_text=True)
        return response
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def auth(client):
    class Auth:
        def login(self, username: str, password: str = "caseflow2026"):
            return login(client, username, password)

        def csrf(self, path: str) -> str:
            return csrf_token(client, path)

    return Auth()
