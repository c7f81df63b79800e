"""Limitation periods of labour disputes, from the day the worker learned of the breach.

Bộ luật Lao động 2019, Điều 190 [U]: 6 months to ask for conciliation, 9 months for arbitration, 1 year
to sue; a collective dispute over rights, Điều 194 [U]. The values are configuration (`limitation_periods:` in workflows/legal_aid/legal_aid.yaml), not constants."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from caseflow.core.engine.definition import Definition
from caseflow.core.engine.errors import DefinitionError

#: where the case already is: a forum reached needs no more warning for it or the ones before it
FORUM_ORDER = ("conciliation", "arbitration", "court_first_instance", "court_appeal")


@dataclass(frozen=True)
class LimitationWarning:
    forum: str
    label: dict
    expires: date
    days_left: int
    basis: str
    certainty: str

    @property
    def expired(self) -> bool:
        return self.days_left < 0


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _config(definition: Definition) -> dict:
    return dict(definition.extra.get("limitation_periods") or {})


def check_limitation_config(definition: Definition) -> None:
    config = _config(definition)
    for key, spec in (config.get("periods") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("months"), int) or spec["months"] <= 0:
            raise DefinitionError(definition.source_file, f"limitation_periods.periods.{key}",
                                  "needs a positive whole number of months")
    if config.get("periods") and not config.get("basis"):
        raise DefinitionError(definition.source_file, "limitation_periods", "needs its legal basis")
    if "collective_basis" in config and not str(config["collective_basis"] or "").strip():
        raise DefinitionError(definition.source_file, "limitation_periods.collective_basis", "must not be empty")


def warnings_for(definition: Definition, breach_known: date | None, forum: str | None, today: date,
                 is_open: bool = True, collective: bool = False) -> list[LimitationWarning]:
    """Periods that have run out or run out within `warn_days`, for forums the case has not reached yet;
    each names the article it applies (a collective dispute's own, when the matter is collective)."""
    config = _config(definition)
    basis = config.get("collective_basis") if collective and config.get("collective_basis") else config.get("basis")
    if not breach_known or not is_open or not config.get("periods"):
        return []
    reached = FORUM_ORDER.index(forum) if forum in FORUM_ORDER else -1
    warn_days = int(config.get("warn_days", 30))
    result = []
    for key, spec in config["periods"].items():
        if key in FORUM_ORDER and FORUM_ORDER.index(key) <= reached:
            continue
        expires = add_months(breach_known, spec["months"])
        days_left = (expires - today).days
        if days_left <= warn_days:
            result.append(LimitationWarning(key, spec.get("label") or {"vi": key}, expires, days_left,
                                            basis or "", config.get("certainty", "U")))
    return result
