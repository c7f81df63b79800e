"""The nightly backup as a periodic job: `caseflow backup` (caseflow/ops/backup.py) into BACKUP_DIR (default
instance/backups), then the retention: the newest BACKUP_KEEP (14) backups are kept."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from caseflow.jobs.tasks import PeriodicJob

DEFAULT_KEEP = 14


def nightly_backup(session: Session, app: Flask) -> str:
    from caseflow.ops.backup import run_backup

    session.close()  # the backup reads the database on its own connection: hold no transaction meanwhile
    directory = app.config.get("BACKUP_DIR") or str(Path(app.instance_path) / "backups")
    folder, deleted = run_backup(app, directory, int(app.config.get("BACKUP_KEEP", DEFAULT_KEEP)))
    return f"backup {folder.name} written, {len(deleted)} old backup(s) deleted"


#: 19:00 UTC is 02:00 in Việt Nam: the office is closed
NIGHTLY_BACKUP = PeriodicJob("nightly_backup", {"minute": "0", "hour": "19"}, 86400, nightly_backup)
