"""The nightly backup's periodic job: a hook for `caseflow/ops/backup.py` (issue 11's backup command),
called with the app when that module exists; until then the job runs and says it did nothing."""
from __future__ import annotations

import importlib

from flask import Flask
from sqlalchemy.orm import Session

from caseflow.jobs.tasks import PeriodicJob


def nightly_backup(session: Session, app: Flask) -> str:
    """Calls `caseflow.ops.backup.nightly(app) -> str` (its folder and retention are that module's settings)."""
    try:
        backup = importlib.import_module("caseflow.ops.backup")
    except ModuleNotFoundError:
        return "no caseflow/ops/backup.py in this version: nothing backed up"
    return backup.nightly(app)


#: 19:00 UTC is 02:00 in Việt Nam: the office is closed
NIGHTLY_BACKUP = PeriodicJob("nightly_backup", {"minute": "0", "hour": "19"}, 86400, nightly_backup)
