"""`caseflow backup DIR` / `caseflow restore DIR`: a consistent copy of the database (SQLite's online backup API,
or `pg_dump -Fc` inside an exported snapshot on PostgreSQL), the storage folder and the audit chain heads read in
that same snapshot, with a manifest of SHA-256 sums. `run_backup(app, directory, keep)` is what a scheduled job
calls. The secret and audit keys are not in a backup: they stay apart from the data they protect (DESIGN.md,
audit events); the manifest carries the audit key's fingerprint so that a restore with another key is refused."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import URL, Connection, make_url

MANIFEST = "manifest.json"
HEADS = "audit-heads.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
STORAGE = "storage"
#: a backup folder's name: sorted by name is sorted by time (retention relies on it)
PREFIX = "caseflow-"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, for the operator."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprint(key: str) -> str:
    """Names the audit key without revealing it (the key is 256 random bits: its hash cannot be searched)."""
    return hashlib.sha256(b"caseflow audit key\0" + key.encode()).hexdigest()[:16]


def _heads(conn: Connection) -> dict[str, dict]:
    from caseflow.core.models import Case

    return {code: {"seq": seq, "head": head}
            for code, seq, head in conn.execute(select(Case.code, Case.audit_seq, Case.audit_head))}


def _revision(conn: Connection) -> str | None:
    from alembic.migration import MigrationContext

    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq URI without the password (argv is readable by every user of the host) and the environment
    carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the Debian package postgresql-client (scripts/setup.sh)")
    return found


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-500:]}")


def _dump_sqlite(url: URL, target: Path) -> tuple[dict, str | None]:
    """The online backup API copies a consistent image while the app keeps writing; the heads and the schema
    version are read from the copy, so they are those of the copied state."""
    source = sqlite3.connect(url.database)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)
    finally:
        source.close()
        dest.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            return _heads(conn), _revision(conn)
    finally:
        engine.dispose()


def _dump_postgresql(engine, url: URL, target: Path) -> tuple[dict, str | None]:
    """pg_dump reads the snapshot this transaction exported, so the dump, the heads and the schema version are
    the same instant of the database, whatever commits meanwhile."""
    uri, env = _libpq(url)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        heads, revision = _heads(conn), _revision(conn)
        _run([_tool("pg_dump"), "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(target), "-d", uri], env)
        conn.rollback()
    return heads, revision


def _copy_storage(source: Path, target: Path) -> None:
    """Stored files are written once, before the transaction that refers to them commits: copied after the
    database snapshot, the folder holds every file the snapshot names (perhaps a newer one too)."""
    target.mkdir()
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".readyz-*", "*.tmp"))


def _sums(folder: Path) -> dict[str, dict]:
    return {p.relative_to(folder).as_posix(): {"sha256": sha256_file(p), "size": p.stat().st_size}
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def backup(app: Flask, directory: str | Path) -> Path:
    """Write a new backup folder under `directory` and return it. It is written under a hidden name and renamed
    when complete: a folder named caseflow-* is always a whole backup."""
    from caseflow.extensions import db

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    name = PREFIX + now.strftime("%Y%m%dT%H%M%S%fZ")
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=directory))
    try:
        with app.app_context():
            url = db.engine.url
            kind = url.get_backend_name()
            if kind == "sqlite":
                heads, revision = _dump_sqlite(url, work / SQLITE_FILE)
            elif kind == "postgresql":
                heads, revision = _dump_postgresql(db.engine, url, work / PG_FILE)
            else:
                raise BackupError(f"no backup method for a {kind} database")
        (work / HEADS).write_text(json.dumps(heads, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        _copy_storage(Path(app.config["STORAGE_DIR"]), work / STORAGE)
        manifest = {"format": FORMAT, "created_dt": now.isoformat(), "database": kind, "revision": revision,
                    "cases": len(heads), "audit_key": key_fingerprint(app.config["AUDIT_HMAC_KEY"]),
                    "files": _sums(work)}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        final = directory / name
        work.rename(final)
        return final
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def backups_in(directory: str | Path) -> list[Path]:
    """The complete backups in `directory`, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).is_file())


def prune(directory: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of `directory`; return the deleted folders."""
    if keep < 1:
        raise BackupError("retention must keep at least one backup")
    old = backups_in(directory)[:-keep]
    for folder in old:
        shutil.rmtree(folder)
    return old


def run_backup(app: Flask, directory: str | Path, keep: int | None = None) -> tuple[Path, list[Path]]:
    """One backup, then the retention (what the nightly job runs): (the new folder, the folders deleted)."""
    folder = backup(app, directory)
    return folder, (prune(directory, keep) if keep else [])


def verify_manifest(folder: str | Path) -> dict:
    """The manifest of a backup folder, once every file matches it: none missing, none changed, none added."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder}: no readable {MANIFEST} ({type(exc).__name__})") from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(f"{folder}: not a caseflow backup manifest (format {manifest.get('format')!r})")
    listed, present = manifest["files"], _sums(folder)
    problems = [f"missing: {n}" for n in sorted(set(listed) - set(present))]
    problems += [f"not in the manifest: {n}" for n in sorted(set(present) - set(listed))]
    problems += [f"changed: {n}" for n in sorted(set(listed) & set(present))
                 if listed[n]["sha256"] != present[n]["sha256"]]
    if problems:
        raise BackupError(f"the backup does not match its manifest ({len(problems)} problem(s)): "
                          + "; ".join(problems[:5]))
    return manifest


@contextmanager
def _no_pool(app: Flask):
    """The app's connections closed around a restore (SQLite: the file is replaced under them)."""
    from caseflow.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        yield db
        db.session.remove()
        db.engine.dispose()


def _database_is_empty(app: Flask) -> bool:
    with _no_pool(app) as db:
        return not inspect(db.engine).get_table_names()


def restore(app: Flask, folder: str | Path) -> dict:
    """Restore a backup into this app's empty database and empty storage folder, then verify every audit chain
    against the heads the backup holds. Returns a summary; raises BackupError on any refusal."""
    folder = Path(folder)
    manifest = verify_manifest(folder)
    if manifest["audit_key"] != key_fingerprint(app.config["AUDIT_HMAC_KEY"]):
        raise BackupError("the audit key differs from the backed-up instance's: set CASEFLOW_AUDIT_KEY (or the "
                          "instance's audit_key file) to that key, or `audit verify` would fail on every case")
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    kind = url.get_backend_name()
    if kind != manifest["database"]:
        raise BackupError(f"a {manifest['database']} backup cannot be restored into a {kind} database")
    if not _database_is_empty(app):
        raise BackupError("the database is not empty: restore only into a new, empty database (nothing is "
                          "overwritten)")
    storage = Path(app.config["STORAGE_DIR"])
    if storage.is_dir() and any(p for p in storage.iterdir() if not p.name.startswith(".readyz-")):
        raise BackupError("the storage folder is not empty: restore only into an empty one")
    with _no_pool(app):
        if kind == "sqlite":
            source = sqlite3.connect(folder / SQLITE_FILE)
            dest = sqlite3.connect(url.database)
            try:
                with dest:
                    source.backup(dest)
            finally:
                source.close()
                dest.close()
        else:
            uri, env = _libpq(url)
            _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "-d", uri,
                  str(folder / PG_FILE)], env)
    shutil.copytree(folder / STORAGE, storage, dirs_exist_ok=True)
    return {"cases": manifest["cases"], "revision": manifest["revision"], "files": len(manifest["files"]),
            "problems": verify_restored(app, folder)}


def verify_restored(app: Flask, folder: Path) -> list[str]:
    """`audit verify` on the restored database plus its chain heads against the backup's: [] when all hold."""
    from caseflow.core.engine.audit import chain_heads, verify_all
    from caseflow.extensions import db

    saved = json.loads((folder / HEADS).read_text(encoding="utf-8"))
    with app.app_context():
        _checked, problems = verify_all(db.session, app.config["AUDIT_HMAC_KEY"].encode())
        current = chain_heads(db.session)
        db.session.remove()
    out = [str(p) for p in problems]
    # the backup's heads hold each chain's seq and head (chain_heads also gives state and version)
    current = {code: {"seq": h["seq"], "head": h["head"]} for code, h in current.items()}
    out += [f"{code}: head differs from the backup's" for code in sorted(set(saved) | set(current))
            if saved.get(code) != current.get(code)]
    return out
