"""Helpers of the deadline tests: a workflows folder with the probe workflow, and a fixed clock
(registered as a plugin in conftest.py, so the `clock` fixture is everywhere)."""
import shutil
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from caseflow.core import clock as engine_clock
from caseflow.core import engine
from caseflow.core.clock import LOCAL_TZ
from caseflow.extensions import db
from tests.factories import unit, user

ROOT = Path(__file__).resolve().parent.parent


def workflows_with_probe(tmp_path: Path) -> str:
    target = tmp_path / "workflows"
    target.mkdir(exist_ok=True)
    shutil.copytree(ROOT / "workflows", target, dirs_exist_ok=True)  # flat or one folder per feature
    shutil.copy(ROOT / "tests" / "fixtures" / "workflows" / "deadline_probe.yaml", target)
    return str(target)


class Clock:
    """The engine's clock, set to 09:00 local time on a given day."""

    def __init__(self, day: date):
        self.set(day)

    def set(self, day: date) -> None:
        self.day = day
        self.now = datetime.combine(day, time(9, 0), LOCAL_TZ).astimezone(UTC)

    def __call__(self):
        return self.now


def use_clock(day: date) -> Clock:
    clock = Clock(day)
    engine_clock.set_source(clock)
    return clock


def open_probe(org, received: date, **data):
    return engine.open_case(db.session, "deadline_probe", unit(org), user(org, "kiemtra"), data,
                            title="Đơn tố cáo thử", received_date=received)


def probe_config(tmp_path: Path) -> dict:
    """app_config for a test module: the shipped workflows plus the probe workflow."""
    return {"WORKFLOWS_DIR": workflows_with_probe(tmp_path)}


@pytest.fixture
def clock():
    """Set the engine's clock to a day; restored afterwards."""
    saved = engine_clock.source()
    yield use_clock
    engine_clock.set_source(saved)
