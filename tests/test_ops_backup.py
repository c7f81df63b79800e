"""`caseflow backup` / `caseflow restore`: the demo seed (cases of every workflow, stored files) backed up,
restored into an empty database, and compared: every table's row count, every stored file's hash, every audit
chain verified against the heads of the backup. A manifest that does not match, a database that is not empty
or another audit key is refused. On the run's backend (SQLite, or PostgreSQL with CASEFLOW_TEST_POSTGRES_URL)."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from caseflow import create_app
from caseflow.core import engine
from caseflow.core.engine.audit import verify_all
from caseflow.core.models import Case
from caseflow.extensions import db
from caseflow.ops import backup as ops_backup
from tests.conftest import AUDIT_KEY, PG_URL, _pg_admin_url


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        counts = {name: db.session.scalar(text(f'SELECT COUNT(*) FROM "{name}"')) for name in names}
        db.session.remove()
    return counts


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): ops_backup.sha256_file(p) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed-demo", "--cases", "6", "--seed", "11"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        workflows = set(db.session.scalars(select(Case.workflow).distinct()))
        assert workflows == {d.name for d in engine.get_registry()}, "the demo no longer opens every workflow"
    return app


@pytest.fixture
def empty_target(backend, tmp_path, translations_dir):
    """A second app on an empty database (no tables) and an empty storage folder, with the same audit key."""
    if backend == "sqlite":
        url, name, admin = f"sqlite:///{tmp_path / 'restored.db'}", None, None
    else:
        name = f"caseflow_restore_{uuid.uuid4().hex[:8]}"
        admin = create_engine(_pg_admin_url(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
    target = create_app({"INSTANCE_PATH": str(tmp_path / "restored-instance"), "DATABASE_URL": url,
                         "AUDIT_HMAC_KEY": AUDIT_KEY, "TRANSLATIONS_DIR": str(translations_dir), "TESTING": True,
                         "STORAGE_DIR": str(tmp_path / "restored-storage")})
    yield target
    with target.app_context():
        db.session.remove()
        db.engine.dispose()
    if name:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
def test_backup_and_restore_round_trip(seeded, runner, empty_target, tmp_path):
    app = seeded
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    [folder] = ops_backup.backups_in(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    with app.app_context():
        assert manifest["database"] == db.engine.url.get_backend_name()
    assert any(name.startswith("storage/") for name in manifest["files"]) and "audit-heads.json" in manifest["files"]

    result = empty_target.test_cli_runner().invoke(args=["restore", str(folder)])
    assert result.exit_code == 0, result.output
    assert "audit chains verified" in result.output

    before, after = row_counts(app), row_counts(empty_target)
    assert before == after
    assert len(before) > 30 and before["cases"] > 6 and before["case_events"] > before["cases"]
    source_files = file_hashes(Path(app.config["STORAGE_DIR"]))
    assert source_files and file_hashes(Path(empty_target.config["STORAGE_DIR"])) == source_files
    for each in (app, empty_target):
        with each.app_context():
            checked, problems = verify_all(db.session, AUDIT_KEY.encode())
            assert checked == before["cases"] and problems == []
            db.session.remove()
    verify = empty_target.test_cli_runner().invoke(args=["audit", "verify", "--heads", str(folder / "audit-heads.json")])
    assert verify.exit_code == 0, verify.output
    # restoring twice would overwrite: refused
    again = empty_target.test_cli_runner().invoke(args=["restore", str(folder)])
    assert again.exit_code == 1 and "not empty" in again.output


@pytest.fixture
def one_backup(seeded, tmp_path) -> Path:
    folder, _deleted = ops_backup.run_backup(seeded, tmp_path / "backups")
    return folder


@pytest.mark.parametrize("tamper, message", [
    (lambda f: (f / "audit-heads.json").write_text("{}"), "changed: audit-heads.json"),
    (lambda f: next(p for p in (f / "storage").rglob("*") if p.is_file()).unlink(), "missing: storage/"),
    (lambda f: (f / "storage" / "extra.pdf").write_bytes(b"%PDF"), "not in the manifest: storage/extra.pdf"),
    (lambda f: (f / "manifest.json").write_text("not json"), "no readable manifest.json"),
])
def test_restore_refuses_a_backup_that_does_not_match_its_manifest(one_backup, empty_target, tamper, message):
    tamper(one_backup)
    with pytest.raises(ops_backup.BackupError, match=message.replace(".", r"\.")):
        ops_backup.restore(empty_target, one_backup)
    assert row_counts(empty_target) == {}  # nothing was restored


def test_restore_refuses_a_database_that_is_not_empty(seeded, one_backup):
    with pytest.raises(ops_backup.BackupError, match="not empty"):
        ops_backup.restore(seeded, one_backup)


def test_restore_refuses_another_audit_key(one_backup, empty_target):
    empty_target.config["AUDIT_HMAC_KEY"] = "another-key"
    with pytest.raises(ops_backup.BackupError, match="audit key differs"):
        ops_backup.restore(empty_target, one_backup)


def test_retention_keeps_the_newest(seeded, runner, tmp_path):
    target = tmp_path / "nightly"
    made = [ops_backup.run_backup(seeded, target, keep=2)[0] for _ in range(3)]
    assert ops_backup.backups_in(target) == made[1:]
    (target / ".partial-x").mkdir()  # an unfinished backup is never counted nor deleted
    result = runner.invoke(args=["backup", str(target), "--keep", "1"])
    assert result.exit_code == 0 and "removed old backup" in result.output
    assert len(ops_backup.backups_in(target)) == 1 and (target / ".partial-x").is_dir()
    with seeded.app_context():
        assert db.session.scalar(select(func.count(Case.id)))  # the data itself untouched
