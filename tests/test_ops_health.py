"""`/healthz`, `/readyz` and `caseflow doctor`: the same checks; a failing one is named, with a non-200 answer
or a non-zero exit."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from caseflow import create_app
from caseflow.documents import fonts
from caseflow.documents.errors import FontsMissing
from caseflow.extensions import db
from caseflow.ops import health
from tests.conftest import AUDIT_KEY


def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_ok_when_every_part_works(client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) >= {"database", "migrations", "fonts", "storage"}
    assert response.headers["X-Request-ID"]


def test_readyz_fails_when_the_database_is_gone(tmp_path, translations_dir):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "AUDIT_HMAC_KEY": AUDIT_KEY,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'deleted.db'}", "TESTING": True,
                      "TRANSLATIONS_DIR": str(translations_dir), "STORAGE_DIR": str(tmp_path / "storage")})
    response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["failing"] == ["database", "migrations"] and body["status"] == "failing"
    assert "does not exist" in body["checks"]["database"]["detail"]
    assert not (tmp_path / "deleted.db").exists()  # the check did not create an empty database
    with app.app_context():
        db.engine.dispose()


def test_readyz_fails_when_the_server_is_unreachable(tmp_path, translations_dir):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "AUDIT_HMAC_KEY": AUDIT_KEY, "TESTING": True,
                      "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
                      "TRANSLATIONS_DIR": str(translations_dir), "STORAGE_DIR": str(tmp_path / "storage")})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["database", "migrations"]
    assert "cannot connect: OperationalError" == response.get_json()["checks"]["database"]["detail"]


def test_readyz_fails_when_migrations_are_behind(app, client):
    with app.app_context():
        head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        from alembic.script import ScriptDirectory

        from caseflow.resources import resource_dir

        previous = ScriptDirectory(str(resource_dir("migrations"))).get_revision(head).down_revision
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": previous})
        db.session.commit()
    try:
        response = client.get("/readyz")
        body = response.get_json()
        assert response.status_code == 503 and body["failing"] == ["migrations"]
        assert previous in body["checks"]["migrations"]["detail"] and "caseflow init" in body["checks"]["migrations"]["detail"]
    finally:  # on PostgreSQL the schema is the session's shared template
        with app.app_context():
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.session.commit()
    assert client.get("/readyz").status_code == 200


def _no_fonts():
    raise FontsMissing("Liberation Serif with Vietnamese glyphs is not installed: install fonts-liberation2")


def test_readyz_and_doctor_fail_when_fonts_are_missing(client, runner, monkeypatch):
    monkeypatch.setattr(fonts, "font_files", _no_fonts)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["failing"] == ["fonts"]
    assert "fonts-liberation2" in response.get_json()["checks"]["fonts"]["detail"]
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  fonts" in result.output and "ok    database" in result.output
    assert "error: failing: fonts" in result.output


def test_readyz_fails_when_storage_is_not_writable(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    app.config["STORAGE_DIR"] = str(blocker / "storage")  # under a file: nothing can be created there
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["failing"] == ["storage"]


def test_doctor_passes_on_a_ready_app(runner):
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok  ") == len(health.CHECKS) and "all checks passed" in result.output


def test_a_broken_check_is_a_failing_check_not_a_500(client, monkeypatch):
    def broken(_app):
        raise RuntimeError("boom")

    monkeypatch.setattr(health, "CHECKS", [*health.CHECKS, ("broken", broken)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["broken"] == {"ok": False, "detail": "check raised RuntimeError"}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_pages_carry_nothing_personal(client, path, tmp_path):
    body = client.get(path).get_data(as_text=True)
    assert str(tmp_path) not in body and "sqlite:///" not in body
