"""The one clock: UTC now, and today's date in Việt Nam, for the engine, pages, forms and documents.

The server's own date is the day before Việt Nam's from 17:00 UTC, so nothing uses `date.today()`.
Tests and benches pin it with `frozen(...)` (or `set_source`), never by patching modules."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: list[Callable[[], datetime]] = [_system_now]


def now() -> datetime:
    """Now, in UTC (aware)."""
    return _source[0]()


def local_today() -> date:
    """Today in Việt Nam."""
    return now().astimezone(LOCAL_TZ).date()


def now_and_today() -> tuple[datetime, date]:
    """Now (UTC) and Việt Nam's date of that same instant: one reading, so the two never straddle midnight."""
    moment = now()
    return moment, moment.astimezone(LOCAL_TZ).date()


def source() -> Callable[[], datetime]:
    return _source[0]


def set_source(fn: Callable[[], datetime] | None) -> None:
    """Replace the clock (None: the system's)."""
    _source[0] = fn or _system_now


@contextmanager
def frozen(at: datetime | Callable[[], datetime]) -> Iterator[None]:
    """The clock stopped at `at` (aware), or driven by a callable, for the block."""
    saved = _source[0]
    set_source(at if callable(at) else (lambda: at))
    try:
        yield
    finally:
        set_source(saved)
