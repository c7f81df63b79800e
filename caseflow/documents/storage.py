"""Issued and draft PDFs kept outside the database (STORAGE_DIR, the instance folder by default), with their
SHA-256 in the database: written atomically, read back only when the hash still matches."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session


class StorageError(RuntimeError):
    """A stored file is missing or its bytes no longer match the hash the register holds."""


def storage_dir() -> Path:
    from flask import current_app

    return Path(current_app.config["STORAGE_DIR"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _resolve(relative: str, root: Path | None = None) -> Path:
    root = (root or storage_dir()).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise StorageError(f"path outside the storage folder: {relative}")
    return path


def write_atomic(relative: str, data: bytes, root: Path | None = None, overwrite: bool = True) -> Path:
    """Write to a temporary file in the same folder, fsync, then rename: a reader never sees half a PDF.
    overwrite=False refuses an existing file (an issued PDF is written once)."""
    path = _resolve(relative, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise StorageError(f"refusing to overwrite {relative}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if another writer got there first
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def read_verified(relative: str, expected_sha256: str, root: Path | None = None) -> bytes:
    path = _resolve(relative, root)
    if not path.is_file():
        raise StorageError(f"stored file missing: {relative}")
    data = path.read_bytes()
    if sha256(data) != expected_sha256:
        raise StorageError(f"stored file altered: {relative}")
    return data


def remove_on_rollback(session: Session, path: Path) -> None:
    """The file was written inside a transaction: if it rolls back (the number is given back), remove it;
    once it commits the file is the register's and stays."""
    session.info.setdefault("caseflow_pending_files", []).append(path)


@event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    session.info.pop("caseflow_pending_files", None)


@event.listens_for(Session, "after_rollback")
def _remove_files(session: Session) -> None:
    for path in session.info.pop("caseflow_pending_files", []):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
